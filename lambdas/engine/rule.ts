import type { ParsedPhone } from './phone';
import type { Policy, RuleSetting, Window } from './policy';
import type { Finding, SendAttempt } from './types';

/** A counter read in the verdict's store wave, with the limit it is judged against. */
export interface CounterReading {
  readonly dimension: string;
  readonly window: Window;
  readonly limit: number;
  /** Value after this attempt was counted. */
  readonly value: number;
  /** Seconds until the bucket rolls over. */
  readonly resetsInSeconds: number;
}

/** Everything a rule may look at. Built once per verdict; rules never call the store. */
export interface RuleContext {
  readonly attempt: SendAttempt;
  /** Undefined when the input could not be read as a phone number at all. */
  readonly phone: ParsedPhone | undefined;
  readonly policy: Policy;
  /** Epoch milliseconds. */
  readonly now: number;
  readonly counters: readonly CounterReading[];
}

/**
 * A risk rule: a pure function from signals to findings. One rule per file,
 * registered in `rules/index.ts`; its id is the key tenants use to tune it.
 */
export interface Rule {
  readonly id: string;
  /** Applied when the policy says nothing about this rule. */
  readonly defaults?: RuleSetting;
  evaluate(ctx: RuleContext): Finding | readonly Finding[] | undefined;
}
