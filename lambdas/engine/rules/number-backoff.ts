import { Reason } from '../../domain/reasons';
import { earlierSendMinutes, pendingCodes } from '../recent-sends';
import type { Rule } from '../rule';

/**
 * Exponential backoff for a number whose codes are still pending. A person whose code is slow
 * asks again; so does a bomber. Both are told how long to wait (429, Retry-After) instead of
 * being asked for a challenge that an app client cannot solve: with k codes sent within the
 * pending window, the next one waits base × 2^(k−1) seconds after the last (capped, ± jitter)
 * from the second retry on: the first (k = 1) is left to the per-minute quota, NUMBER_VELOCITY.
 * The wait is measured from the start of the minute of the last SMS (sends are kept to the
 * minute), and the jitter is drawn from a hash of the number, that minute and k: the same
 * request gets the same answer, on replay too, and a retry at Retry-After is let through.
 * Codes verified today are not pending (see `pendingCodes`): after a verification, no wait.
 * The per-number quotas (NUMBER_VELOCITY) stay as they are; this only adds waits between them.
 */
export const numberBackoff: Rule = {
  id: 'number-backoff',
  evaluate: (ctx) => {
    if (!ctx.phone?.valid) return undefined;
    const minutes = earlierSendMinutes(ctx);
    const last = minutes[0];
    if (last === undefined) return undefined;
    const window = ctx.policy.conversion.pendingWindowSeconds;
    const k = pendingCodes(ctx, window);
    // The first retry is the per-minute quota's business (a tenant may allow two a minute).
    if (k < 2) return undefined;
    // Once the last code leaves the pending window nothing is pending: no wait runs past that.
    const wait = Math.min(window, backoffSeconds(ctx.policy.numberBackoff, k, `${ctx.phone.e164}|${last}|${k}`));
    const remaining = Math.ceil(last + wait - ctx.now / 1000);
    return remaining > 0 ? { reason: Reason.NUMBER_BACKOFF, weight: 100, action: 'block', retryAfterSeconds: remaining } : undefined;
  },
};

/** The wait after k pending codes: base × 2^(k−1), at most max, spread by ± jitter from `seed`. */
export function backoffSeconds(p: { baseSeconds: number; maxSeconds: number; jitter: number }, k: number, seed: string): number {
  const plain = Math.min(p.maxSeconds, p.baseSeconds * 2 ** Math.max(0, k - 1));
  const unit = fnv1a(seed) / 0x1_0000_0000; // [0, 1)
  return plain * (1 + p.jitter * (2 * unit - 1));
}

/** 32-bit FNV-1a: a small, stable hash for jitter (not a secret). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
