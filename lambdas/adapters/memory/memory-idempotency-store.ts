import type { IdempotencyRecord, IdempotencyStore } from '../../ports/idempotency-store';

interface Entry {
  readonly record: IdempotencyRecord;
  readonly until: number;
}

/**
 * In-process idempotency store for tests and single-process servers. Same semantics as
 * `DynamoIdempotencyStore`; expired keys are swept every `sweepEvery` claims.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private claimsSinceSweep = 0;

  constructor(private readonly sweepEvery = 10_000) {}

  async claim(id: string, fingerprint: string, lockedUntil: number, nowSeconds: number): Promise<IdempotencyRecord | undefined> {
    if (++this.claimsSinceSweep >= this.sweepEvery) this.sweep(nowSeconds);
    const entry = this.entries.get(id);
    if (entry && entry.until > nowSeconds) return entry.record;
    this.entries.set(id, { record: { state: 'in_progress', fingerprint }, until: lockedUntil });
    return undefined;
  }

  async complete(id: string, fingerprint: string, response: string, expiresAt: number): Promise<void> {
    this.entries.set(id, { record: { state: 'completed', fingerprint, response }, until: expiresAt });
  }

  async release(id: string): Promise<void> {
    if (this.entries.get(id)?.record.state === 'in_progress') this.entries.delete(id);
  }

  /** Keys held, live or expired but not yet swept. */
  get size(): number {
    return this.entries.size;
  }

  private sweep(nowSeconds: number): void {
    this.claimsSinceSweep = 0;
    for (const [id, entry] of this.entries) if (entry.until <= nowSeconds) this.entries.delete(id);
  }
}
