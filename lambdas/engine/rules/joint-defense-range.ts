import { confident, reputationEntry } from '../reputation';
import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';
import { overCap, showsOwnership } from './owner-path';

/**
 * A 10,000-number range that got many codes and almost no verifications across tenants: SMS
 * pumping. The range is defused, not locked: an attempt without ownership history needs a harder
 * proof of work, and this tenant sends at most `jointDefense.pumpedRangeDaily` SMS a day into
 * the range that way; the owner of a number in it (verified here today, or on this device
 * before) is served. A weak (imported, low-confidence) entry only scores.
 */
export const jointDefenseRange: Rule = {
  id: 'joint-defense-range',
  evaluate: (ctx) => {
    const entry = reputationEntry(ctx.reputation, 'range');
    if (!entry) return undefined;
    if (!confident(entry)) return { reason: Reason.JOINT_DEFENSE_RANGE, weight: 40 };
    if (showsOwnership(ctx)) return { reason: Reason.JOINT_DEFENSE_RANGE, weight: 0 };
    const { pumpedRangeDaily, challengeLevel } = ctx.policy.jointDefense;
    const retryAfterSeconds = overCap(ctx, 'sent:range4', { day: pumpedRangeDaily });
    if (retryAfterSeconds !== undefined) return { reason: Reason.JOINT_DEFENSE_RANGE, weight: 100, action: 'block', retryAfterSeconds };
    // No weight: a challenge, not a step towards a block, so the range keeps its path to a code.
    return { reason: Reason.JOINT_DEFENSE_RANGE, weight: 0, action: 'challenge', challengeLevel };
  },
};
