import { describe, expect, it } from 'vitest';
import { COST_GUARD_MAX_SHARDS, costGuardShards, planCostGuard, priceMicroUsd } from '../../lambdas/engine/cost-guard';
import type { CostGuardPolicy } from '../../lambdas/engine/policy';
import { T0 } from '../support/engine';

const guard = (burstPer10Min: number, dailyBudgetUsd: number): CostGuardPolicy => ({
  mode: 'enforce',
  default: { burstPer10Min, dailyBudgetUsd },
  countries: {},
});
const base = { tenantScope: 't:shop', country: 'GB', nowMs: T0, verdictOnly: false };

describe('cost guard counters split by their cap (no hot key at a tenant’s peak)', () => {
  it('one sub-counter per 10,000 SMS of cap, at most 64: the defaults stay one exact counter', () => {
    expect([0, 300, 19_999, 20_000, 500_000, 600_000, 640_000, Number.POSITIVE_INFINITY].map(costGuardShards)).toEqual([1, 1, 1, 2, 50, 60, 64, 64]);
    const [burst, spend] = planCostGuard({ ...base, policy: guard(300, 250) });
    expect(burst?.increment.key.split('#')).toHaveLength(3);
    expect(burst?.limit).toBe(300);
    expect(spend?.limit).toBe(250_000_000);
    expect(spend?.increment.key.split('#')).toHaveLength(3);
  });

  it('a large cap: the attempt counts in the sub-counter its seed picks, against its share of the cap', () => {
    const plans = [0, 1, 63, 64].map((seed) => planCostGuard({ ...base, policy: guard(640_000, 5_000_000), seed }));
    const burstKeys = plans.map((p) => p[0]?.increment.key);
    expect(burstKeys[0]).toMatch(/#0$/);
    expect(burstKeys[1]).toMatch(/#1$/);
    expect(burstKeys[2]).toMatch(/#63$/);
    expect(burstKeys[3]).toBe(burstKeys[0]);
    expect(plans[0]?.[0]?.limit).toBe(640_000 / COST_GUARD_MAX_SHARDS);
    // $5M a day at the GB price is far over 64,000 SMS: 64 sub-counters.
    expect(plans[0]?.[1]?.limit).toBe(Math.ceil(5_000_000_000_000 / 64));
    expect(plans[0]?.[1]?.increment.by).toBe(priceMicroUsd('GB'));
  });

  it('spreads a country’s writes evenly: at 10,000 attempts a second no sub-counter takes more than half a partition’s limit', () => {
    const writes = new Map<string, number>();
    for (let ms = 0; ms < 1_000; ms++) {
      // Ten attempts in every millisecond of one second.
      for (let i = 0; i < 10; i++) {
        const key = planCostGuard({ ...base, nowMs: T0 + ms, policy: guard(6_000_000, 10_000_000) })[0]?.increment.key ?? '';
        writes.set(key, (writes.get(key) ?? 0) + 1);
      }
    }
    expect(writes.size).toBe(64);
    expect(Math.max(...writes.values())).toBeLessThanOrEqual(500);
  });

  it('passes at most cap + shards − 1 and trips within a few percent of the cap (quota given back when refused)', () => {
    const cap = 200_000;
    const shards = costGuardShards(cap);
    const counts = new Map<string, number>();
    let passed = 0;
    let i = 0;
    // A deterministic, well-mixed seed per attempt (a 32-bit finalizer): attempts from many instances at random times.
    const next = () => {
      let h = Math.imul(i ^ (i >>> 16), 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      return (h ^ (h >>> 16)) >>> 0;
    };
    let firstRefusal: number | undefined;
    for (; i < 2 * cap; i++) {
      const [burst] = planCostGuard({ ...base, policy: guard(cap, 1e9), seed: next() });
      if (!burst) throw new Error('no plan');
      const value = (counts.get(burst.increment.key) ?? 0) + 1;
      counts.set(burst.increment.key, value);
      if (value > burst.limit) {
        counts.set(burst.increment.key, value - 1);
        firstRefusal ??= passed;
      } else passed++;
    }
    expect(shards).toBe(20);
    expect(passed).toBeLessThanOrEqual(cap + shards - 1);
    expect(passed).toBe(cap);
    expect(firstRefusal).toBeGreaterThan(0.97 * cap);
  });
});
