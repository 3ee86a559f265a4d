import { confident, reputationEntry } from '../reputation';
import { Reason } from '../reasons';
import type { Rule } from '../rule';

/**
 * A 10,000-number range that got many codes and almost no verifications across tenants: SMS
 * pumping. Blocked for every tenant until the entry expires; a weak (imported, low-confidence)
 * entry only scores.
 */
export const jointDefenseRange: Rule = {
  id: 'joint-defense-range',
  evaluate: (ctx) => {
    const entry = reputationEntry(ctx.reputation, 'range');
    if (!entry) return undefined;
    return confident(entry) ? { reason: Reason.JOINT_DEFENSE_RANGE, weight: 100, action: 'block' } : { reason: Reason.JOINT_DEFENSE_RANGE, weight: 40 };
  },
};
