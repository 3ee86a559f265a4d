import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';
import { limitFinding } from './limit';

/**
 * Many different numbers inside one range (the number minus its last 3 or 4 digits) in a
 * short window: sequential or dense numbers are how pumping rings walk their ranges.
 */
export const rangeVelocity: Rule = {
  id: 'range-velocity',
  evaluate: (ctx) =>
    limitFinding(ctx, 'range3-numbers', Reason.RANGE_VELOCITY, 35, true) ?? limitFinding(ctx, 'range4-numbers', Reason.RANGE_VELOCITY, 35, true),
};
