import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/** A device first seen less than this many minutes before the attempt is new. */
export const DEVICE_NEW_MINUTES = 60;

/**
 * The valid device token's device was first seen less than `DEVICE_NEW_MINUTES` ago (renewals
 * keep the first-seen time, so this is the device's age, not the token's). Informational by
 * default (weight 0): a new device is normal for one sign-up, and a bot minting a device per
 * attempt is caught by the velocity rules. A tenant whose users come back (logins, transfers)
 * can weigh it per scenario.
 */
export const deviceTokenNew: Rule = {
  id: 'device-token-new',
  evaluate: ({ attempt, now }) => {
    const signals = attempt.deviceSignals;
    if (signals?.token !== 'valid' || signals.firstSeen === undefined) return undefined;
    return now / 1000 - signals.firstSeen < DEVICE_NEW_MINUTES * 60 ? { reason: Reason.DEVICE_TOKEN_NEW, weight: 0 } : undefined;
  },
};
