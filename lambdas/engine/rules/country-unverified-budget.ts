import { Reason } from '../../domain/reasons';
import { counterValue, type Rule } from '../rule';
import { showsOwnership } from './owner-path';

/**
 * A conversion-adaptive budget of unverified SMS per destination country and day: the most of the
 * floor, `unverifiedFactor` × the codes the country verified yesterday (a whole day) and
 * `unverifiedTodayFactor` × those verified so far today (a tenant's first day, a growth day). A
 * country's budget grows with its real, verified traffic; pumping, which verifies nothing, uses up
 * a quiet country's budget fast. Over budget the country's attempts need a challenge (not a
 * block): people pass it, and the owner of a number (verified here today, or the account verified
 * on this device) is not asked. Only for a tenant that reports verifications (some today, or the
 * country some yesterday): otherwise every send looks unverified.
 */
export const countryUnverifiedBudget: Rule = {
  id: 'country-unverified-budget',
  evaluate: (ctx) => {
    const { unverifiedFloor, unverifiedFactor, unverifiedTodayFactor } = ctx.policy.conversion;
    const verified = counterValue(ctx, 'verified:country', 'day');
    const verifiedYesterday = counterValue(ctx, 'verified:country-yesterday', 'day');
    if (verifiedYesterday === 0 && counterValue(ctx, 'verified:tenant', 'day') === 0) return undefined;
    const unverified = counterValue(ctx, 'sent:country', 'day') - verified;
    const budget = Math.max(unverifiedFloor, unverifiedFactor * verifiedYesterday, unverifiedTodayFactor * verified);
    if (unverified < budget || showsOwnership(ctx)) return undefined;
    return { reason: Reason.COUNTRY_UNVERIFIED_BUDGET, weight: 0, action: 'challenge' };
  },
};
