import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/**
 * A plain device id instead of a signed device token. Off by default: backends and native apps
 * that send their own install ids are normal. Tenants whose every client runs the SDK (or
 * fetches tokens from `POST /v1/device`) switch it on, so a client cannot dodge device
 * counting by inventing a new id per request.
 */
export const unsignedDevice: Rule = {
  id: 'unsigned-device',
  defaults: { enabled: false },
  evaluate: ({ attempt }) => (attempt.deviceSignals?.token === 'unsigned' ? { reason: Reason.DEVICE_UNSIGNED, weight: 20 } : undefined),
};
