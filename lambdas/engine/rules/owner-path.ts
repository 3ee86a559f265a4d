import type { ReasonCode } from '../../domain/reasons';
import type { Dimension } from '../dimensions';
import type { Limits } from '../policy';
import { counterValue, type RuleContext } from '../rule';
import type { Finding } from '../../domain/types';

/**
 * Ownership a bomber or a pumping ring cannot fake: this number verified a code with this tenant
 * today, or the account has verified codes on this very device before. Both are this tenant's
 * own records, so no other tenant can make an attempt look owned (or not).
 */
export function showsOwnership(ctx: Pick<RuleContext, 'account' | 'counters'>): boolean {
  return (ctx.account?.deviceVerified ?? 0) > 0 || counterValue(ctx, 'verified:number', 'day') > 0;
}

/**
 * Seconds until a cross-tenant count of SMS to this number is back under `limits`, if it is over
 * now. The counts are the cross-tenant quota's (SMS sent through the shield, this one included);
 * a verdict-only call has none, so it is never capped here.
 */
export function overCap(ctx: Pick<RuleContext, 'counters'>, dimension: Dimension, limits: Limits): number | undefined {
  let retry: number | undefined;
  for (const c of ctx.counters) {
    const limit = c.dimension === dimension ? limits[c.window] : undefined;
    if (limit === undefined || c.value <= limit) continue;
    retry = Math.max(retry ?? 0, c.resetsInSeconds);
  }
  return retry;
}

/**
 * A number under cross-tenant bombing is defused, not locked: every tenant together sends it at
 * most `jointDefense.bombedLimits` (a hard, final block past that: no allow entry reopens it),
 * the owner is served within that cap, and anyone else first solves a harder proof of work. A
 * bomber that does not pay gets nothing more through; one that pays is held to the cap; the
 * owner, even without history, has a path to a code.
 */
export function bombedNumberFinding(ctx: RuleContext, reason: ReasonCode): Finding {
  const { jointDefense } = ctx.policy;
  const retryAfterSeconds = overCap(ctx, 'global-number', jointDefense.bombedLimits);
  if (retryAfterSeconds !== undefined) return { reason, weight: 100, action: 'block', retryAfterSeconds, final: true };
  if (showsOwnership(ctx)) return { reason, weight: 0 };
  // No weight: the state asks for a challenge, it must not add up to a block and take the path away.
  return { reason, weight: 0, action: 'challenge', challengeLevel: jointDefense.challengeLevel };
}
