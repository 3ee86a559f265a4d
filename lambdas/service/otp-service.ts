import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { VerificationLedger } from '../engine/verification-ledger';
import type { Hasher } from '../engine/hasher';
import { ShieldError, storeUnavailable } from '../domain/errors';
import type { OtpSendRequest, OtpVerifyRequest, VerificationEventRequest } from './schemas';
import type { SendOutcome } from './send-outcome';
import type { ShieldService } from './shield-service';
import type { ResolvedTenant } from './tenant-directory';

export interface OtpServiceOptions {
  /** Wrong codes allowed before the code is burnt. @default 5 */
  readonly maxAttempts?: number;
}

export type OtpVerifyResult =
  | { readonly verified: true }
  | { readonly verified: false; readonly reason: 'NO_PENDING_CODE' | 'WRONG_CODE' | 'TOO_MANY_ATTEMPTS'; readonly remainingAttempts?: number };

/**
 * Codes generated and checked by the shield itself. Codes are stored only as a salted HMAC,
 * compared in constant time, good once, for a limited number of attempts; every outcome feeds
 * the conversion signals the engine uses against pumping and bombing.
 */
export class OtpService {
  private readonly maxAttempts: number;

  constructor(
    private readonly shield: ShieldService,
    private readonly ledger: VerificationLedger,
    private readonly hasher: Hasher,
    options: OtpServiceOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  async send(tenant: ResolvedTenant, request: OtpSendRequest): Promise<SendOutcome> {
    this.shield.admit(tenant);
    // Deduplicated on the request as sent (the code is generated per run, inside).
    return this.shield.once(tenant, 'otp', request, () => {
      const length = request.codeLength ?? 6;
      const code = String(randomInt(0, 10 ** length)).padStart(length, '0');
      const message = (request.template ?? 'Your verification code is {code}').replace('{code}', code);
      const { template: _template, codeLength: _length, ...attempt } = request;
      return this.shield.deliver(tenant, { ...attempt, message }, { codeHash: this.hashCode(code) });
    });
  }

  /** Check a code; 503 `STORE_UNAVAILABLE` when the store cannot be reached (nothing is burnt or credited). */
  async verify(tenant: ResolvedTenant, request: OtpVerifyRequest): Promise<OtpVerifyResult> {
    return this.withStore(() => this.check(tenant, request));
  }

  /**
   * A check first claims one of the code's `maxAttempts` slots with a conditional write, and only
   * then compares: however many checks race (parallel requests, parallel Lambda instances), at
   * most `maxAttempts` codes are ever compared. Reading the count, comparing and then counting
   * would let a burst of guesses all pass the read before any count landed.
   */
  private async check(tenant: ResolvedTenant, request: OtpVerifyRequest): Promise<OtpVerifyResult> {
    const pending = await this.ledger.pendingFor(tenant.tenant.id, request.phone, request.country);
    if (!pending?.codeHash) return { verified: false, reason: 'NO_PENDING_CODE' };
    if ((pending.attempts ?? 0) >= this.maxAttempts) return { verified: false, reason: 'TOO_MANY_ATTEMPTS' };
    const claim = await this.ledger.claimCodeCheck(tenant.tenant.id, pending.phoneHash, this.maxAttempts);
    if (claim.status === 'missing') return { verified: false, reason: 'NO_PENDING_CODE' };
    if (claim.status === 'exhausted') return { verified: false, reason: 'TOO_MANY_ATTEMPTS' };
    if (!this.matches(pending.codeHash, request.code)) {
      const remainingAttempts = Math.max(0, this.maxAttempts - claim.attempts);
      return remainingAttempts === 0 ? { verified: false, reason: 'TOO_MANY_ATTEMPTS' } : { verified: false, reason: 'WRONG_CODE', remainingAttempts };
    }
    // Good once: of two concurrent correct answers only one takes the record, and only while
    // the record still holds this code and no check beyond the limit was counted.
    return (await this.ledger.creditVerified(tenant.tenant.id, pending.phoneHash, pending.codeHash, this.maxAttempts))
      ? { verified: true }
      : { verified: false, reason: 'NO_PENDING_CODE' };
  }

  /** A verification outcome reported by a tenant that checks codes itself. */
  async report(tenant: ResolvedTenant, request: VerificationEventRequest): Promise<{ credited: boolean }> {
    const credited = await this.withStore(() =>
      this.ledger.recordVerification({ tenant: tenant.tenant.id, phone: request.phone, country: request.country, success: request.success }),
    );
    return { credited };
  }

  /** Store failures become 503 with Retry-After (the caller retries), not a 500. */
  private async withStore<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ShieldError) throw error;
      throw storeUnavailable(error, 'Codes cannot be checked right now. Retry shortly.');
    }
  }

  private hashCode(code: string): string {
    const salt = randomBytes(12).toString('base64url');
    return `${salt}.${this.hasher(`otp:${salt}:${code}`)}`;
  }

  private matches(stored: string, code: string): boolean {
    const [salt, expected] = stored.split('.');
    if (!salt || !expected) return false;
    const actual = Buffer.from(this.hasher(`otp:${salt}:${code}`));
    const wanted = Buffer.from(expected);
    return actual.length === wanted.length && timingSafeEqual(actual, wanted);
  }
}
