import { createHmac } from 'node:crypto';

/**
 * The keys of man-machine identification, derived from one deployment secret so each purpose
 * has its own key: a challenge signature can never pass for a device token signature.
 */
export interface ManMachineKeys {
  readonly challengeKey: string;
  readonly deviceKey: string;
}

export function deriveManMachineKeys(secret: string): ManMachineKeys {
  if (secret.length < 16) throw new Error('The man-machine identification secret must be at least 16 characters long');
  const derive = (purpose: string) => createHmac('sha256', secret).update(purpose).digest('base64url');
  return { challengeKey: derive('sms-shield/challenge/v1'), deviceKey: derive('sms-shield/device-token/v1') };
}
