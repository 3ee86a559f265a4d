import { SCENARIOS, type Scenario } from '../domain/types';
import type { Policy, PolicyOverrides, RuleSetting, ScenarioPolicy } from '../domain/policy';

export {
  WINDOWS,
  type BackoffPolicy,
  type ConversionPolicy,
  type CostGuardPolicy,
  type CountryCostCap,
  type DistinctLimits,
  type JointDefensePolicy,
  type Limits,
  type NetworkPolicy,
  type Policy,
  type PolicyOverrides,
  type PrefixPolicy,
  type RuleAction,
  type RuleSetting,
  type ScenarioPolicy,
  type SourceLimits,
  type SpikePolicy,
  type Window,
} from '../domain/policy';

const baseScenario: ScenarioPolicy = { challengeAt: 40, blockAt: 70, rules: {}, onStoreError: 'open' };

/**
 * Sensitive flows look at the account's history. Resetting a password from a new phone is
 * normal (that is often why people reset), so there a new device only adds score; a transfer
 * from a new device must pass a challenge. Foreign datacenters are refused in both.
 * `unfamiliar-device-and-network` refuses what a solved challenge must not clear: a device and a
 * network the account (else the number) never verified on, or, with no history at all, a
 * foreign or datacenter address. Enable it in other scenarios (login) to widen the set.
 * `number-backoff` is off: there a retry whose earlier codes are still pending counts them as
 * unverified and is challenged (account takeover tools retry like people do), not told to wait.
 */
const sensitiveRules: Readonly<Record<string, RuleSetting>> = {
  'new-device': { enabled: true },
  'number-backoff': { enabled: false },
  'new-network': { enabled: true },
  'foreign-datacenter': { enabled: true },
  'unfamiliar-device-and-network': { enabled: true },
};

/**
 * Defaults follow the per-number quotas large SMS platforms publish (1/min, 5/h, 10/day),
 * and leave room for people who retry when a code is slow, share carrier-NAT or office IPs,
 * travel, and use mobile apps. Tuned with `npm run eval` (see the README).
 */
export const DEFAULT_POLICY: Policy = {
  mode: 'enforce',
  numberLimits: { minute: 1, hour: 5, day: 10 },
  globalNumberLimits: { minute: 3, hour: 10, day: 20 },
  sourceLimits: {
    ip: { hour: 60, day: 400 },
    subnet: { hour: 200, day: 1_500 },
    device: { hour: 10, day: 20 },
  },
  distinctLimits: {
    ipNumbers: { day: 50 },
    deviceNumbers: { day: 3 },
    ipCountries: { day: 3 },
    numberNetworks: { day: 3 },
    deviceAccounts: { day: 2 },
    range3Numbers: { hour: 3 },
    range4Numbers: { hour: 8 },
  },
  hardMultiplier: 3,
  conversion: {
    maxUnverifiedPerNumber: 2,
    pendingWindowSeconds: 600,
    rangeMinSends: 5,
    rangeMinRatio: 0.2,
    countryMinSends: 10,
    countryRelativeRatio: 0.4,
    unverifiedFloor: 25,
    unverifiedFactor: 0.3,
    unverifiedTodayFactor: 1,
  },
  numberBackoff: { baseSeconds: 30, maxSeconds: 900, jitter: 0.2 },
  prefix: { allowance: { range3: 6, range4: 6, range5: 12 }, factor: 4, usedSpace: 0.005, blockAt: 1.5 },
  spike: { minHourly: 30, factor: 5, minTenantDaily: 500 },
  networks: {
    scenarios: ['register'],
    spike: { minHourly: 10, factor: 4, minTenantDaily: 500 },
    hosting: { hourly: 20, daily: 60, share: 0.01 },
  },
  jointDefense: {
    bombingTenants: 3,
    bombingNetworks: 3,
    bombedLimits: { minute: 1, hour: 3, day: 5 },
    challengeLevel: 3,
    pumpedRangeDaily: 2,
  },
  // Generous defaults that real traffic of one tenant rarely meets: they bound the damage of a
  // pumping run nobody noticed. Tenants set their own per country; `enforce` once tuned.
  costGuard: { mode: 'monitor', default: { burstPer10Min: 300, dailyBudgetUsd: 250 }, countries: {} },
  usage: {},
  countries: { allow: [], deny: [] },
  rules: {},
  scenarios: {
    register: baseScenario,
    login: baseScenario,
    reset_password: { challengeAt: 30, blockAt: 60, rules: sensitiveRules, onStoreError: 'closed' },
    transfer: {
      challengeAt: 25,
      blockAt: 55,
      rules: { ...sensitiveRules, 'new-device': { enabled: true, action: 'challenge' } },
      onStoreError: 'closed',
    },
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
