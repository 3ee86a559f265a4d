import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/**
 * A device value shaped like a shield device token that does not verify: forged, tampered
 * with, signed by another deployment, or cut short. Real SDKs only ever hold tokens the
 * shield signed, so this is a client lying about its device (or a broken integration).
 */
export const deviceToken: Rule = {
  id: 'device-token',
  evaluate: ({ attempt }) => (attempt.deviceSignals?.token === 'invalid' ? { reason: Reason.DEVICE_TOKEN_INVALID, weight: 30 } : undefined),
};
