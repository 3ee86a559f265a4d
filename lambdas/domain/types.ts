import type { ReasonCode } from './reasons';

/** Business scenarios an SMS is sent for; each has its own thresholds and actions. */
export const SCENARIOS = ['register', 'login', 'reset_password', 'transfer', 'other'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export type Decision = 'allow' | 'challenge' | 'block';
export type RiskLevel = 'low' | 'medium' | 'high';

/**
 * Outcome of the proof-of-work check, established before the engine runs: `replayed` is a
 * valid solution that was already used once.
 */
export type ChallengeState = 'passed' | 'failed' | 'replayed' | 'absent';

/** What checking a proof-of-work solution found: its state and, for a genuine one, the level it was issued at. */
export interface ChallengeCheck {
  readonly state: ChallengeState;
  /** The signed difficulty level of a genuine solution (passed or replayed). */
  readonly level?: number;
}

/** What the service learnt from the `device` value before the engine runs. */
export interface DeviceSignals {
  /**
   * `valid`: a device token the shield signed (the attempt's `device` is the id inside it);
   * `invalid`: something shaped like a device token that failed verification (forged,
   * tampered or malformed); `unsigned`: a plain device id the caller supplied; `expired`: a
   * token the shield did sign, past its validity (or a legacy `sdt1` token, which has no issue
   * time) — authentic, so not a forgery, but no proof of a device either: the attempt's
   * `device` is the value itself and it is judged like a plain id.
   */
  readonly token: 'valid' | 'invalid' | 'unsigned' | 'expired';
  /** Automation markers the SDK reported (and the shield saw) when the token was issued. */
  readonly markers: readonly string[];
  /** Epoch seconds the device was first seen; valid tokens only. */
  readonly firstSeen?: number;
  /**
   * Markers the shield signed into the token itself when it issued it (`SERVER_DEVICE_MARKERS`,
   * e.g. `mint-burst`: minted in a burst from one network); valid tokens only.
   */
  readonly serverMarkers?: readonly string[];
}

/** One request to send an SMS, as the engine sees it (already validated). */
export interface SendAttempt {
  readonly tenant: string;
  /** The number as the caller wrote it, in any format. */
  readonly phone: string;
  /** ISO 3166 region used to read national-format numbers. */
  readonly country?: string;
  readonly scenario: Scenario;
  /** The end user's IP address as the calling backend saw it. */
  readonly ip: string;
  readonly userAgent?: string;
  /** Device id: the id inside a valid device token, or the caller's plain value. */
  readonly device?: string;
  /** Present when the service checked the device value (device tokens configured). */
  readonly deviceSignals?: DeviceSignals;
  readonly account?: string;
  readonly challenge: ChallengeState;
  /** Difficulty level of the solution when `challenge` is `passed`: a verdict may ask for more. */
  readonly challengeLevel?: number;
  /**
   * The caller only asks for a verdict (`POST /v1/verdicts`) and sends, if at all, through its
   * own provider: the attempt takes no part in the cross-tenant send quota and is not evidence
   * for shared reputation on its own.
   */
  readonly verdictOnly?: boolean;
}

/** What a rule concluded. Weight adds to the score; an action short-circuits scoring. */
export interface Finding {
  /** A stable reason code: a misspelt one fails to compile. */
  readonly reason: ReasonCode;
  readonly weight: number;
  /** A hard action: decides the verdict whatever the score is. */
  readonly action?: 'block' | 'challenge' | 'allow';
  /** Set by rate rules: the caller may retry after this many seconds. */
  readonly retryAfterSeconds?: number;
  /**
   * A block no allow entry overrides: the number cannot take an SMS (invalid, premium rate and
   * other non-mobile types) or the cross-tenant protection of a victim says no. Allow entries are
   * written by tenants and match values a caller controls (an IP, a device, a country), so they
   * must never open these doors.
   */
  readonly final?: boolean;
  /** With a challenge: the proof-of-work level a solution must have been issued at, at least. */
  readonly challengeLevel?: number;
  /**
   * A solved proof of work does not clear this finding: a challenge it asks for stays a challenge
   * (`CHALLENGE_NOT_ENOUGH`), so the tenant's flow asks for a stronger factor instead. Proof of
   * work is a cost, and a human account-takeover attacker pays it.
   */
  readonly stepUp?: boolean;
}

/** The public verdict, as returned by the API and written by replay. */
export interface Verdict {
  readonly decision: Decision;
  readonly score: number;
  readonly level: RiskLevel;
  readonly reasons: string[];
  /** Present when the block is a rate limit: seconds until the limiting window frees up. */
  readonly retryAfterSeconds?: number;
  /** True when the tenant runs in shadow mode: the decision is what would have happened. */
  readonly shadow?: boolean;
  /** With `challenge`: the proof-of-work level to fetch (`GET /v1/challenge?level=`) when above 1. */
  readonly challengeLevel?: number;
}
