/**
 * Per-minute partial aggregates of the joint-defense job (see `joint-defense/partial.ts`), kept
 * for the job's window so each verdict event is folded once, not re-read by every run.
 */
export interface PartialStore<T> {
  /** The stored partials of minutes `fromMinute <= m <= toMinute`, by minute; a missing minute was not folded. */
  read(fromMinute: number, toMinute: number): Promise<Map<number, T>>;
  /** Store the partial of `minute`, replacing one already there (folding is deterministic). */
  write(minute: number, partial: T): Promise<void>;
}

/** How a store that keeps text turns a partial into plain JSON data and back. */
export interface PartialCodec<T> {
  encode(partial: T): unknown;
  /** The partial, or undefined for stored data that is not one (never trust stored data blindly). */
  decode(data: unknown): T | undefined;
}
