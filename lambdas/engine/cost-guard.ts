import { smsPriceUsd } from '../shared/sms-prices';
import { DIM } from './dimensions';
import type { CostGuardPolicy, CountryCostCap } from './policy';
import { type CounterPlan, planCounter } from './velocity';

/** The cost guard's burst slot: fixed 10-minute slots, counted as subjects of the hour window. */
export const BURST_SLOT_SECONDS = 600;

/** Spend is counted in whole micro-USD, so counters stay integers. */
export const MICRO_USD = 1_000_000;

/** The caps of one destination country: its own entry merged onto the tenant's default. */
export function costCapOf(policy: CostGuardPolicy, country: string): CountryCostCap {
  const own = policy.countries[country];
  return own === undefined ? policy.default : { ...policy.default, ...own };
}

/** Seconds until the current burst slot ends. */
export function burstSlotResetsIn(nowMs: number): number {
  const nowSeconds = nowMs / 1000;
  return Math.max(1, Math.ceil((Math.floor(nowSeconds / BURST_SLOT_SECONDS) + 1) * BURST_SLOT_SECONDS - nowSeconds));
}

/** The estimated price of one SMS to `country`, in micro-USD (the bundled table; unknown countries at its default). */
export function priceMicroUsd(country: string): number {
  return Math.round(smsPriceUsd(country) * MICRO_USD);
}

/** Fewest SMS of a cap one sub-counter keeps: the guard then trips within a few percent of the cap. */
export const COST_GUARD_UNITS_PER_SHARD = 10_000;
/** Most sub-counters of one cost-guard counter: 64 × 500 writes a second per country at half the partition limit. */
export const COST_GUARD_MAX_SHARDS = 64;

/**
 * Sub-counters of a cost-guard counter whose cap is `units` SMS. Every attempt to a country
 * writes its counters, so one item would take a whole tenant's traffic to that country (a hot
 * key: DynamoDB throttles one key past 1,000 writes a second). The cap says how much traffic is
 * legitimate (a burst cap of 600,000 per 10 minutes is 1,000 SMS a second), so the counter is
 * split by it: one sub-counter per 10,000 SMS of cap, at most 64 (600,000 a slot: 60, each
 * under 40 writes a second). Caps under 20,000 SMS (the defaults among them) stay one exact counter.
 */
export function costGuardShards(units: number): number {
  if (!Number.isFinite(units)) return COST_GUARD_MAX_SHARDS;
  return Math.min(COST_GUARD_MAX_SHARDS, Math.max(1, Math.floor(units / COST_GUARD_UNITS_PER_SHARD)));
}

/**
 * One sub-counter of a split cap: `shards` sub-counters, each with `ceil(cap / shards)`, an
 * attempt counts in the one `seed` picks. The guard trips when a sub-counter fills, so at most
 * `cap + shards - 1` pass, and sub-counters fill evenly (each takes a random share), so it trips
 * within a few percent of the cap (each keeps at least 10,000 SMS). Unsplit: the subject as is.
 */
function split(subject: string, cap: number, shards: number, seed: number): { subject: string; limit: number } {
  if (shards <= 1) return { subject, limit: cap };
  return { subject: `${subject}#${seed % shards}`, limit: Math.ceil(cap / shards) };
}

/**
 * The cost guard's two counters for one attempt, in the verdict's wave: the country's SMS in the
 * current 10-minute slot and its estimated spend today, each split over sub-counters when its cap
 * is large (`costGuardShards`; `seed`, e.g. the time in ms, picks one). Both are quotas (given
 * back when nothing is sent). A verdict-only call sends nothing here, so it only reads them and
 * the rules add this attempt themselves. None when the guard is off.
 */
export function planCostGuard(input: {
  readonly policy: CostGuardPolicy;
  readonly tenantScope: string;
  readonly country: string;
  readonly nowMs: number;
  readonly verdictOnly: boolean;
  /** A non-negative integer that picks the sub-counter. @default nowMs */
  readonly seed?: number;
}): CounterPlan[] {
  const { policy, tenantScope, country, nowMs, verdictOnly } = input;
  if (policy.mode === 'off') return [];
  const seed = Math.max(0, Math.floor(input.seed ?? nowMs));
  const cap = costCapOf(policy, country);
  const slot = Math.floor(nowMs / 1000 / BURST_SLOT_SECONDS);
  const take = (by: number) => (verdictOnly ? { by: 0 } : { by, quota: true });
  const price = priceMicroUsd(country);
  const budget = Math.round(cap.dailyBudgetUsd * MICRO_USD);
  const burst = split(`${tenantScope}:${country}:${slot}`, cap.burstPer10Min, costGuardShards(cap.burstPer10Min), seed);
  const spend = split(`${tenantScope}:${country}`, budget, costGuardShards(price > 0 ? budget / price : Number.POSITIVE_INFINITY), seed);
  return [
    planCounter({ dimension: DIM.COUNTRY_BURST, subject: burst.subject, window: 'hour', nowMs, limit: burst.limit, ...take(1) }),
    planCounter({ dimension: DIM.COUNTRY_SPEND, subject: spend.subject, window: 'day', nowMs, limit: spend.limit, ...take(price) }),
  ];
}
