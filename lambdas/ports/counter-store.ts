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

/**
 * The store refused some keys of a call for being too busy (DynamoDB throttles a partition key
 * past its per-partition limit, or a table past its throughput). `hot` when that is one busy key
 * and not the store: the store said so (key-range throttling), or it served other writes of the
 * same call meanwhile. A key that hot is itself evidence of an attack on it, so a verdict that
 * meets one fails closed whatever the scenario's `onStoreError` (see `ShieldService`).
 */
export class ThrottledKeysError extends Error {
  constructor(
    /** The keys refused (never shown to a caller: they hold hashes of numbers). */
    readonly keys: readonly string[],
    readonly hot: boolean,
    /** Writes of the same call that the store served. */
    readonly servedWrites: number,
    options?: ErrorOptions,
  ) {
    super(`The store throttled ${keys.length} key(s)${hot ? ' while serving others' : ''}`, options);
    this.name = 'ThrottledKeysError';
  }
}

/**
 * Throws one error for a call whose requests ran in parallel, when any failed: a
 * `ThrottledKeysError` over every throttled key when throttling is all that failed or when it
 * was a hot key (`hot` when any of them was, or when a write of the call went through, counted
 * from `writes`: which results are writes); else the first other failure.
 */
export function throwIfFailed(settled: readonly PromiseSettledResult<unknown>[], writes: (index: number) => boolean): void {
  if (settled.every((r) => r.status === 'fulfilled')) return;
  let throttled: ThrottledKeysError[] | undefined;
  let other: { readonly reason: unknown } | undefined;
  let served = 0;
  for (let i = 0; i < settled.length; i++) {
    const result = settled[i] as PromiseSettledResult<unknown>;
    if (result.status === 'fulfilled') {
      if (writes(i)) served++;
    } else if (result.reason instanceof ThrottledKeysError) {
      (throttled ??= []).push(result.reason);
      served += result.reason.servedWrites;
    } else other ??= result;
  }
  if (!throttled) {
    if (other) throw other.reason;
    return;
  }
  const hot = served > 0 || throttled.some((e) => e.hot);
  // A hot key decides even beside other failures: failing closed is the safe answer.
  if (other && !hot) throw other.reason;
  throw new ThrottledKeysError(
    throttled.flatMap((e) => e.keys),
    hot,
    served,
    { cause: throttled[0] },
  );
}
