import { Reason } from '../../domain/reasons';
import { counterValue, reading, type Rule } from '../rule';
import { showsOwnership } from './owner-path';

/**
 * Sign-ups (the scenarios `networks.scenarios` lists) from hosting and cloud networks, all
 * pooled, as a budget per tenant: `networks.hosting.hourly` this hour, and the most of
 * `daily` and `share` × the tenant's attempts yesterday or today. Under it a VPN user is only
 * weighed (`DATACENTER_IP`); over it the attempt is blocked, because the farms that rent
 * servers solve any challenge. The budget is shared: a farm that uses it up also refuses the
 * VPN users who sign up after it, until the hour or the day turns over; the owner of the number
 * (verified here today, or the account verified on this device) is not held back by it.
 */
export const hostingSignupBudget: Rule = {
  id: 'hosting-signup-budget',
  evaluate: (ctx) => {
    if (!ctx.geo.hosting) return undefined;
    const hour = reading(ctx, 'attempts:network', 'hour');
    if (!hour) return undefined;
    const { hourly, daily, share } = ctx.policy.networks.hosting;
    const tenantAttempts = Math.max(counterValue(ctx, 'attempts:tenant-yesterday', 'day'), counterValue(ctx, 'attempts:tenant', 'day'));
    const dayBudget = Math.max(daily, share * tenantAttempts);
    const over = hour.value > hourly || counterValue(ctx, 'attempts:network', 'day') > dayBudget;
    return over && !showsOwnership(ctx) ? { reason: Reason.HOSTING_SIGNUP_BUDGET, weight: 100, action: 'block' } : undefined;
  },
};
