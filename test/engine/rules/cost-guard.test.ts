import { describe, expect, it } from 'vitest';
import { Reason } from '../../../lambdas/domain/reasons';
import { BURST_SLOT_SECONDS, costCapOf, planCostGuard, priceMicroUsd } from '../../../lambdas/engine/cost-guard';
import type { PolicyOverrides } from '../../../lambdas/engine/policy';
import { countryBudget } from '../../../lambdas/engine/rules/country-budget';
import { countryBurstCap } from '../../../lambdas/engine/rules/country-burst-cap';
import { attempt, memoryEngine, policy, reading, ruleContext, T0 } from '../../support/engine';
import { ukMobile } from '../../support/numbers';

/** Twenty US area codes (no Canadian ones: those are another country and price). */
const US_AREA_CODES = [201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 220, 223, 224];

const guard = (mode: 'monitor' | 'enforce' | 'off', extra: PolicyOverrides['costGuard'] = {}): PolicyOverrides => ({ costGuard: { mode, ...extra } });

/** Each attempt to a new GB number from a new address and device, so only the country caps are shared. */
function fresh(i: number, overrides: Parameters<typeof attempt>[0] = {}) {
  return attempt({ phone: ukMobile(i), ip: `81.2.69.${(i % 200) + 1}`, device: `device-cost-${i}`, ...overrides });
}

describe('cost guard: country burst cap (rule)', () => {
  it('is quiet at the cap and fires over it: weightless in monitor, a block until the slot ends in enforce', () => {
    const at = (value: number, mode: 'monitor' | 'enforce') =>
      countryBurstCap.evaluate(ruleContext({ policy: policy(guard(mode)), counters: [reading('burst:country', value, 3, 'hour')], now: T0 + 90_000 }));
    expect(at(3, 'enforce')).toBeUndefined();
    expect(at(4, 'monitor')).toEqual({ reason: Reason.COUNTRY_BURST_CAP, weight: 0 });
    expect(at(4, 'enforce')).toEqual({ reason: Reason.COUNTRY_BURST_CAP, weight: 100, action: 'block', retryAfterSeconds: BURST_SLOT_SECONDS - 90 });
  });

  it('counts a verdict-only call itself, since it only read the counter', () => {
    const ctx = ruleContext({ attempt: attempt({ verdictOnly: true }), policy: policy(guard('enforce')), counters: [reading('burst:country', 3, 3, 'hour')] });
    expect(countryBurstCap.evaluate(ctx)).toMatchObject({ reason: Reason.COUNTRY_BURST_CAP });
  });
});

describe('cost guard: country budget (rule)', () => {
  it('judges spend in micro-USD against the daily budget, and says when the day turns over', () => {
    const budget = 100_000; // 0.10 USD
    const at = (value: number) =>
      countryBudget.evaluate(ruleContext({ policy: policy(guard('enforce')), counters: [reading('spend:country', value, budget)] }));
    expect(at(budget)).toBeUndefined();
    expect(at(budget + 1)).toMatchObject({ reason: Reason.COUNTRY_BUDGET, action: 'block', retryAfterSeconds: 600 });
  });
});

describe('cost guard: caps and plan', () => {
  it('merges a country entry onto the default caps', () => {
    const p = policy(guard('enforce', { default: { burstPer10Min: 50, dailyBudgetUsd: 20 }, countries: { NG: { dailyBudgetUsd: 2 } } })).costGuard;
    expect(costCapOf(p, 'NG')).toEqual({ burstPer10Min: 50, dailyBudgetUsd: 2 });
    expect(costCapOf(p, 'GB')).toEqual({ burstPer10Min: 50, dailyBudgetUsd: 20 });
  });

  it('plans nothing when off, two quota counters on a send, two reads on a verdict-only call', () => {
    const base = { tenantScope: 't:shop', country: 'GB', nowMs: T0 };
    expect(planCostGuard({ ...base, policy: policy(guard('off')).costGuard, verdictOnly: false })).toEqual([]);
    const send = planCostGuard({ ...base, policy: policy(guard('monitor')).costGuard, verdictOnly: false });
    expect(send.map((c) => [c.dimension, c.increment.by, c.quota])).toEqual([
      ['burst:country', 1, true],
      ['spend:country', priceMicroUsd('GB'), true],
    ]);
    const read = planCostGuard({ ...base, policy: policy(guard('monitor')).costGuard, verdictOnly: true });
    expect(read.map((c) => c.increment.by)).toEqual([0, 0]);
  });
});

