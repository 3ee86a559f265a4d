import { Reason } from '../../domain/reasons';
import { pendingCodes, sameNetworkSends } from '../recent-sends';
import { counterValue, type Rule, type RuleContext } from '../rule';
import { ruleEnabled } from '../score';
import { numberBackoff } from './number-backoff';

/**
 * Codes sent to this number today that nobody verified. Bombing victims and pumped numbers
 * never verify; a real user who asked three times and verified none must prove they are human.
 * A code sent within the pending window (`conversion.pendingWindowSeconds`) is not unverified
 * yet: its owner may still be waiting for a slow SMS, and NUMBER_BACKOFF spaces those retries.
 * Only where NUMBER_BACKOFF is on (without it pending codes could be asked for back to back),
 * and only when the recent codes were all asked from this attempt's network: a bomber rotating
 * proxies gets no credit.
 */
export const numberUnverified: Rule = {
  id: 'number-unverified',
  evaluate: (ctx) => {
    // The number's daily quota counter includes this attempt: earlier sends are one fewer.
    const earlierSends = counterValue(ctx, 'number', 'day') - 1;
    const pending = pendingCredit(ctx);
    const unverified = earlierSends - pending - counterValue(ctx, 'verified:number', 'day');
    return unverified >= ctx.policy.conversion.maxUnverifiedPerNumber ? { reason: Reason.NUMBER_UNVERIFIED, weight: 45 } : undefined;
  },
};

/**
 * Earlier codes that are pending, not unverified (0 when they may not be credited). At most
 * `maxUnverifiedPerNumber` of them: a person retrying a slow code asks three or four times, and
 * one sender on one network gets at most that many more codes before the challenge.
 */
export function pendingCredit(ctx: RuleContext): number {
  if (ctx.networkTag === undefined || !ruleEnabled(numberBackoff, ctx.policy, ctx.attempt.scenario)) return 0;
  if (!sameNetworkSends(ctx, ctx.networkTag)) return 0;
  const { pendingWindowSeconds, maxUnverifiedPerNumber } = ctx.policy.conversion;
  return Math.min(maxUnverifiedPerNumber, pendingCodes(ctx, pendingWindowSeconds));
}
