import { Reason, type ReasonCode } from '../../domain/reasons';
import type { Finding } from '../../domain/types';
import { PREFIX_DIMENSIONS, PREFIX_WIDTHS, type PrefixWidth } from '../prefix-plans';
import { counterValue, type Rule, type RuleContext } from '../rule';
import { showsOwnership } from './owner-path';

const REASONS: Readonly<Record<PrefixWidth, ReasonCode>> = {
  3: Reason.PREFIX_ANOMALY_1K,
  4: Reason.PREFIX_ANOMALY_10K,
  5: Reason.PREFIX_ANOMALY_100K,
};
const ALLOWANCE_KEYS = { 3: 'range3', 4: 'range4', 5: 'range5' } as const;

/**
 * SMS one prefix may take today before it is anomalous: what its share of the country's number
 * space would get of the tenant's SMS to that country today, times `prefix.factor`, but never
 * less than the width's allowance. A country's SMS spread over its numbers; a farm's numbers
 * bought in bulk from a few operator ranges pile up in a few prefixes, however well they verify.
 */
export function prefixThreshold(ctx: Pick<RuleContext, 'policy' | 'counters'>, nationalLength: number, width: PrefixWidth): number {
  const { allowance, factor, usedSpace } = ctx.policy.prefix;
  // This attempt is not in the country's sends yet: it is in the prefix's.
  const countrySent = counterValue(ctx, 'sent:country', 'day') + 1;
  const blocks = Math.max(1, 10 ** (nationalLength - width) * usedSpace);
  return Math.max(allowance[ALLOWANCE_KEYS[width]], (factor * countrySent) / blocks);
}

/**
 * A number prefix (1,000 / 10,000 / 100,000 numbers) that took far more of this tenant's SMS
 * today than its share of the country warrants. The width furthest over its threshold is named;
 * past `prefix.blockAt` × the threshold the attempt is blocked: the farms this is for solve any
 * challenge, so the soft zone is narrow. The owner of a number in the prefix
 * (verified here today, or the account verified on this device) is not held back by it.
 */
export const prefixAnomaly: Rule = {
  id: 'prefix-anomaly',
  evaluate: (ctx): Finding | undefined => {
    const { phone } = ctx;
    if (!phone?.valid) return undefined;
    // Earlier SMS to this very number today are retries, not more numbers of the prefix.
    const repeats = Math.max(0, counterValue(ctx, 'number', 'day') - 1);
    let worst: { width: PrefixWidth; over: number } | undefined;
    for (const width of PREFIX_WIDTHS) {
      const sent = counterValue(ctx, PREFIX_DIMENSIONS[width], 'day') - repeats;
      if (sent <= 0) continue;
      const over = sent / prefixThreshold(ctx, phone.nationalNumber.length, width);
      if (over > 1 && (!worst || over > worst.over)) worst = { width, over };
    }
    if (!worst || showsOwnership(ctx)) return undefined;
    const reason = REASONS[worst.width];
    if (worst.over > ctx.policy.prefix.blockAt) return { reason, weight: 100, action: 'block' };
    return { reason, weight: 40 };
  },
};
