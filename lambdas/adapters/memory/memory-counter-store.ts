import type { Clock } from '../../ports/clock';
import type { CounterIncrement, CounterStore } from '../../ports/counter-store';

interface Cell {
  value: number;
  expiresAt: number;
}

/**
 * In-process counters for replay and engine tests. Expired counters read as zero and are
 * swept periodically, so memory stays bounded by the live windows, not by history.
 */
export class MemoryCounterStore implements CounterStore {
  private readonly cells = new Map<string, Cell>();
  private opsSinceSweep = 0;
  /** Number of `increment` calls made: lets tests prove one call per verdict. */
  calls = 0;

  constructor(
    private readonly clock: Clock,
    private readonly sweepEvery = 50_000,
  ) {}

  async increment(increments: readonly CounterIncrement[]): Promise<number[]> {
    this.calls++;
    return increments.map((inc) => this.apply(inc));
  }

  /** Synchronous form, for callers that do not need to await (replay's hot loop). */
  apply(inc: CounterIncrement): number {
    const nowSeconds = this.clock.now() / 1000;
    if (++this.opsSinceSweep >= this.sweepEvery) this.sweep(nowSeconds);
    let cell = this.cells.get(inc.key);
    if (!cell || cell.expiresAt <= nowSeconds) {
      cell = { value: 0, expiresAt: inc.expiresAt };
      this.cells.set(inc.key, cell);
    }
    cell.value += inc.by;
    cell.expiresAt = Math.max(cell.expiresAt, inc.expiresAt);
    return cell.value;
  }

  get size(): number {
    return this.cells.size;
  }

  private sweep(nowSeconds: number): void {
    this.opsSinceSweep = 0;
    for (const [key, cell] of this.cells) if (cell.expiresAt <= nowSeconds) this.cells.delete(key);
  }
}
