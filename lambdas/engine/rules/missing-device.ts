import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/** No device token: the browser SDK or the app did not run. Weak alone; switch off for backend-only integrations. */
export const missingDevice: Rule = {
  id: 'missing-device',
  evaluate: ({ attempt }) => (attempt.device ? undefined : { reason: Reason.MISSING_DEVICE, weight: 10 }),
};
