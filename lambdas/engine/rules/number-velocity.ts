import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/** SMS per number and tenant: the per-number quota every SMS platform enforces. Hard at the limit. */
export const numberVelocity: Rule = {
  id: 'number-velocity',
  evaluate: (ctx) => {
    const over = latestToFree(ctx.counters.filter((c) => c.dimension === 'number' && c.value > c.limit));
    return over === undefined ? undefined : { reason: Reason.NUMBER_VELOCITY, weight: 100, action: 'block', retryAfterSeconds: over };
  },
};

/** Of several full windows, the one that frees up last decides when a retry can succeed. */
export function latestToFree(over: readonly { resetsInSeconds: number }[]): number | undefined {
  return over.length === 0 ? undefined : Math.max(...over.map((c) => c.resetsInSeconds));
}
