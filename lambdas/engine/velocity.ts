import type { CounterIncrement, DistinctAdd } from '../ports/counter-store';
import type { Dimension } from './dimensions';
import { WINDOWS, type Limits, type Window } from './policy';

/** A counter the engine reads in its store wave, with what it is judged against. */
export interface CounterPlan {
  readonly dimension: Dimension;
  readonly window: Window;
  readonly limit: number;
  readonly increment: CounterIncrement;
  readonly resetsInSeconds: number;
  /**
   * Quota counters count SMS that were actually sent: if the attempt ends up not sent,
   * the engine gives the unit back. Other counters count attempts.
   */
  readonly quota: boolean;
}

/** A distinct-set the engine adds to in its store wave. */
export interface DistinctPlan {
  readonly dimension: Dimension;
  readonly window: Window;
  readonly limit: number;
  readonly add: DistinctAdd;
  readonly resetsInSeconds: number;
}

/** Seconds a counter outlives its bucket, so late readers and clock skew never see a reset too early. */
const TTL_SLACK_SECONDS = 300;
/** Largest set kept per key: well above every default limit, small enough for one DynamoDB item. */
const DISTINCT_CAP = 200;
const WINDOW_NAMES = Object.keys(WINDOWS) as Window[];

interface Bucket {
  /** `<window initial><bucket number>`, e.g. `h493210`: a field name, or part of a key. */
  readonly key: string;
  readonly index: number;
  readonly expiresAt: number;
  readonly resetsInSeconds: number;
}

/** Older buckets dropped from an item when a window's current bucket is written (yesterday's day stays). */
const DROP_OFFSETS: Readonly<Record<Window, readonly number[]>> = { minute: [1, 2, 3], hour: [1, 2], day: [2, 3] };

/** A bucket's field name and the fields its write drops, made once per bucket and shared by every plan. */
interface BucketNames {
  readonly key: string;
  readonly drop: readonly string[];
}

/** Per window, the names of the few buckets in use (current, previous): bounded, cleared when it grows. */
const NAMES: Readonly<Record<Window, Map<number, BucketNames>>> = { minute: new Map(), hour: new Map(), day: new Map() };

function namesOf(window: Window, index: number): BucketNames {
  const names = NAMES[window];
  let n = names.get(index);
  if (n === undefined) {
    if (names.size >= 8) names.clear();
    const initial = window[0];
    n = { key: `${initial}${index}`, drop: DROP_OFFSETS[window].map((back) => `${initial}${index - back}`) };
    names.set(index, n);
  }
  return n;
}

/** The bucket of `window` that `nowMs` falls in, `offset` buckets away (−1: the previous one). */
export function bucketOf(window: Window, nowMs: number, offset = 0): Bucket {
  const size = WINDOWS[window];
  const nowSeconds = nowMs / 1000;
  const bucket = Math.floor(nowSeconds / size) + offset;
  const end = (bucket + 1) * size;
  return {
    key: namesOf(window, bucket).key,
    index: bucket,
    // Day buckets stay readable through the following day: baselines compare today with yesterday.
    expiresAt: end + TTL_SLACK_SECONDS + (window === 'day' ? WINDOWS.day : 0),
    resetsInSeconds: Math.max(1, Math.ceil(end - nowSeconds)),
  };
}

/** One counter per window that has a limit, all fields of the item `v#<dimension>#<subject>`. */
export function planCounters(dimension: Dimension, subject: string, limits: Limits, nowMs: number, quota: boolean): CounterPlan[] {
  const plans: CounterPlan[] = [];
  // One key string for all windows: the store hashes it once.
  const key = counterKey(dimension, subject);
  for (const window of WINDOW_NAMES) {
    const limit = limits[window];
    if (limit === undefined) continue;
    plans.push(counterPlan(key, dimension, window, limit, nowMs, quota, 1, 0));
  }
  return plans;
}

/** One counter in one window, as `planCounter` takes it. */
export interface CounterSpec {
  readonly dimension: Dimension;
  readonly subject: string;
  readonly window: Window;
  readonly nowMs: number;
  /** Added to the counter; 0 only reads it. @default 1 */
  readonly by?: number;
  /** What the reading is judged against. @default Infinity (only read, never limited) */
  readonly limit?: number;
  /** Counts SMS actually sent: given back when the attempt ends up not sent. @default false */
  readonly quota?: boolean;
  /** Buckets away from the current one (−1: the previous one, e.g. yesterday). @default 0 */
  readonly offset?: number;
  /** The counter named in the key when the reading's name differs (yesterday's value). @default dimension */
  readonly stored?: Dimension;
}

/** One counter in one window. */
export function planCounter(spec: CounterSpec): CounterPlan {
  const { dimension, subject, window, nowMs, by = 1, limit = Number.POSITIVE_INFINITY, quota = false, offset = 0, stored = dimension } = spec;
  return counterPlan(counterKey(stored, subject), dimension, window, limit, nowMs, quota, by, offset);
}

/** The item key of a subject's counters: `v#<dimension>#<subject>`. */
export function counterKey(dimension: Dimension, subject: string): string {
  return `v#${dimension}#${subject}`;
}

function counterPlan(key: string, dimension: Dimension, window: Window, limit: number, nowMs: number, quota: boolean, by: number, offset: number): CounterPlan {
  const bucket = bucketOf(window, nowMs, offset);
  const increment: CounterIncrement =
    by !== 0 && offset === 0
      ? { key, field: bucket.key, by, expiresAt: bucket.expiresAt, drop: namesOf(window, bucket.index).drop }
      : { key, field: bucket.key, by, expiresAt: bucket.expiresAt };
  return { dimension, window, limit, quota, resetsInSeconds: bucket.resetsInSeconds, increment };
}

/** A distinct-set in the first window that has a limit: key `d#<dimension>#<subject>#<window><bucket>`. */
export function planDistinct(dimension: Dimension, subject: string, member: string, limits: Limits, nowMs: number): DistinctPlan | undefined {
  const window = WINDOW_NAMES.find((w) => limits[w] !== undefined);
  if (!window) return undefined;
  const bucket = bucketOf(window, nowMs);
  return {
    dimension,
    window,
    limit: limits[window] as number,
    resetsInSeconds: bucket.resetsInSeconds,
    add: { key: `d#${dimension}#${subject}#${bucket.key}`, member, cap: DISTINCT_CAP, expiresAt: bucket.expiresAt },
  };
}
