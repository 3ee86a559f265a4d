import { hash } from 'node:crypto';
import { BoundedCache } from './lru';

/** Keyed hash for identifiers (numbers, devices, IPs) so stores and events never hold them in plain text. */
export type Hasher = (value: string) => string;

/** HMAC-SHA256 truncated to 128 bits, base64url: short keys, no practical collisions. */
export function createHasher(secret: string | Buffer, cacheSize = 50_000): Hasher {
  if (secret.length < 16) throw new Error('The identifier hashing secret must be at least 16 bytes long');
  // HMAC (RFC 2104) from two one-shot hashes over precomputed pads: the same bytes as
  // createHmac, a third cheaper on the verdict path (no Hmac object per call). Both messages are
  // written into buffers made once (pad first), so a call allocates no intermediate buffers.
  const key = Buffer.alloc(64);
  (secret.length > 64 ? hash('sha256', secret, 'buffer') : Buffer.from(secret)).copy(key);
  const ipad = Buffer.from(key.map((b) => b ^ 0x36));
  let inner = Buffer.alloc(64 + 256);
  ipad.copy(inner);
  const outer = Buffer.alloc(64 + 32);
  outer.set(key.map((b) => b ^ 0x5c));
  const hmac = (value: string) => {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (64 + 3 * value.length > inner.length) {
      inner = Buffer.alloc(64 + 3 * value.length);
      ipad.copy(inner);
    }
    const length = 64 + inner.write(value, 64, 'utf8');
    hash('sha256', inner.subarray(0, length), 'buffer').copy(outer, 64);
    return hash('sha256', outer, 'buffer').toString('base64url', 0, 16);
  };
  // The same numbers, devices and IPs come back often; an HMAC costs ~2 µs, a lookup ~0.1 µs.
  const cache = new BoundedCache<string, string>(cacheSize);
  return (value) => cache.get(value) ?? cache.set(value, hmac(value));
}
