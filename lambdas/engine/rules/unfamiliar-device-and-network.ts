import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/**
 * Sensitive scenarios (enabled for reset_password and transfer): an account with verified
 * history asks from a device AND a network it never verified on. That is how account takeover
 * looks; a proof-of-work challenge does not stop a human attacker, so this blocks.
 */
export const unfamiliarDeviceAndNetwork: Rule = {
  id: 'unfamiliar-device-and-network',
  defaults: { enabled: false },
  evaluate: ({ account }) =>
    account && account.verified > 0 && account.deviceVerified === 0 && account.networkVerified === 0
      ? { reason: Reason.ACCOUNT_TAKEOVER_RISK, weight: 100, action: 'block' }
      : undefined,
};
