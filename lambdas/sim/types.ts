/**
 * Line formats of the traffic simulator. They are the replay contract's input lines
 * (see shared/product.md, "Replay (backtest) contract") plus fields the replay ignores:
 * `label` (traffic class), `flow` (user flow or attack campaign) and, on verify lines,
 * `after` (the send whose code is being verified).
 */

/** Traffic classes of legitimate users. */
export const LEGIT_LABELS = ['legit:web', 'legit:app', 'legit:office', 'legit:traveler', 'legit:retry', 'legit:sensitive', 'legit:bombed-owner'] as const;

/** Traffic classes of abuse. */
export const ATTACK_LABELS = ['attack:bombing', 'attack:bombing-slow', 'attack:pumping', 'attack:bots', 'attack:junk', 'attack:ato'] as const;

export type LegitLabel = (typeof LEGIT_LABELS)[number];
export type AttackLabel = (typeof ATTACK_LABELS)[number];
export type SimLabel = LegitLabel | AttackLabel;

export const SIM_LABELS: readonly SimLabel[] = [...LEGIT_LABELS, ...ATTACK_LABELS];

export type SimScenario = 'register' | 'login' | 'reset_password' | 'transfer' | 'other';

/** One SMS send attempt, exactly the replay's `send` line plus `label` and `flow`. */
export interface SimSendLine {
  readonly type: 'send';
  /** Unique in the file: `<flow>#<n>`. */
  readonly id: string;
  /** ISO 8601 with milliseconds, UTC. */
  readonly ts: string;
  readonly tenant: string;
  /** The number as the client wrote it (any format, sometimes national with `country`). */
  readonly phone: string;
  /** Region hint for national-format numbers; also sent by forms with a country picker. */
  readonly country?: string;
  readonly scenario: SimScenario;
  readonly ip: string;
  readonly userAgent?: string;
  readonly device?: string;
  /** Absent: no proof-of-work challenge was shown. */
  readonly challengePassed?: boolean;
  readonly account?: string;
  readonly label: SimLabel;
  /** Flow (one user's session) or campaign (one attacker's run) the line belongs to: `<variant>/<rest>`. */
  readonly flow: string;
}

/**
 * A verification outcome that happens only if the send `after` was allowed
 * (the replay ignores it otherwise). `phone` is E.164.
 */
export interface SimVerifyLine {
  readonly type: 'verify';
  readonly ts: string;
  readonly tenant: string;
  readonly phone: string;
  readonly success: boolean;
  /** Id of the send whose code this verifies. */
  readonly after: string;
  readonly label: SimLabel;
  readonly flow: string;
}

export type SimLine = SimSendLine | SimVerifyLine;

export function isLegitLabel(label: string): label is LegitLabel {
  return label.startsWith('legit:');
}

/** The variant of a flow id: the part before the first `/` (e.g. `pumping-paced`). */
export function flowVariant(flow: string): string {
  const slash = flow.indexOf('/');
  return slash < 0 ? flow : flow.slice(0, slash);
}
