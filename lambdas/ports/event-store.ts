import type { Decision } from '../domain/types';

/**
 * One verdict (`send`) or verification outcome (`verify`), as the joint-defense job reads it.
 * Compact and hashed: identifiers are reputation keys (see `engine/reputation.ts`), never a
 * plain number, address or device id.
 */
export interface VerdictEvent {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly kind: 'send' | 'verify';
  readonly tenant: string;
  /**
   * Short deployment hash of the number: joins a verification to the send it credits within
   * the window (the pending record holds this hash, not the reputation keys).
   */
  readonly ref?: string;
  /** `verdict`: a verdict-only call (`/v1/verdicts`), which sends nothing through the shield. */
  readonly via?: 'verdict';
  readonly scenario?: string;
  readonly decision?: Decision;
  /** The SMS went out (allow, or shadow mode). */
  readonly sent?: boolean;
  /** Verdict reasons, hard ones first (at most a handful). */
  readonly reasons?: readonly string[];
  /** Reputation key of the number. */
  readonly number?: string;
  /** Reputation key of the number's 10,000-number range. */
  readonly range?: string;
  /** Country of the number (ISO code, or `+<calling code>`). */
  readonly country?: string;
  /** Reputation key of the caller's IP address (public addresses only). */
  readonly ip?: string;
  /** Reputation key of the caller's /24 (IPv6: /64). */
  readonly subnet?: string;
  /** Reputation key of the device. */
  readonly device?: string;
}

/** Events of a time window, and whether the read stopped at its limit. */
export interface EventPage {
  readonly events: readonly VerdictEvent[];
  /** True when more events existed than `limit`: the job works on a sample and says so. */
  readonly truncated: boolean;
}

/**
 * Verdict events with TTL, stored in time buckets so a window is read bucket by bucket,
 * never by scanning the table.
 */
export interface EventStore {
  /** Record one event; it expires by itself after the store's retention. */
  record(event: VerdictEvent): Promise<void>;
  /** Events with `fromMs <= at < toMs`, at most `limit` (newest buckets first when cut). */
  read(fromMs: number, toMs: number, limit: number): Promise<EventPage>;
  /**
   * Events held per minute of `fromMinute <= m <= toMinute`, for stores that know it without
   * reading them (in memory): the job then sees events written after it folded their minute.
   */
  sizes?(fromMinute: number, toMinute: number): Promise<Map<number, number>>;
}

/** Minute bucket of an instant: events are stored and read per minute. */
export function minuteOf(ms: number): number {
  return Math.floor(ms / 60_000);
}
