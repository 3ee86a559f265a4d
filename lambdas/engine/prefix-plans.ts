import { DIM, type Dimension } from './dimensions';
import type { ParsedPhone } from './phone';
import { bucketOf, type CounterPlan } from './velocity';

/** Prefix widths judged: the number minus its last 3, 4 or 5 digits (1,000 / 10,000 / 100,000 numbers). */
export const PREFIX_WIDTHS = [3, 4, 5] as const;
export type PrefixWidth = (typeof PREFIX_WIDTHS)[number];

/** The reading of each width. */
export const PREFIX_DIMENSIONS: Readonly<Record<PrefixWidth, Dimension>> = { 3: DIM.PREFIX3_SENT, 4: DIM.PREFIX4_SENT, 5: DIM.PREFIX5_SENT };

/**
 * SMS sent today by one tenant into the number's 1,000-, 10,000- and 100,000-number prefixes. All
 * three are fields of one item per 100,000-number prefix and day (`w5`, `w4:<digit>`,
 * `w3:<two digits>`): a single `UpdateItem` in the verdict's wave counts every width. The day is
 * in the key, so an item never collects old fields and expires whole. Quota counters: an attempt
 * that is not sent gives its unit back, so refused attempts never raise a prefix's count.
 * Undefined for numbers too short to have a 100,000-number prefix.
 */
export function planPrefixCounters(tenantScope: string, phone: Pick<ParsedPhone, 'e164' | 'nationalNumber'>, nowMs: number): CounterPlan[] | undefined {
  if (phone.nationalNumber.length <= 5) return undefined;
  const { e164 } = phone;
  const day = bucketOf('day', nowMs);
  const key = `v#${DIM.PREFIX_SENT}#${tenantScope}:${e164.slice(0, -5)}#${day.key}`;
  const fields: Record<PrefixWidth, string> = { 5: 'w5', 4: `w4:${e164.slice(-5, -4)}`, 3: `w3:${e164.slice(-5, -3)}` };
  return PREFIX_WIDTHS.map((width) => ({
    dimension: PREFIX_DIMENSIONS[width],
    window: 'day',
    limit: Number.POSITIVE_INFINITY,
    quota: true,
    resetsInSeconds: day.resetsInSeconds,
    increment: { key, field: fields[width], by: 1, expiresAt: day.expiresAt },
  }));
}
