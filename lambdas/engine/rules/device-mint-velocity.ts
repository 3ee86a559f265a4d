import type { ServerDeviceMarker } from '../device-markers';
import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

const MINT_BURST: ServerDeviceMarker = 'mint-burst';

/**
 * The device token was minted while its address or network (/24, /64) was minting new device
 * identities in a burst (`POST /v1/device` over its soft limit: 60 an hour per address, 200 per
 * network): the shield signed `mint-burst` into the token, so this costs no store read. A bot
 * farm making a fresh device per attempt looks like this; so, now and then, does a person who
 * got a first token on a carrier NAT during someone else's burst — hence a score, never a
 * block. Only valid tokens carry it (an expired token is judged like a plain id).
 */
export const deviceMintVelocity: Rule = {
  id: 'device-mint-velocity',
  evaluate: ({ attempt }) => {
    const signals = attempt.deviceSignals;
    return signals?.token === 'valid' && signals.serverMarkers?.includes(MINT_BURST) ? { reason: Reason.DEVICE_MINT_VELOCITY, weight: 25 } : undefined;
  },
};
