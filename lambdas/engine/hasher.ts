import { createHmac } from 'node:crypto';

/** Keyed hash for identifiers (numbers, devices, IPs) so stores and events never hold them in plain text. */
export type Hasher = (value: string) => string;

/** HMAC-SHA256 truncated to 128 bits, base64url: short keys, no practical collisions. */
export function createHasher(secret: string | Buffer): Hasher {
  if (secret.length < 16) throw new Error('The identifier hashing secret must be at least 16 bytes long');
  return (value) => createHmac('sha256', secret).update(value).digest().subarray(0, 16).toString('base64url');
}
