import type { Clock } from '../../ports/clock';
import type { CounterIncrement, CounterStore, DistinctAdd, MembersAdd } from '../../ports/counter-store';

/**
 * An item as one array: its expiry (seconds) at index 0, then its counters as field, value pairs
 * (a handful per item). One object per item, not an object and its array: replay holds hundreds
 * of thousands of items, and each lookup then follows one pointer less.
 */
type Cell = (string | number)[];
const EXPIRES = 0;
const FIRST_FIELD = 1;

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
  /**
   * Keys grouped by the expiry they were created with, counters and sets apart: sweeping drops
   * whole groups, never scans, and looks each key up in its own map only.
   */
  private readonly expiringCells = new Map<number, string[]>();
  private readonly expiringSets = new Map<number, string[]>();
  /**
   * The item touched last: the windows of one subject are consecutive increments of one key,
   * so most lookups are answered here. Always an entry of `cells` (forgotten when a sweep runs).
   */
  private lastKey: string | undefined;
  private lastCell: Cell | undefined;
  /** The set the last member add left (created, found or full); undefined when it stored none. */
  private lastSet: DistinctCell | undefined;
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
    const values = new Array<number>(increments.length);
    for (let i = 0; i < increments.length; i++) values[i] = this.apply(increments[i] as CounterIncrement);
    return values;
  }

  async addDistinct(adds: readonly DistinctAdd[]): Promise<number[]> {
    this.distinctCalls++;
    const sizes = new Array<number>(adds.length);
    for (let i = 0; i < adds.length; i++) sizes[i] = this.applyDistinct(adds[i] as DistinctAdd);
    return sizes;
  }

  async addMembers(adds: readonly MembersAdd[]): Promise<(readonly string[] | undefined)[]> {
    this.distinctCalls++;
    return adds.map((add) => this.applyMembers(add));
  }

  /** Synchronous form of one members add: like `applyDistinct` for each member, then the members. */
  applyMembers(add: MembersAdd): readonly string[] | undefined {
    // One lookup of the set for all its members (not one per member and one more to read it):
    // this runs twice per verdict, on keys that are mostly new.
    let full = false;
    let cell: DistinctCell | undefined;
    for (const member of add.members) {
      const size = this.addMember(add.key, member, add.cap, add.expiresAt, cell);
      if (size >= add.cap) full = true;
      cell = this.lastSet;
    }
    if (add.members.length === 0) cell = this.sets.get(add.key);
    if (full || !cell) return undefined;
    return Array.isArray(cell.members) ? [...cell.members] : [...cell.members];
  }

  /** Synchronous form of one increment, for callers that do not need to await (replay's hot loop). */
  apply(inc: CounterIncrement): number {
    const nowSeconds = this.clock.now() / 1000;
    if (++this.opsSinceSweep >= this.sweepEvery) this.sweep(nowSeconds);
    const field = inc.field ?? DEFAULT_FIELD;
    const key = inc.key;
    let cell = key === this.lastKey ? this.lastCell : this.cells.get(key);
    if (cell && (cell[EXPIRES] as number) <= nowSeconds) cell = undefined;
    if (inc.by === 0) return cell ? fieldValue(cell, field) : 0;
    if (!cell) {
      // Created holding its first field: an array literal is sized to its contents, while
      // pushing onto an empty one reserves room for 16 (most items keep one to three fields).
      cell = [inc.expiresAt, field, inc.by];
      this.cells.set(key, cell);
      schedule(this.expiringCells, key, inc.expiresAt);
      if (inc.expiresAt < this.nextExpiry) this.nextExpiry = inc.expiresAt;
      this.lastKey = key;
      this.lastCell = cell;
      return inc.by;
    }
    this.lastKey = key;
    this.lastCell = cell;
    if (inc.drop) for (const d of inc.drop) if (d !== field) dropField(cell, d);
    if (inc.expiresAt > (cell[EXPIRES] as number)) cell[EXPIRES] = inc.expiresAt;
    return addToField(cell, field, inc.by);
  }

  /** Synchronous form of one distinct add (replay's hot loop). */
  applyDistinct(add: DistinctAdd): number {
    return this.addMember(add.key, add.member, add.cap, add.expiresAt, undefined);
  }

  /**
   * One member added to the set `key`. `known`: the set as a previous add of the same call
   * left it (`lastSet`), so it is not looked up again. Sets `lastSet` to the set after the add.
   */
  private addMember(key: string, member: string, cap: number, expiresAt: number, known: DistinctCell | undefined): number {
    const nowSeconds = this.clock.now() / 1000;
    this.lastSet = undefined;
    // A sweep may drop the known set from the map: look it up again after one.
    if (++this.opsSinceSweep >= this.sweepEvery) {
      this.sweep(nowSeconds);
      known = undefined;
    }
    const cell = known ?? this.sets.get(key);
    if (!cell || cell.expiresAt <= nowSeconds) {
      // A full set stores nothing new, so a cap below 1 leaves the set absent.
      if (cap < 1) return cap;
      // Most sets keep a single member: sized to it (see `apply`).
      const created: DistinctCell = { members: [member], expiresAt };
      this.sets.set(key, created);
      schedule(this.expiringSets, key, expiresAt);
      if (expiresAt < this.nextExpiry) this.nextExpiry = expiresAt;
      this.lastSet = created;
      return 1;
    }
    this.lastSet = cell;
    // Like DynamoDB's failed condition: a full set rejects a new member and keeps its TTL.
    if (!hasMember(cell.members, member)) {
      if (sizeOf(cell.members) >= cap) return cap;
      if (Array.isArray(cell.members)) {
        cell.members.push(member);
        if (cell.members.length > SMALL_SET) cell.members = new Set(cell.members);
      } else {
        cell.members.add(member);
      }
    }
    if (expiresAt > cell.expiresAt) cell.expiresAt = expiresAt;
    const size = sizeOf(cell.members);
    return Math.min(size, cap);
  }

  /** Live and not yet swept counters. */
  get size(): number {
    return this.cells.size;
  }

  /** Live and not yet swept distinct-sets. */
  get distinctSize(): number {
    return this.sets.size;
  }

  /**
   * Drop counters and sets whose expiry group has passed. A key whose expiry was extended since
   * is rescheduled under its new expiry instead. Cost is proportional to what expires.
   */
  private sweep(nowSeconds: number): void {
    this.opsSinceSweep = 0;
    if (nowSeconds < this.nextExpiry) return;
    this.lastKey = undefined;
    this.lastCell = undefined;
    this.nextExpiry = Math.min(
      sweepMap(this.cells, this.expiringCells, nowSeconds, (cell) => cell[EXPIRES] as number),
      sweepMap(this.sets, this.expiringSets, nowSeconds, (set) => set.expiresAt),
    );
  }
}

