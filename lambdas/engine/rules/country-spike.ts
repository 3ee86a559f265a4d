import { Reason } from '../../domain/reasons';
import { counterValue, type Rule } from '../rule';

/**
 * Attempts to one destination country this hour far above that country's hourly average
 * yesterday, for a tenant that has a baseline at all (no spikes on a tenant's first day).
 */
export const countrySpike: Rule = {
  id: 'country-spike',
  evaluate: (ctx) => {
    const { minHourly, factor, minTenantDaily } = ctx.policy.spike;
    if (counterValue(ctx, 'attempts:tenant-yesterday', 'day') < minTenantDaily) return undefined;
    const thisHour = counterValue(ctx, 'attempts:country', 'hour');
    const baselineHourly = counterValue(ctx, 'attempts:country-yesterday', 'day') / 24;
    return thisHour >= minHourly && thisHour > factor * baselineHourly ? { reason: Reason.COUNTRY_SPIKE, weight: 25 } : undefined;
  },
};
