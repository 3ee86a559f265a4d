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

/**
 * The cost guard's two counters for one attempt, in the verdict's wave: the country's SMS in the
 * current 10-minute slot and its estimated spend today. Both are quotas (given back when nothing
 * is sent). A verdict-only call sends nothing here, so it only reads them and the rules add this
 * attempt themselves. None when the guard is off.
 */
export function planCostGuard(input: {
  readonly policy: CostGuardPolicy;
  readonly tenantScope: string;
  readonly country: string;
  readonly nowMs: number;
  readonly verdictOnly: boolean;
}): CounterPlan[] {
  const { policy, tenantScope, country, nowMs, verdictOnly } = input;
  if (policy.mode === 'off') return [];
  const cap = costCapOf(policy, country);
  const slot = Math.floor(nowMs / 1000 / BURST_SLOT_SECONDS);
  const take = (by: number) => (verdictOnly ? { by: 0 } : { by, quota: true });
  return [
    planCounter({
      dimension: DIM.COUNTRY_BURST,
      subject: `${tenantScope}:${country}:${slot}`,
      window: 'hour',
      nowMs,
      limit: cap.burstPer10Min,
      ...take(1),
    }),
    planCounter({
      dimension: DIM.COUNTRY_SPEND,
      subject: `${tenantScope}:${country}`,
      window: 'day',
      nowMs,
      limit: Math.round(cap.dailyBudgetUsd * MICRO_USD),
      ...take(priceMicroUsd(country)),
    }),
  ];
}
