import type { Verdict } from '../domain/types';
import type { CounterIncrement } from '../ports/counter-store';
import type { PendingVerification } from '../ports/verification-store';
import type { ParsedPhone } from './phone';
import type { ReputationSubjects } from './reputation';
import type { AppliedFinding } from './score';

/** A verdict plus what the caller needs to settle it after sending (or not). */
export interface Assessment {
  readonly verdict: Verdict;
  readonly phone: ParsedPhone | undefined;
  /** Hash of the E.164 number, for records that must not hold the number. */
  readonly phoneHash: string | undefined;
  readonly findings: readonly AppliedFinding[];
  /** Quota units taken by this attempt; given back by `settle` if no SMS goes out. */
  readonly reservations: readonly CounterIncrement[];
  /** What to remember when the SMS is sent, so a later verification is credited correctly. */
  readonly pending: Omit<PendingVerification, 'sentAt' | 'expiresAt'> | undefined;
  /** Epoch milliseconds the verdict was made at. */
  readonly at: number;
  readonly tenant: string;
  readonly scenario: string;
  /** The caller only asked for a verdict (`/v1/verdicts`): no SMS goes out through the shield. */
  readonly verdictOnly?: boolean;
  /** Hashed keys of the attempt in shared reputation, recorded with its verdict event. */
  readonly subjects: ReputationSubjects;
}

/** A verification outcome to credit: the code for `phone` was (or was not) entered correctly. */
export interface VerificationOutcome {
  readonly tenant: string;
  readonly phone: string;
  readonly country?: string;
  readonly success: boolean;
}
