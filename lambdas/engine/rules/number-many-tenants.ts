import { DIM } from '../dimensions';
import { Reason } from '../../domain/reasons';
import { reading, type Rule } from '../rule';
import { bombedNumberFinding } from './owner-path';

/**
 * Bombing as it happens: codes for one number asked through several tenants (interfaces) from
 * several networks within the last 5–10 minutes. Both counts include this attempt, so the
 * default 3 means two other tenants and two other networks: one tenant alone, or one network
 * alone (a person asking two services from home), never trips it. The number is defused, not
 * locked (see `bombedNumberFinding`), and the signal ends minutes after the bombing does.
 */
export const numberManyTenants: Rule = {
  id: 'number-many-tenants',
  evaluate: (ctx) => {
    const tenants = reading(ctx, DIM.LIVE_TENANTS);
    const networks = reading(ctx, DIM.LIVE_NETWORKS);
    if (!tenants || !networks || tenants.value < tenants.limit || networks.value < networks.limit) return undefined;
    return bombedNumberFinding(ctx, Reason.NUMBER_MANY_TENANTS);
  },
};
