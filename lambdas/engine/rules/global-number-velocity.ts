import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';
import { latestToFree } from './number-velocity';

/**
 * SMS per number across all tenants: one victim bombed through many interfaces is capped overall.
 * Final: a tenant's allow entry cannot take the number past what every tenant together may send.
 */
export const globalNumberVelocity: Rule = {
  id: 'global-number-velocity',
  evaluate: (ctx) => {
    const over = latestToFree(ctx.counters.filter((c) => c.dimension === 'global-number' && c.value > c.limit));
    return over === undefined ? undefined : { reason: Reason.GLOBAL_NUMBER_VELOCITY, weight: 100, action: 'block', retryAfterSeconds: over, final: true };
  },
};
