import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/**
 * Sensitive flows (enabled for reset_password and transfer by default): a datacenter
 * network in another country than the number's is refused outright.
 */
export const foreignDatacenter: Rule = {
  id: 'foreign-datacenter',
  defaults: { enabled: false },
  evaluate: ({ geo, phone }) =>
    geo.hosting && geo.country && phone?.country && geo.country !== phone.country
      ? { reason: Reason.FOREIGN_DATACENTER, weight: 100, action: 'block' }
      : undefined,
};