function schedule(expiring: Map<number, string[]>, key: string, expiresAt: number): void {
  const keys = expiring.get(expiresAt);
  if (keys) keys.push(key);
  else expiring.set(expiresAt, [key]);
}

/** Sweep one map by its expiry groups; returns the earliest expiry still scheduled. */
function sweepMap<T>(entries: Map<string, T>, expiring: Map<number, string[]>, nowSeconds: number, expiryOf: (entry: T) => number): number {
  for (const [expiresAt, keys] of expiring) {
    if (expiresAt > nowSeconds) continue;
    expiring.delete(expiresAt);
    for (const key of keys) {
      const entry = entries.get(key);
      if (entry === undefined) continue;
      const expiry = expiryOf(entry);
      if (expiry <= nowSeconds) entries.delete(key);
      else if (expiry !== expiresAt) schedule(expiring, key, expiry);
    }
  }
  let next = Number.POSITIVE_INFINITY;
  for (const expiresAt of expiring.keys()) if (expiresAt < next) next = expiresAt;
  return next;
}

function fieldValue(fields: Cell, field: string): number {
  for (let i = FIRST_FIELD; i < fields.length; i += 2) if (fields[i] === field) return fields[i + 1] as number;
  return 0;
}

function addToField(fields: Cell, field: string, by: number): number {
  for (let i = FIRST_FIELD; i < fields.length; i += 2) {
    if (fields[i] === field) {
      const value = (fields[i + 1] as number) + by;
      fields[i + 1] = value;
      return value;
    }
  }
  fields.push(field, by);
  return by;
}

function dropField(fields: Cell, field: string): void {
  for (let i = FIRST_FIELD; i < fields.length; i += 2) {
    if (fields[i] === field) {
      fields.splice(i, 2);
      return;
    }
  }
}
