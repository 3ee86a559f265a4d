import { reputationEntry } from '../reputation';
import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/**
 * A destination country pumped across tenants (many codes, almost none verified). Only a
 * score: real people in that country still need their codes.
 */
export const jointDefenseCountry: Rule = {
  id: 'joint-defense-country',
  evaluate: (ctx) => (reputationEntry(ctx.reputation, 'country') ? { reason: Reason.JOINT_DEFENSE_COUNTRY, weight: 25 } : undefined),
};
