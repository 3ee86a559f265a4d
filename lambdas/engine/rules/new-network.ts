import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/** An account with verified history asks from a network (AS or subnet) it never verified on (enabled for sensitive scenarios). */
export const newNetwork: Rule = {
  id: 'new-network',
  defaults: { enabled: false },
  evaluate: ({ account }) => (account && account.verified > 0 && account.networkVerified === 0 ? { reason: Reason.NEW_NETWORK, weight: 15 } : undefined),
};
