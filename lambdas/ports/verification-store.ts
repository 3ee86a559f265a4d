/**
 * What the shield remembers about an SMS it sent, until the code is verified or expires:
 * the context needed to credit a verification to the right number, range, country, account,
 * device and network, and (for codes the shield generated itself) the code's hash.
 * Identifiers are hashed; nothing here is a plain phone number.
 */
export interface PendingVerification {
  readonly tenant: string;
  /** HMAC of the E.164 number. */
  readonly phoneHash: string;
  /** Epoch seconds the SMS was sent. */
  readonly sentAt: number;
  /** Epoch seconds after which the record is gone. */
  readonly expiresAt: number;
  readonly country?: string;
  /** The number minus its last 4 digits, e.g. `+447400 12`. */
  readonly range4?: string;
  readonly accountHash?: string;
  readonly deviceHash?: string;
  /** Network of the request (`as<asn>` or the /24 or /64 subnet). */
  readonly network?: string;
  /** For codes the shield generated (`/v1/otp/send`): salted hash of the code. */
  readonly codeHash?: string;
  /** Failed code checks so far. */
  readonly attempts?: number;
  /**
   * Earlier codes to the number, asked from the same network, still pending when this one was
   * sent: a person whose code was slow verifies only the newest, which vouches for them too.
   */
  readonly supersedes?: number;
}

/** What claiming one code check found: a slot (the new attempt count), no slot left, or no record. */
export type AttemptClaim = { readonly status: 'claimed'; readonly attempts: number } | { readonly status: 'exhausted' } | { readonly status: 'missing' };

export interface VerificationStore {
  /** Remember a sent SMS, replacing any earlier pending record for the same tenant and number. */
  put(record: PendingVerification): Promise<void>;
  get(tenant: string, phoneHash: string, nowSeconds: number): Promise<PendingVerification | undefined>;
  /**
   * Count one failed code check atomically; returns the new attempt count, or undefined when
   * the record is gone (expired, verified, or never existed).
   */
  recordFailedAttempt(tenant: string, phoneHash: string, nowSeconds: number): Promise<number | undefined>;
  /**
   * Claim one of `maxAttempts` code checks before the code is compared, atomically: the attempt
   * count is incremented only while it is below `maxAttempts` (a conditional write, never
   * read-then-write), so however many checks race, at most `maxAttempts` ever get a slot.
   */
  claimAttempt(tenant: string, phoneHash: string, nowSeconds: number, maxAttempts: number): Promise<AttemptClaim>;
  /**
   * Remove the record and return it, atomically: of two concurrent verifications only one
   * gets the record (a code is good once). With `expectedCodeHash`, only if the record still
   * holds that code: a code checked just before a resend replaced it cannot use up the new one.
   * With `maxAttempts`, only while the record has used no more checks than that.
   */
  take(tenant: string, phoneHash: string, nowSeconds: number, expectedCodeHash?: string, maxAttempts?: number): Promise<PendingVerification | undefined>;
}
