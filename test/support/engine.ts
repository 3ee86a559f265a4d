import { MemoryCounterStore } from '../../lambdas/adapters/memory/memory-counter-store';
import { RiskEngine } from '../../lambdas/engine/engine';
import { createHasher } from '../../lambdas/engine/hasher';
import { parsePhone } from '../../lambdas/engine/phone';
import { DEFAULT_POLICY, resolvePolicy, type Policy, type PolicyOverrides } from '../../lambdas/engine/policy';
import type { RuleContext } from '../../lambdas/engine/rule';
import type { SendAttempt } from '../../lambdas/engine/types';
import { ManualClock } from '../../lambdas/ports/clock';

/** Noon UTC, so minute/hour/day buckets are far from rolling over at the start of a test. */
export const T0 = Date.UTC(2026, 10, 2, 12, 0, 0);

export const hasher = createHasher('test-secret-test-secret-test-secret');

export function attempt(overrides: Partial<SendAttempt> = {}): SendAttempt {
  return {
    tenant: 'shop',
    phone: '+44 7400 123456',
    scenario: 'login',
    ip: '81.2.69.142',
    challenge: 'absent',
    ...overrides,
  };
}

export function policy(overrides?: PolicyOverrides): Policy {
  return resolvePolicy(overrides, DEFAULT_POLICY);
}

/** Engine on in-memory ports with a manual clock. */
export function memoryEngine(start = T0) {
  const clock = new ManualClock(start);
  const counters = new MemoryCounterStore(clock);
  const engine = new RiskEngine({ counters, hasher, clock });
  return { clock, counters, engine };
}

/** A rule context for unit-testing one rule. */
export function ruleContext(overrides: Partial<RuleContext> & { phoneText?: string; region?: string } = {}): RuleContext {
  const a = overrides.attempt ?? attempt();
  return {
    attempt: a,
    phone: 'phone' in overrides ? overrides.phone : parsePhone(overrides.phoneText ?? a.phone, overrides.region ?? a.country),
    policy: overrides.policy ?? DEFAULT_POLICY,
    now: overrides.now ?? T0,
    counters: overrides.counters ?? [],
  };
}
