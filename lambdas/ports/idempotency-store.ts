/** What a key already holds when a request could not claim it. */
export type IdempotencyRecord =
  | { readonly state: 'in_progress'; readonly fingerprint: string }
  | { readonly state: 'completed'; readonly fingerprint: string; readonly response: string };

/**
 * Remembers the response to each idempotency key, so a retried request gets the first answer
 * and never causes a second SMS. Implementations must decide atomically: of concurrent claims
 * of one key, exactly one wins — a conditional write, never read-then-write.
 */
export interface IdempotencyStore {
  /**
   * Claim `id` for a request with `fingerprint`, in progress until `lockedUntil` (epoch
   * seconds). Undefined when this call won the claim; otherwise the live record found.
   */
  claim(id: string, fingerprint: string, lockedUntil: number, nowSeconds: number): Promise<IdempotencyRecord | undefined>;
  /** Store the response of a claimed key until `expiresAt` (epoch seconds). */
  complete(id: string, fingerprint: string, response: string, expiresAt: number): Promise<void>;
  /** Give a claimed key back (nothing was sent, a retry is safe); completed keys stay. */
  release(id: string): Promise<void>;
}
