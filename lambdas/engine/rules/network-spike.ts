import { Reason } from '../../domain/reasons';
import { counterValue, reading, type Rule } from '../rule';

/**
 * Sign-ups (the scenarios `networks.scenarios` lists) from the caller's network — its
 * autonomous system, every hosting network pooled as one — this hour far above that network's
 * hourly average yesterday at this tenant: a farm behind residential proxies of a few access
 * ISPs adds tens an hour to an ISP that gives the tenant a few. A carrier or ISP with large,
 * steady traffic has a baseline to match; a small network or a tenant's first day never fires
 * (`minHourly`, `minTenantDaily`). A score, not a block: the people of that ISP who sign up
 * during the burst are judged by everything else about them.
 */
export const networkSpike: Rule = {
  id: 'network-spike',
  evaluate: (ctx) => {
    const thisHour = reading(ctx, 'attempts:network', 'hour');
    if (!thisHour) return undefined;
    const { minHourly, factor, minTenantDaily } = ctx.policy.networks.spike;
    if (thisHour.value < minHourly || counterValue(ctx, 'attempts:tenant-yesterday', 'day') < minTenantDaily) return undefined;
    const baselineHourly = counterValue(ctx, 'attempts:network-yesterday', 'day') / 24;
    return thisHour.value > factor * baselineHourly ? { reason: Reason.NETWORK_SPIKE, weight: 25 } : undefined;
  },
};
