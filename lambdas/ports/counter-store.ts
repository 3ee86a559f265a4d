/** One atomic counter update. Counters are bucketed: the key names its window and bucket. */
export interface CounterIncrement {
  /** Full counter key, e.g. `v#number#t:shop#<hash>#hour#493210`. */
  readonly key: string;
  /** Signed amount to add; -1 releases an earlier reservation. */
  readonly by: number;
  /** Epoch seconds after which the counter may be deleted (DynamoDB TTL). */
  readonly expiresAt: number;
}

/**
 * Atomic counters with TTL. Implementations must apply every increment atomically
 * (no read-then-write) and issue all of a call's increments in parallel: the engine
 * relies on one call being one wave of store requests.
 */
export interface CounterStore {
  /** Adds each increment and returns the counters' new values, in input order. */
  increment(increments: readonly CounterIncrement[]): Promise<number[]>;
}
