import { DIM } from './dimensions';
import { type CounterReading, counterValue } from './rule';
import { type CounterPlan, counterKey } from './velocity';

/**
 * When this tenant last sent SMS to a number, to the minute, at no extra store cost: one field
 * per half hour in the number's own quota item (`v#number#…`, already written by every verdict),
 * to which each SMS adds 2^(its minute in the half hour). The field is a bitmap of the minutes
 * with an SMS, so its bits give both how many codes went out recently and when the last one did.
 * It is a quota counter: an attempt that ends up not sent takes its bit back. Two SMS in one
 * minute (a tenant that allows more than 1/min) carry into the next minute's bit: the last send
 * then reads a minute later and one send fewer, never an error.
 *
 * A second field per half hour adds a 20-bit tag of the network (/24, /64) each SMS was asked
 * from: when the tags of the recent sends sum to their count times this attempt's tag, they were
 * all asked from this network (a different mix matches by chance about once in a million).
 */
const HALF_HOUR = 1_800;
const MINUTE = 60;
const SLOTS = HALF_HOUR / MINUTE;
/** Items outlive their fields; the field of the previous half hour must stay readable. */
const TTL_SECONDS = 2 * HALF_HOUR + 300;

/** A network's tag: 1 to 2^20, from the (keyed) hash of its /24, /64 or of the tenant's non-public addresses. */
export function networkTag(networkHash: string | undefined): number {
  if (networkHash === undefined) return 1;
  let h = 0x811c9dc5;
  for (let i = 0; i < networkHash.length; i++) h = Math.imul(h ^ networkHash.charCodeAt(i), 0x01000193);
  return ((h >>> 0) % 0x10_0000) + 1;
}

/**
 * The current half hour's fields (this attempt's bit and network tag added, given back if not
 * sent) and the previous half hour's (read).
 */
export function planRecentSends(numberSubject: string, nowMs: number, tag: number): CounterPlan[] {
  const key = counterKey(DIM.NUMBER, numberSubject);
  const nowSeconds = nowMs / 1000;
  const index = Math.floor(nowSeconds / HALF_HOUR);
  const slot = Math.floor((nowSeconds - index * HALF_HOUR) / MINUTE);
  const end = (index + 1) * HALF_HOUR;
  const resetsInSeconds = Math.max(1, Math.ceil(end - nowSeconds));
  const expiresAt = end + TTL_SECONDS;
  const base = { window: 'hour', limit: Number.POSITIVE_INFINITY, resetsInSeconds } as const;
  return [
    {
      ...base,
      dimension: DIM.RECENT_SENDS,
      quota: true,
      increment: { key, field: `s${index}`, by: 2 ** slot, expiresAt, drop: [`s${index - 2}`, `s${index - 3}`] },
    },
    {
      ...base,
      dimension: DIM.RECENT_NETWORKS,
      quota: true,
      increment: { key, field: `n${index}`, by: tag, expiresAt, drop: [`n${index - 2}`, `n${index - 3}`] },
    },
    { ...base, dimension: DIM.RECENT_SENDS_BEFORE, quota: false, increment: { key, field: `s${index - 1}`, by: 0, expiresAt } },
    { ...base, dimension: DIM.RECENT_NETWORKS_BEFORE, quota: false, increment: { key, field: `n${index - 1}`, by: 0, expiresAt } },
  ];
}

/**
 * Start (epoch seconds) of each minute of the last 30–60 minutes in which the number was sent an
 * SMS before this attempt, newest first. Empty when the bitmaps were not read.
 */
export function earlierSendMinutes(ctx: { readonly counters: readonly CounterReading[]; readonly now: number }): number[] {
  let current: number | undefined;
  let before: number | undefined;
  for (const c of ctx.counters) {
    if (c.dimension === DIM.RECENT_SENDS) current = c.value;
    else if (c.dimension === DIM.RECENT_SENDS_BEFORE) before = c.value;
  }
  if (current === undefined) return [];
  const nowSeconds = ctx.now / 1000;
  const index = Math.floor(nowSeconds / HALF_HOUR);
  const slot = Math.floor((nowSeconds - index * HALF_HOUR) / MINUTE);
  const out: number[] = [];
  // The current bitmap holds this attempt's own bit: earlier sends are the rest.
  collect(Math.max(0, current - 2 ** slot), index * HALF_HOUR, out);
  collect(before ?? 0, (index - 1) * HALF_HOUR, out);
  return out;
}

/** Appends the minute starts of `bits` (newest first); carries past the last minute read as the last minute. */
function collect(bits: number, start: number, out: number[]): void {
  if (!(bits > 0)) return;
  const overflow = Math.floor(bits / 2 ** SLOTS);
  let rest = bits - overflow * 2 ** SLOTS;
  if (overflow > 0) out.push(start + (SLOTS - 1) * MINUTE);
  for (let s = SLOTS - 1; s >= 0; s--) {
    const bit = 2 ** s;
    if (rest >= bit) {
      rest -= bit;
      if (overflow === 0 || s < SLOTS - 1) out.push(start + s * MINUTE);
    }
  }
}

/**
 * Whether every earlier send of the last 30–60 minutes was asked from the network tagged `tag`
 * (true when there were none): the same person asking again, not a bomber rotating proxies.
 */
export function sameNetworkSends(ctx: { readonly counters: readonly CounterReading[]; readonly now: number }, tag: number): boolean {
  const sends = earlierSendMinutes(ctx).length;
  let tags = 0;
  for (const c of ctx.counters) if (c.dimension === DIM.RECENT_NETWORKS || c.dimension === DIM.RECENT_NETWORKS_BEFORE) tags += c.value;
  // The current half hour's sum holds this attempt's own tag.
  return tags - tag === sends * tag;
}

/** Earlier sends to the number that went out less than `windowSeconds` ago (a send counts from the start of its minute). */
export function pendingSends(minutes: readonly number[], nowMs: number, windowSeconds: number): number {
  const nowSeconds = nowMs / 1000;
  let n = 0;
  for (const t of minutes) if (nowSeconds - t < windowSeconds) n++;
  return n;
}

/**
 * Codes to the number still pending: sent within `windowSeconds` and not verified. The daily
 * counts bound them: a number whose codes today were all verified (a verified code also vouches
 * for the ones it superseded) has none pending, however recent.
 */
export function pendingCodes(ctx: { readonly counters: readonly CounterReading[]; readonly now: number }, windowSeconds: number): number {
  // The number's daily quota counter includes this attempt: earlier sends are one fewer.
  const unverified = counterValue(ctx, DIM.NUMBER, 'day') - 1 - counterValue(ctx, DIM.VERIFIED_NUMBER, 'day');
  if (unverified <= 0) return 0;
  return Math.min(unverified, pendingSends(earlierSendMinutes(ctx), ctx.now, windowSeconds));
}
