import type { ReplayGuard } from '../../ports/replay-guard';

/**
 * In-process replay guard for tests and single-process tools. Same semantics as
 * `DynamoReplayGuard`; expired ids are swept every `sweepEvery` claims, so memory is bounded
 * by the ids still live.
 */
export class MemoryReplayGuard implements ReplayGuard {
  private readonly used = new Map<string, number>();
  private claimsSinceSweep = 0;

  constructor(private readonly sweepEvery = 10_000) {}

  async claim(id: string, expiresAt: number, nowSeconds: number): Promise<boolean> {
    if (++this.claimsSinceSweep >= this.sweepEvery) this.sweep(nowSeconds);
    const until = this.used.get(id);
    if (until !== undefined && until > nowSeconds) return false;
    this.used.set(id, expiresAt);
    return true;
  }

  /** Ids held, live or expired but not yet swept. */
  get size(): number {
    return this.used.size;
  }

  private sweep(nowSeconds: number): void {
    this.claimsSinceSweep = 0;
    for (const [id, until] of this.used) if (until <= nowSeconds) this.used.delete(id);
  }
}
