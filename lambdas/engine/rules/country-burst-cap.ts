import { Reason } from '../../domain/reasons';
import { burstSlotResetsIn } from '../cost-guard';
import { reading, type Rule } from '../rule';
import { costGuardFinding } from './cost-guard-finding';

/**
 * Cost guard, burst: SMS to one destination country in the current 10-minute slot over the
 * tenant's cap for that country. A pumping run pours into one country in minutes; a cap bounds
 * what it costs before anyone looks. `monitor` names it, `enforce` refuses until the slot ends.
 */
export const countryBurstCap: Rule = {
  id: 'country-burst-cap',
  evaluate: (ctx) => {
    const burst = reading(ctx, 'burst:country');
    if (!burst) return undefined;
    const value = burst.value + (ctx.attempt.verdictOnly ? 1 : 0);
    return value > burst.limit ? costGuardFinding(ctx, Reason.COUNTRY_BURST_CAP, burstSlotResetsIn(ctx.now)) : undefined;
  },
};
