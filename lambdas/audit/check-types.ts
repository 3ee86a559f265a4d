/** What an audit check is and what it reports. */
import type { ParsedPhone } from '../engine/phone';
import type { CheckId, ProbeResult, RequestSpec } from './probe';

export type Severity = 'high' | 'medium' | 'low';
/** `finding`: the weakness was seen; `inconclusive`: the probe could not tell; `not-run`: no budget left. */
export type CheckStatus = 'finding' | 'passed' | 'inconclusive' | 'not-run';

/** One line of evidence, already masked: safe to print. */
export interface Evidence {
  readonly text: string;
  /** A longer excerpt of a response, shown as a code block. */
  readonly excerpt?: string;
}

export interface CheckResult {
  readonly id: CheckId;
  /** The weakness this check looks for. */
  readonly title: string;
  readonly severity: Severity;
  readonly status: CheckStatus;
  /** One sentence on what was seen. */
  readonly summary: string;
  readonly evidence: readonly Evidence[];
  readonly fix: string;
}

/** Everything a report shows; numbers are masked and response excerpts redacted. */
export interface AuditReport {
  readonly target: string;
  readonly testNumber: string;
  readonly startedAt: string;
  readonly maxRequests: number;
  readonly delayMs: number;
  readonly planned: number;
  readonly sent: number;
  /** Checks in priority order. */
  readonly checks: readonly CheckResult[];
  /** One line per planned request, in the order sent. */
  readonly requests: readonly string[];
}

export interface CheckContext {
  readonly test: ParsedPhone;
  /** This check's requests that were sent. */
  readonly mine: readonly ProbeResult[];
  readonly all: readonly ProbeResult[];
  readonly describe: (result: ProbeResult) => string;
  /** Like `describe`, without the response excerpt. */
  readonly brief: (result: ProbeResult) => string;
  readonly redact: (text: string) => string;
  readonly skipped: readonly CheckId[];
}

export type Verdict = Pick<CheckResult, 'status' | 'summary' | 'evidence'> & { severity?: Severity };

export interface CheckDefinition {
  readonly id: CheckId;
  readonly title: string;
  readonly severity: Severity;
  readonly fix: string;
  readonly requires?: CheckId;
  requests(test: ParsedPhone): RequestSpec[];
  evaluate(ctx: CheckContext): Verdict;
}
