import type { Clock } from '../ports/clock';
import type { CounterIncrement, CounterStore } from '../ports/counter-store';
import type { AttemptClaim, PendingVerification, VerificationStore } from '../ports/verification-store';
import { ACCOUNT_TTL_SECONDS, accountKey } from './account-history';
import type { AggregateStats } from './aggregate-stats';
import type { Assessment, VerificationOutcome } from './assessment';
import { DIM, type Dimension } from './dimensions';
import { type EventRecorder, verifyEvent } from './events';
import type { Hasher } from './hasher';
import { type ParsedPhone, parsePhone, countryKey } from './phone';
import { planCounter } from './velocity';

export interface VerificationLedgerDeps {
  readonly verifications: VerificationStore;
  readonly counters: CounterStore;
  readonly hasher: Hasher;
  readonly clock: Clock;
  /** The engine's tenant- and country-wide statistics (verified codes count there too). */
  readonly stats: AggregateStats;
  readonly events: EventRecorder;
  /** How long a sent code can be verified (credited to conversion). @default 1800 s */
  readonly verificationWindowSeconds?: number;
  /** Told when the counters' credit of a verified code could not be recorded (never an error). */
  readonly onCreditError?: (error: unknown) => void;
}

/**
 * What the shield remembers about the SMS it sent, until they are verified: pending records, code
 * checks and the credit a verification earns the number, its range, its country, the tenant and
 * the account's device and network. `OtpService` needs only this, not the whole engine.
 */
export class VerificationLedger {
  private readonly verificationWindow: number;

  constructor(private readonly deps: VerificationLedgerDeps) {
    this.verificationWindow = deps.verificationWindowSeconds ?? 1_800;
  }

  /** Remember a sent SMS so its verification can be credited (and its code checked). */
  remember(assessment: Assessment, extra: { codeHash?: string } = {}): Promise<void> | undefined {
    const { pending } = assessment;
    if (!pending) return undefined;
    const scope = `t:${pending.tenant}`;
    this.addStat(DIM.SENT_TENANT, scope, assessment.at);
    if (pending.country) this.addStat(DIM.SENT_COUNTRY, `${scope}:${pending.country}`, assessment.at);
    const sentAt = Math.floor(assessment.at / 1000);
    return this.deps.verifications.put({ ...pending, ...extra, sentAt, expiresAt: sentAt + this.verificationWindow });
  }

  /** Record a failed code check; undefined when there is no pending code. */
  recordFailedCode(tenant: string, phoneHash: string): Promise<number | undefined> {
    return this.deps.verifications.recordFailedAttempt(tenant, phoneHash, this.nowSeconds());
  }

  /** Claim one of `maxAttempts` checks of a pending code, atomically, before the code is compared. */
  claimCodeCheck(tenant: string, phoneHash: string, maxAttempts: number): Promise<AttemptClaim> {
    return this.deps.verifications.claimAttempt(tenant, phoneHash, this.nowSeconds(), maxAttempts);
  }

  /**
   * Take the pending record (once; with `codeHash`, only while it still holds that code; with
   * `maxAttempts`, only while no more checks than that were used) and credit it as verified.
   */
  async creditVerified(tenant: string, phoneHash: string, codeHash?: string, maxAttempts?: number): Promise<boolean> {
    const now = this.deps.clock.now();
    const pending = await this.deps.verifications.take(tenant, phoneHash, Math.floor(now / 1000), codeHash, maxAttempts);
    if (!pending) return false;
    const scope = `t:${pending.tenant}`;
    this.addStat(DIM.VERIFIED_TENANT, scope, now);
    if (pending.country) this.addStat(DIM.VERIFIED_COUNTRY, `${scope}:${pending.country}`, now);
    const event = this.deps.events.record(verifyEvent(now, pending.tenant, pending.phoneHash));
    // The record is taken, so the code is used up and verified: failing to credit the
    // conversion counters is reported, never turned into an error (a retry would find no code).
    const credit = this.deps.counters.increment(verificationCredits(pending, now)).catch((error: unknown) => this.deps.onCreditError?.(error));
    await Promise.all([event, credit]);
    return true;
  }

