import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/** An account with verified history asks from a device it never verified on (enabled for sensitive scenarios). */
export const newDevice: Rule = {
  id: 'new-device',
  defaults: { enabled: false },
  evaluate: ({ account }) => (account && account.verified > 0 && account.deviceVerified === 0 ? { reason: Reason.NEW_DEVICE, weight: 25 } : undefined),
};
