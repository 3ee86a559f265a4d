/**
 * One atomic counter update. A counter is a `field` of an item `key`: the windows of one subject
 * (its minute, hour and day buckets) are fields of one item, so they cost one request.
 */
export interface CounterIncrement {
  /** Item key, e.g. `v#number#t:shop:<hash>`. */
  readonly key: string;
  /** Counter within the item, e.g. `h493210` (hour bucket). @default 'v' */
  readonly field?: string;
  /**
   * Signed amount to add; -1 releases an earlier reservation. `0` reads the counter without
   * writing it (an absent counter reads as 0).
   */
  readonly by: number;
  /** Epoch seconds after which the item may be deleted (DynamoDB TTL); an item lives as long as its longest field. */
  readonly expiresAt: number;
  /** Fields of the same item to delete in the same request: buckets whose window has passed. */
  readonly drop?: readonly string[];
}

/** Add one member to a bounded set and learn how many distinct members it has. */
export interface DistinctAdd {
  /** Full set key, e.g. `d#ip-numbers#t:shop:81.2.69.142#d#20394`. */
  readonly key: string;
  /** A short, already-hashed member (never a plain phone number). */
  readonly member: string;
  /**
   * Most members the set keeps. Once full, new members are not stored and the size reads as
   * `cap` (members already in the set still count normally). Bounds item size and memory.
   */
  readonly cap: number;
  /** Epoch seconds after which the set may be deleted. */
  readonly expiresAt: number;
}

/** Add members to a bounded set and get the set's members back. */
export interface MembersAdd {
  /** Full set key. */
  readonly key: string;
  /** Short, already-hashed members (never a plain phone number, address or tenant name). */
  readonly members: readonly string[];
  /** Most members the set keeps; once full, nothing more is stored and the set reads as full. */
  readonly cap: number;
  /** Epoch seconds after which the set may be deleted. */
  readonly expiresAt: number;
}

/**
 * Atomic counters and bounded distinct-sets with TTL. Implementations must apply every update
 * atomically (no read-then-write) and issue all requests of one call in parallel: the engine
 * relies on its calls being one wave of store requests. Increments of the same key must be
 * applied in one request; reads (`by: 0`) may be batched.
 */
export interface CounterStore {
  /** Adds each increment and returns the counters' new values, in input order. */
  increment(increments: readonly CounterIncrement[]): Promise<number[]>;
  /** Adds each member to its set and returns each set's size after the add (at most `cap`), in input order. */
  addDistinct(adds: readonly DistinctAdd[]): Promise<number[]>;
  /**
   * Adds members to each set and returns each set's members after the add, in input order;
   * `undefined` for a set that is full (`cap` reached), whose members are not returned.
   * Lets a caller union sets (e.g. two time buckets) and count members by kind.
   */
  addMembers(adds: readonly MembersAdd[]): Promise<(readonly string[] | undefined)[]>;
}
