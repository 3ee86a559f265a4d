import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'ssk_';

/** A new tenant API key: 256 random bits, prefixed so leaked keys are easy to scan for. */
export function generateApiKey(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** Keys are stored and looked up only by this hash. High-entropy keys need no slow KDF. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Extract the key from `Authorization: Bearer <key>`; undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S{8,200})\s*$/i.exec(header);
  return match?.[1];
}