describe('cost guard in the engine', () => {
  it('enforce: refuses the SMS over the 10-minute cap with Retry-After, and serves again in the next slot', async () => {
    const { engine, clock } = memoryEngine();
    const p = policy(guard('enforce', { default: { burstPer10Min: 3, dailyBudgetUsd: 1_000 } }));
    const decisions: string[] = [];
    for (let i = 0; i < 4; i++) {
      const a = await engine.assess(fresh(i), p);
      decisions.push(a.verdict.decision);
      await engine.settle(a, a.verdict.decision === 'allow');
    }
    expect(decisions).toEqual(['allow', 'allow', 'allow', 'block']);
    clock.advance(BURST_SLOT_SECONDS * 1000);
    expect((await engine.assess(fresh(10), p)).verdict.decision).toBe('allow');
  });

  it('monitor: names the breach in the verdict and sends anyway', async () => {
    const { engine } = memoryEngine();
    const p = policy(guard('monitor', { default: { burstPer10Min: 1, dailyBudgetUsd: 1_000 } }));
    await engine.settle(await engine.assess(fresh(0), p), true);
    const second = await engine.assess(fresh(1), p);
    expect(second.verdict.decision).toBe('allow');
    expect(second.verdict.reasons).toContain(Reason.COUNTRY_BURST_CAP);
  });

  it('a budget is money: an expensive country reaches it after fewer SMS than a cheap one', async () => {
    const { engine } = memoryEngine();
    // 0.10 USD a day: GB (≈ 0.04 per SMS) gets 2, the US (≈ 0.0085) gets 11.
    // Nobody verifies here: the conversion rules are kept out of the way of what is measured.
    const p = policy({ ...guard('enforce', { default: { burstPer10Min: 1_000, dailyBudgetUsd: 0.1 } }), conversion: { countryMinSends: 1_000 } });
    const served = async (phone: (i: number) => string, country: string) => {
      let n = 0;
      for (let i = 0; i < 20; i++) {
        const a = await engine.assess(fresh(i, { phone: phone(i), country }), p);
        if (a.verdict.decision === 'allow') n++;
        await engine.settle(a, a.verdict.decision === 'allow');
      }
      return n;
    };
    expect(await served(ukMobile, 'GB')).toBe(Math.floor(100_000 / priceMicroUsd('GB')));
    // US numbers in ranges of their own (one area code each), so range signals never add up.
    expect(await served((i) => `+1 ${US_AREA_CODES[i]} 555 0100`, 'US')).toBe(Math.floor(100_000 / priceMicroUsd('US')));
  });

  it('gives the spend back when nothing was sent, so refusals for other reasons do not eat the budget', async () => {
    const { engine } = memoryEngine();
    const p = policy(guard('enforce', { default: { burstPer10Min: 2, dailyBudgetUsd: 1_000 } }));
    for (let i = 0; i < 5; i++) await engine.settle(await engine.assess(fresh(i), p), false);
    expect((await engine.assess(fresh(9), p)).verdict.decision).toBe('allow');
  });

  it('keeps tenants apart: one tenant over its cap leaves another tenant served', async () => {
    const { engine } = memoryEngine();
    const p = policy(guard('enforce', { default: { burstPer10Min: 1, dailyBudgetUsd: 1_000 } }));
    await engine.settle(await engine.assess(fresh(0), p), true);
    expect((await engine.assess(fresh(1), p)).verdict.decision).toBe('block');
    expect((await engine.assess(fresh(2, { tenant: 'other' }), p)).verdict.decision).toBe('allow');
  });
});
