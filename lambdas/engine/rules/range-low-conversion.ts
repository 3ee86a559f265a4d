import { Reason } from '../../domain/reasons';
import { counterValue, type Rule } from '../rule';

/** A 10,000-number range that received many codes today and verified almost none: pumping. */
export const rangeLowConversion: Rule = {
  id: 'range-low-conversion',
  evaluate: (ctx) => {
    const { rangeMinSends, rangeMinRatio } = ctx.policy.conversion;
    const sent = counterValue(ctx, 'sent:range4', 'day') - 1;
    if (sent < rangeMinSends) return undefined;
    const ratio = counterValue(ctx, 'verified:range4', 'day') / sent;
    return ratio < rangeMinRatio ? { reason: Reason.RANGE_LOW_CONVERSION, weight: 40 } : undefined;
  },
};
