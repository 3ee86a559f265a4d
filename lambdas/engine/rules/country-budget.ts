import { Reason } from '../../domain/reasons';
import { countryKey } from '../phone';
import { priceMicroUsd } from '../cost-guard';
import { reading, type Rule } from '../rule';
import { costGuardFinding } from './cost-guard-finding';

/**
 * Cost guard, budget: estimated spend on one destination country today (bundled price table)
 * over the tenant's daily budget for that country. Expensive countries reach it after few SMS,
 * cheap ones after many: the budget is in money, what the fraud costs. `monitor` names it,
 * `enforce` refuses until the day (UTC) turns over.
 */
export const countryBudget: Rule = {
  id: 'country-budget',
  evaluate: (ctx) => {
    const spend = reading(ctx, 'spend:country');
    if (!spend || !ctx.phone) return undefined;
    const country = countryKey(ctx.phone);
    const value = spend.value + (ctx.attempt.verdictOnly ? priceMicroUsd(country) : 0);
    return value > spend.limit ? costGuardFinding(ctx, Reason.COUNTRY_BUDGET, spend.resetsInSeconds) : undefined;
  },
};
