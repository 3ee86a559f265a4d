import { reputationEntry } from '../reputation';
import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/**
 * An address (or its /24, /64) whose attempts were blocked at several tenants. Only a score:
 * carrier NAT and offices share addresses, so shared reputation alone never blocks an address.
 */
export const jointDefenseIp: Rule = {
  id: 'joint-defense-ip',
  evaluate: (ctx) => {
    if (reputationEntry(ctx.reputation, 'ip')) return { reason: Reason.JOINT_DEFENSE_IP, weight: 30 };
    if (reputationEntry(ctx.reputation, 'subnet')) return { reason: Reason.JOINT_DEFENSE_IP, weight: 15 };
    return undefined;
  },
};
