import type { Clock } from '../../ports/clock';
import type { CounterIncrement, CounterStore, DistinctAdd } from '../../ports/counter-store';

/** An item: its counters as [field, value] pairs (a handful per item), and the item's expiry. */
interface Cell {
  fields: (string | number)[];
  expiresAt: number;
}

const DEFAULT_FIELD = 'v';

interface DistinctCell {
  /** Small sets (the usual case) are arrays: cheaper to create and scan than a Set. */
  members: string[] | Set<string>;
  expiresAt: number;
}

const SMALL_SET = 16;

function hasMember(members: string[] | Set<string>, member: string): boolean {
  return Array.isArray(members) ? members.includes(member) : members.has(member);
}

function sizeOf(members: string[] | Set<string>): number {
  return Array.isArray(members) ? members.length : members.size;
}

/**
 * In-process counters and distinct-sets for replay and engine tests. Expired counters read as
 * zero, expired sets as empty; both are swept periodically, so memory stays bounded by the live
 * windows, not by history. Same semantics as `DynamoCounterStore`.
 */
export class MemoryCounterStore implements CounterStore {
  private readonly cells = new Map<string, Cell>();
  private readonly sets = new Map<string, DistinctCell>();
  /** Keys grouped by the expiry they were created with: sweeping drops whole groups, never scans. */
  private readonly expiring = new Map<number, string[]>();
  private nextExpiry = Number.POSITIVE_INFINITY;
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
    const field = inc.field ?? DEFAULT_FIELD;
    let cell = this.cells.get(inc.key);
    if (cell && cell.expiresAt <= nowSeconds) cell = undefined;
    if (inc.by === 0) return cell ? fieldValue(cell.fields, field) : 0;
    if (!cell) {
      cell = { fields: [], expiresAt: inc.expiresAt };
      this.cells.set(inc.key, cell);
      this.schedule(inc.key, inc.expiresAt);
    }
    if (inc.drop) for (const d of inc.drop) if (d !== field) dropField(cell.fields, d);
    if (inc.expiresAt > cell.expiresAt) cell.expiresAt = inc.expiresAt;
    return addToField(cell.fields, field, inc.by);
  }

  /** Synchronous form of one distinct add (replay's hot loop). */
  applyDistinct(add: DistinctAdd): number {
    const nowSeconds = this.clock.now() / 1000;
    if (++this.opsSinceSweep >= this.sweepEvery) this.sweep(nowSeconds);
    let cell = this.sets.get(add.key);
    if (!cell || cell.expiresAt <= nowSeconds) {
      // A full set stores nothing new, so a cap below 1 leaves the set absent.
      if (add.cap < 1) return add.cap;
      cell = { members: [], expiresAt: add.expiresAt };
      this.sets.set(add.key, cell);
      this.schedule(add.key, add.expiresAt);
    }
    // Like DynamoDB's failed condition: a full set rejects a new member and keeps its TTL.
    if (!hasMember(cell.members, add.member)) {
      if (sizeOf(cell.members) >= add.cap) return add.cap;
      if (Array.isArray(cell.members)) {
        cell.members.push(add.member);
        if (cell.members.length > SMALL_SET) cell.members = new Set(cell.members);
      } else {
        cell.members.add(add.member);
      }
    }
    if (add.expiresAt > cell.expiresAt) cell.expiresAt = add.expiresAt;
    const size = sizeOf(cell.members);
    return size < add.cap ? size : add.cap;
  }

  /** Live and not yet swept counters. */
  get size(): number {
    return this.cells.size;
  }

  /** Live and not yet swept distinct-sets. */
  get distinctSize(): number {
    return this.sets.size;
  }

  private schedule(key: string, expiresAt: number): void {
    let keys = this.expiring.get(expiresAt);
    if (!keys) {
      keys = [];
      this.expiring.set(expiresAt, keys);
      if (expiresAt < this.nextExpiry) this.nextExpiry = expiresAt;
    }
    keys.push(key);
  }

  /**
   * Drop counters and sets whose expiry group has passed. A key whose expiry was extended since
   * is rescheduled under its new expiry instead. Cost is proportional to what expires.
   */
  private sweep(nowSeconds: number): void {
    this.opsSinceSweep = 0;
    if (nowSeconds < this.nextExpiry) return;
    let next = Number.POSITIVE_INFINITY;
    for (const [expiresAt, keys] of this.expiring) {
      if (expiresAt > nowSeconds) {
        if (expiresAt < next) next = expiresAt;
        continue;
      }
      this.expiring.delete(expiresAt);
      for (const key of keys) {
        const cell = this.cells.get(key);
        if (cell && cell.expiresAt <= nowSeconds) this.cells.delete(key);
        else if (cell && cell.expiresAt !== expiresAt) this.reschedule(key, cell.expiresAt, nowSeconds);
        const set = this.sets.get(key);
        if (set && set.expiresAt <= nowSeconds) this.sets.delete(key);
        else if (set && set.expiresAt !== expiresAt) this.reschedule(key, set.expiresAt, nowSeconds);
      }
    }
    for (const expiresAt of this.expiring.keys()) if (expiresAt < next) next = expiresAt;
    this.nextExpiry = next;
  }

  private reschedule(key: string, expiresAt: number, nowSeconds: number): void {
    if (expiresAt > nowSeconds) this.schedule(key, expiresAt);
  }
}

function fieldValue(fields: (string | number)[], field: string): number {
  for (let i = 0; i < fields.length; i += 2) if (fields[i] === field) return fields[i + 1] as number;
  return 0;
}

function addToField(fields: (string | number)[], field: string, by: number): number {
  for (let i = 0; i < fields.length; i += 2) {
    if (fields[i] === field) {
      const value = (fields[i + 1] as number) + by;
      fields[i + 1] = value;
      return value;
    }
  }
  fields.push(field, by);
  return by;
}

function dropField(fields: (string | number)[], field: string): void {
  for (let i = 0; i < fields.length; i += 2) {
    if (fields[i] === field) {
      fields.splice(i, 2);
      return;
    }
  }
}
