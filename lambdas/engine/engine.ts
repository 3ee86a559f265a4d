import type { Clock } from '../ports/clock';
import type { CounterIncrement, CounterStore } from '../ports/counter-store';
import type { Hasher } from './hasher';
import { parsePhone, type ParsedPhone } from './phone';
import type { Policy } from './policy';
import type { CounterReading, Rule, RuleContext } from './rule';
import { RULES } from './rules/index';
import { applySettings, decide, type AppliedFinding } from './score';
import type { SendAttempt, Verdict } from './types';
import { planCounters, type CounterPlan } from './velocity';

/** The ports the engine needs. It imports nothing from AWS: adapters come in here. */
export interface EngineDeps {
  readonly counters: CounterStore;
  readonly hasher: Hasher;
  readonly clock: Clock;
  /** @default RULES */
  readonly rules?: readonly Rule[];
}

/** A verdict plus what the caller needs to settle it after sending (or not). */
export interface Assessment {
  readonly verdict: Verdict;
  readonly phone: ParsedPhone | undefined;
  /** Hash of the E.164 number, for records that must not hold the number. */
  readonly phoneHash: string | undefined;
  readonly findings: readonly AppliedFinding[];
  /** Quota units taken by this attempt; give them back with `release` if no SMS goes out. */
  readonly reservations: readonly CounterIncrement[];
  /** Epoch milliseconds the verdict was made at. */
  readonly at: number;
}

/**
 * The risk engine: parses the attempt, reads and updates all state it needs in one
 * parallel wave of store calls, runs every rule on the result and scores the findings.
 */
export class RiskEngine {
  private readonly rules: readonly Rule[];

  constructor(private readonly deps: EngineDeps) {
    this.rules = deps.rules ?? RULES;
  }

  async assess(attempt: SendAttempt, policy: Policy): Promise<Assessment> {
    const now = this.deps.clock.now();
    const phone = parsePhone(attempt.phone, attempt.country);
    const phoneHash = phone ? this.deps.hasher(phone.e164) : undefined;

    const plans: CounterPlan[] = [];
    if (phone?.valid && phoneHash) {
      plans.push(...planCounters('number', `t:${attempt.tenant}:${phoneHash}`, policy.numberLimits, now, true));
      plans.push(...planCounters('global-number', phoneHash, policy.globalNumberLimits, now, true));
    }

    // The single wave: every counter update goes out at once.
    const values = plans.length > 0 ? await this.deps.counters.increment(plans.map((p) => p.increment)) : [];
    const counters: CounterReading[] = plans.map((p, i) => ({
      dimension: p.dimension,
      window: p.window,
      limit: p.limit,
      value: values[i] ?? 0,
      resetsInSeconds: p.resetsInSeconds,
    }));

    const ctx: RuleContext = { attempt, phone, policy, now, counters };
    const findings: AppliedFinding[] = [];
    for (const rule of this.rules) {
      findings.push(...applySettings(rule, rule.evaluate(ctx), policy, attempt.scenario));
    }
    const verdict = decide(findings, policy, attempt.scenario, attempt.challenge);
    const reservations = plans.filter((p) => p.quota).map((p) => ({ ...p.increment, by: -p.increment.by }));
    return { verdict, phone, phoneHash, findings, reservations, at: now };
  }

  /** Give back the quota an attempt took when its SMS was not sent (blocked, challenged or failed). */
  async release(assessment: Assessment): Promise<void> {
    if (assessment.reservations.length > 0) await this.deps.counters.increment(assessment.reservations);
  }
}
