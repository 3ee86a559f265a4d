import type { ReasonCode } from '../../domain/reasons';
import type { Dimension } from '../dimensions';
import type { CounterReading, RuleContext } from '../rule';
import type { Finding } from '../../domain/types';

/** The reading of `dimension` furthest over its limit, if any is over. */
export function worstOver(ctx: Pick<RuleContext, 'counters'>, dimension: Dimension): CounterReading | undefined {
  let worst: CounterReading | undefined;
  for (const c of ctx.counters) {
    if (c.dimension !== dimension || c.value <= c.limit) continue;
    if (!worst || c.value / c.limit > worst.value / worst.limit) worst = c;
  }
  return worst;
}

/**
 * A soft finding when `dimension` is over its limit; with `hard`, a rate block (with
 * Retry-After) once it is over `limit × policy.hardMultiplier`.
 */
export function limitFinding(ctx: RuleContext, dimension: Dimension, reason: ReasonCode, weight: number, hard: boolean): Finding | undefined {
  const worst = worstOver(ctx, dimension);
  if (!worst) return undefined;
  if (hard && worst.value > worst.limit * ctx.policy.hardMultiplier) {
    return { reason, weight: 100, action: 'block', retryAfterSeconds: worst.resetsInSeconds };
  }
  return { reason, weight };
}
