import { confident, reputationEntry } from '../reputation';
import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';
import { bombedNumberFinding } from './owner-path';

/**
 * A number the joint-defense job found bombed through several tenants from several networks:
 * every tenant defuses it until the entry expires — a tight cross-tenant cap, a harder proof of
 * work for anyone without ownership history, the owner served within the cap (see
 * `bombedNumberFinding`). A low-confidence (e.g. imported) entry only asks for a challenge.
 */
export const jointDefenseVictim: Rule = {
  id: 'joint-defense-victim',
  evaluate: (ctx) => {
    const entry = reputationEntry(ctx.reputation, 'number');
    if (!entry) return undefined;
    if (!confident(entry)) return { reason: Reason.JOINT_DEFENSE_VICTIM, weight: 40, action: 'challenge' };
    return bombedNumberFinding(ctx, Reason.JOINT_DEFENSE_VICTIM);
  },
};