  /**
   * Credit a verification outcome. Only a number the shield recently sent to can be credited
   * (once): a success counts for the number, its range, its country, the tenant and the
   * account's device and network. Returns whether a sent code was found.
   */
  async recordVerification(outcome: VerificationOutcome): Promise<boolean> {
    const phone = parsePhone(outcome.phone, outcome.country);
    if (!phone?.valid) return false;
    const phoneHash = this.deps.hasher(phone.e164);
    if (!outcome.success) return (await this.recordFailedCode(outcome.tenant, phoneHash)) !== undefined;
    return this.creditVerified(outcome.tenant, phoneHash);
  }

  /** The pending record for a number, e.g. to check a code the shield generated. */
  pendingFor(tenant: string, phone: string, country?: string): Promise<PendingVerification | undefined> {
    const parsed = parsePhone(phone, country);
    if (!parsed?.valid) return Promise.resolve(undefined);
    return this.deps.verifications.get(tenant, this.deps.hasher(parsed.e164), this.nowSeconds());
  }

  private addStat(dimension: Dimension, subject: string, nowMs: number): void {
    this.deps.stats.add(planCounter({ dimension, subject, window: 'day', nowMs }).increment, 1);
  }

  private nowSeconds(): number {
    return Math.floor(this.deps.clock.now() / 1000);
  }
}

/** Most superseded codes one verification vouches for (the backoff allows few more in a pending window). */
const MAX_SUPERSEDED = 5;

/** Counter increments that credit one successful verification. */
export function verificationCredits(p: PendingVerification, nowMs: number): CounterIncrement[] {
  const scope = `t:${p.tenant}`;
  const credit = (dimension: Dimension, subject: string, by = 1) => planCounter({ dimension, subject, window: 'day', nowMs, by }).increment;
  // The number is credited for the earlier codes this one superseded too (the other credits count people, once).
  const superseded = Math.min(MAX_SUPERSEDED, Math.max(0, Math.floor(p.supersedes ?? 0)));
  const out: CounterIncrement[] = [credit(DIM.VERIFIED_NUMBER, `${scope}:${p.phoneHash}`, 1 + superseded)];
  if (p.range4) out.push(credit(DIM.VERIFIED_RANGE4, `${scope}:${p.range4}`));
  const expiresAt = Math.floor(nowMs / 1000) + ACCOUNT_TTL_SECONDS;
  // The number's own history: what sensitive scenarios compare with when no account is named.
  const number = `${scope}:${p.phoneHash}`;
  out.push({ key: accountKey(DIM.NUMBER_HISTORY, number), by: 1, expiresAt });
  if (p.deviceHash) out.push({ key: accountKey(DIM.NUMBER_HISTORY_DEVICE, `${number}:${p.deviceHash}`), by: 1, expiresAt });
  if (p.network) out.push({ key: accountKey(DIM.NUMBER_HISTORY_NETWORK, `${number}:${p.network}`), by: 1, expiresAt });
  if (p.accountHash) {
    const account = `${scope}:${p.accountHash}`;
    out.push({ key: accountKey(DIM.ACCOUNT_VERIFIED, account), by: 1, expiresAt });
    if (p.deviceHash) out.push({ key: accountKey(DIM.ACCOUNT_DEVICE, `${account}:${p.deviceHash}`), by: 1, expiresAt });
    if (p.network) out.push({ key: accountKey(DIM.ACCOUNT_NETWORK, `${account}:${p.network}`), by: 1, expiresAt });
  }
  return out;
}

/** What a sent SMS leaves behind for its verification; only for a valid number. */
export function pendingRecord(
  tenant: string,
  phone: ParsedPhone | undefined,
  phoneHash: string | undefined,
  keys: { accountHash?: string; deviceHash?: string; network?: string },
): Assessment['pending'] {
  if (!phone?.valid || phoneHash === undefined) return undefined;
  return {
    tenant,
    phoneHash,
    country: countryKey(phone),
    range4: phone.e164.slice(0, -4),
    accountHash: keys.accountHash,
    deviceHash: keys.deviceHash,
    network: keys.network,
  };
}
