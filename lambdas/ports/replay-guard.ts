/**
 * Remembers single-use tokens (proof-of-work solutions) until they expire, so each is
 * accepted once. Implementations must decide atomically: of concurrent claims of one id,
 * exactly one wins — a conditional write, never read-then-write.
 */
export interface ReplayGuard {
  /**
   * Record `id` as used until `expiresAt` (epoch seconds). True when this call is the first
   * use; false when a live record of the same id already exists.
   */
  claim(id: string, expiresAt: number, nowSeconds: number): Promise<boolean>;
}
