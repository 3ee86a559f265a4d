import { reputationEntry } from '../reputation';
import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/**
 * A device whose attempts were blocked at several tenants: enough for a challenge on its own,
 * not a block (identical phone models can share a browser fingerprint).
 */
export const jointDefenseDevice: Rule = {
  id: 'joint-defense-device',
  evaluate: (ctx) => (reputationEntry(ctx.reputation, 'device') ? { reason: Reason.JOINT_DEFENSE_DEVICE, weight: 40 } : undefined),
};
