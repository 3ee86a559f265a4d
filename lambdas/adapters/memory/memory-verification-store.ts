import type { Clock } from '../../ports/clock';
import type { AttemptClaim, PendingVerification, VerificationStore } from '../../ports/verification-store';

/**
 * In-process pending verifications for replay, local tests and engine tests. Same semantics as
 * `DynamoVerificationStore`: a record is invisible from the second it expires, `take` hands a
 * record to one caller only. Given a clock, expired records are swept every `sweepEvery` puts,
 * so memory stays bounded by the live records, not by history.
 */
export class MemoryVerificationStore implements VerificationStore {
  private readonly records = new Map<string, PendingVerification>();
  private putsSinceSweep = 0;

  constructor(
    private readonly clock?: Clock,
    private readonly sweepEvery = 50_000,
  ) {}

  async put(record: PendingVerification): Promise<void> {
    if (this.clock && ++this.putsSinceSweep >= this.sweepEvery) this.sweep(this.clock.now() / 1000);
    this.records.set(keyOf(record.tenant, record.phoneHash), stored(record));
  }

  async get(tenant: string, phoneHash: string, nowSeconds: number): Promise<PendingVerification | undefined> {
    return this.live(keyOf(tenant, phoneHash), nowSeconds);
  }

  async recordFailedAttempt(tenant: string, phoneHash: string, nowSeconds: number): Promise<number | undefined> {
    const key = keyOf(tenant, phoneHash);
    const record = this.live(key, nowSeconds);
    if (!record) return undefined;
    const attempts = (record.attempts ?? 0) + 1;
    this.records.set(key, { ...record, attempts });
    return attempts;
  }

  async claimAttempt(tenant: string, phoneHash: string, nowSeconds: number, maxAttempts: number): Promise<AttemptClaim> {
    const key = keyOf(tenant, phoneHash);
    const record = this.live(key, nowSeconds);
    if (!record) return { status: 'missing' };
    const used = record.attempts ?? 0;
    if (used >= maxAttempts) return { status: 'exhausted' };
    this.records.set(key, { ...record, attempts: used + 1 });
    return { status: 'claimed', attempts: used + 1 };
  }

  async take(tenant: string, phoneHash: string, nowSeconds: number, expectedCodeHash?: string, maxAttempts?: number): Promise<PendingVerification | undefined> {
    const key = keyOf(tenant, phoneHash);
    const record = this.live(key, nowSeconds);
    if (!record || (expectedCodeHash !== undefined && record.codeHash !== expectedCodeHash)) return undefined;
    if (maxAttempts !== undefined && (record.attempts ?? 0) > maxAttempts) return undefined;
    this.records.delete(key);
    return record;
  }

  /** Records held, live or expired but not yet swept. */
  get size(): number {
    return this.records.size;
  }

  private live(key: string, nowSeconds: number): PendingVerification | undefined {
    const record = this.records.get(key);
    return record && record.expiresAt > nowSeconds ? record : undefined;
  }

  private sweep(nowSeconds: number): void {
    this.putsSinceSweep = 0;
    for (const [key, record] of this.records) if (record.expiresAt <= nowSeconds) this.records.delete(key);
  }
}

function keyOf(tenant: string, phoneHash: string): string {
  return `${tenant}#${phoneHash}`;
}

/** A copy holding only the record's fields, as a database would return it. */
function stored(record: PendingVerification): PendingVerification {
  return {
    tenant: record.tenant,
    phoneHash: record.phoneHash,
    sentAt: record.sentAt,
    expiresAt: record.expiresAt,
    ...(record.country !== undefined && { country: record.country }),
    ...(record.range4 !== undefined && { range4: record.range4 }),
    ...(record.accountHash !== undefined && { accountHash: record.accountHash }),
    ...(record.deviceHash !== undefined && { deviceHash: record.deviceHash }),
    ...(record.network !== undefined && { network: record.network }),
    ...(record.codeHash !== undefined && { codeHash: record.codeHash }),
    ...(record.attempts !== undefined && { attempts: record.attempts }),
    ...(record.supersedes !== undefined && { supersedes: record.supersedes }),
  };
}
