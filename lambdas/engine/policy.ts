import { SCENARIOS, type Scenario } from './types';

/** Counter windows. Buckets are aligned to the epoch: a fixed hour is 10:00–11:00 UTC. */
export const WINDOWS = { minute: 60, hour: 3_600, day: 86_400 } as const;
export type Window = keyof typeof WINDOWS;

/** Maximum events per window; a missing window is not counted at all. */
export type Limits = Partial<Record<Window, number>>;

/** How a rule's finding is applied: as a hard block, a challenge, or only its score. */
export type RuleAction = 'block' | 'challenge' | 'score';

/** Per-rule tuning. Anything left out falls back to the rule's own default. */
export interface RuleSetting {
  readonly enabled?: boolean;
  /** Points added to the score when the rule fires. */
  readonly weight?: number;
  readonly action?: RuleAction;
}

export interface ScenarioPolicy {
  /** Score at or above which the verdict is `challenge`. */
  readonly challengeAt: number;
  /** Score at or above which the verdict is `block`. */
  readonly blockAt: number;
  /** Rule settings for this scenario only; they win over the tenant-wide ones. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
}

/** The complete policy of one tenant. */
export interface Policy {
  /** `shadow`: evaluate and record, but always send. */
  readonly mode: 'enforce' | 'shadow';
  /** SMS per number, per tenant. Aliases of one number count as one (keys use E.164). */
  readonly numberLimits: Limits;
  /** SMS per number across every tenant of this deployment: caps a victim bombed through many interfaces. */
  readonly globalNumberLimits: Limits;
  /** Tenant-wide rule settings. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly scenarios: Readonly<Record<Scenario, ScenarioPolicy>>;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
/** What a tenant stores: any part of the policy; the rest comes from the defaults. */
export type PolicyOverrides = DeepPartial<Policy>;

const baseScenario: ScenarioPolicy = { challengeAt: 40, blockAt: 70, rules: {} };

/**
 * Defaults follow the per-number quotas large SMS platforms publish (1/min, 5/h, 10/day)
 * and leave room for people who retry when a code is slow.
 */
export const DEFAULT_POLICY: Policy = {
  mode: 'enforce',
  numberLimits: { minute: 1, hour: 5, day: 10 },
  globalNumberLimits: { minute: 3, hour: 10, day: 20 },
  rules: {},
  scenarios: {
    register: baseScenario,
    login: baseScenario,
    reset_password: { ...baseScenario, challengeAt: 30, blockAt: 60 },
    transfer: { ...baseScenario, challengeAt: 25, blockAt: 55 },
    other: baseScenario,
  },
};

/** Merge tenant overrides onto the defaults. Plain objects merge; everything else replaces. */
export function resolvePolicy(overrides: PolicyOverrides | undefined, base: Policy = DEFAULT_POLICY): Policy {
  if (!overrides) return base;
  const merged = deepMerge(base, overrides) as Policy;
  for (const scenario of SCENARIOS) {
    const s = merged.scenarios[scenario];
    if (s.challengeAt > s.blockAt) {
      throw new PolicyError(`scenarios.${scenario}: challengeAt (${s.challengeAt}) must not exceed blockAt (${s.blockAt})`);
    }
  }
  return merged;
}

export class PolicyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PolicyError';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    out[key] = deepMerge(base[key], value);
  }
  return out;
}

/** The setting that applies to `ruleId` in `scenario`: scenario beats tenant-wide. */
export function ruleSetting(policy: Policy, scenario: Scenario, ruleId: string): RuleSetting {
  const tenantWide = policy.rules[ruleId];
  const scoped = policy.scenarios[scenario].rules[ruleId];
  if (!tenantWide) return scoped ?? {};
  return scoped ? { ...tenantWide, ...scoped } : tenantWide;
}
