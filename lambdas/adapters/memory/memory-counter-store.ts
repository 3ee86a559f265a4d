import type { Clock } from '../../ports/clock';
import type { CounterIncrement, CounterStore, DistinctAdd } from '../../ports/counter-store';

interface Cell {
  value: number;
  expiresAt: number;
}

interface DistinctCell {
  readonly members: Set<string>;
  expiresAt: number;
}

/**
 * In-process counters and distinct-sets for replay and engine tests. Expired counters read as
 * zero, expired sets as empty; both are swept periodically, so memory stays bounded by the live
 * windows, not by history. Same semantics as `DynamoCounterStore`.
 */
export class MemoryCounterStore implements CounterStore {
  private readonly cells = new Map<string, Cell>();
  private readonly sets = new Map<string, DistinctCell>();
  private opsSinceSweep = 0;
  /** Number of `increment` calls made: lets tests prove one call per verdict. */
  calls = 0;
  /** Number of `addDistinct` calls made. */
  distinctCalls = 0;

  constructor(
    private readonly clock: Clock,
    private readonly sweepEvery = 50_000,
  ) {}

  async increment(increments: readonly CounterIncrement[]): Promise<number[]> {
    this.calls++;
    return increments.map((inc) => this.apply(inc));
  }

  async addDistinct(adds: readonly DistinctAdd[]): Promise<number[]> {
    this.distinctCalls++;
    return adds.map((add) => this.applyDistinct(add));
  }

  /** Synchronous form of one increment, for callers that do not need to await (replay's hot loop). */
  apply(inc: CounterIncrement): number {
    const nowSeconds = this.clock.now() / 1000;
    if (++this.opsSinceSweep >= this.sweepEvery) this.sweep(nowSeconds);
    let cell = this.cells.get(inc.key);
    if (inc.by === 0) return cell && cell.expiresAt > nowSeconds ? cell.value : 0;
    if (!cell || cell.expiresAt <= nowSeconds) {
      cell = { value: 0, expiresAt: inc.expiresAt };
      this.cells.set(inc.key, cell);
    }
    cell.value += inc.by;
    if (inc.expiresAt > cell.expiresAt) cell.expiresAt = inc.expiresAt;
    return cell.value;
  }

  /** Synchronous form of one distinct add (replay's hot loop). */
  applyDistinct(add: DistinctAdd): number {
    const nowSeconds = this.clock.now() / 1000;
    if (++this.opsSinceSweep >= this.sweepEvery) this.sweep(nowSeconds);
    let cell = this.sets.get(add.key);
    if (!cell || cell.expiresAt <= nowSeconds) {
      // A full set stores nothing new, so a cap below 1 leaves the set absent.
      if (add.cap < 1) return add.cap;
      cell = { members: new Set(), expiresAt: add.expiresAt };
      this.sets.set(add.key, cell);
    }
    const members = cell.members;
    // Like DynamoDB's failed condition: a full set rejects a new member and keeps its TTL.
    if (!members.has(add.member)) {
      if (members.size >= add.cap) return add.cap;
      members.add(add.member);
    }
    if (add.expiresAt > cell.expiresAt) cell.expiresAt = add.expiresAt;
    return members.size < add.cap ? members.size : add.cap;
  }

  /** Live and not yet swept counters. */
  get size(): number {
    return this.cells.size;
  }

  /** Live and not yet swept distinct-sets. */
  get distinctSize(): number {
    return this.sets.size;
  }

  private sweep(nowSeconds: number): void {
    this.opsSinceSweep = 0;
    for (const [key, cell] of this.cells) if (cell.expiresAt <= nowSeconds) this.cells.delete(key);
    for (const [key, cell] of this.sets) if (cell.expiresAt <= nowSeconds) this.sets.delete(key);
  }
}
