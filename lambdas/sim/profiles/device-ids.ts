import type { Rng } from '../rng';

/** A device token as the shield issues them (opaque). */
export function deviceId(rng: Rng): string {
  return `d-${rng.hex(16)}`;
}
