import { describe, expect, it } from 'vitest';
import { planPrefixCounters } from '../../../lambdas/engine/prefix-plans';
import { prefixAnomaly, prefixThreshold } from '../../../lambdas/engine/rules/prefix-anomaly';
import { T0, policy, reading as r, ruleContext } from '../../support/engine';

/** SMS this tenant sent today into the number's 1,000 / 10,000 / 100,000-number prefixes (this attempt included), and to its country (before it). */
const sent = (p3: number, p4: number, p5: number, country = 0) => [
  r('prefix3-sent', p3),
  r('prefix4-sent', p4),
  r('prefix5-sent', p5),
  r('sent:country', country),
];

describe('prefix-anomaly rule', () => {
  it('is quiet for a few SMS into one prefix', () => {
    expect(prefixAnomaly.evaluate(ruleContext({ counters: sent(2, 3, 6, 40) }))).toBeUndefined();
    expect(prefixAnomaly.evaluate(ruleContext({ counters: sent(4, 6, 12, 40) }))).toBeUndefined();
  });

  it('fires for a prefix past its allowance, naming the width furthest over', () => {
    // In a busy country a dense 1,000 block stands out before its 10,000 block does.
    expect(prefixAnomaly.evaluate(ruleContext({ counters: sent(10, 10, 10, 100_000) }))).toEqual({ reason: 'PREFIX_ANOMALY_1K', weight: 40 });
    // Numbers spread over one 10,000 block: the 1,000 blocks stay quiet.
    expect(prefixAnomaly.evaluate(ruleContext({ counters: sent(3, 8, 8, 40) }))).toEqual({ reason: 'PREFIX_ANOMALY_10K', weight: 40 });
    expect(prefixAnomaly.evaluate(ruleContext({ counters: sent(2, 5, 17, 40) }))).toEqual({ reason: 'PREFIX_ANOMALY_100K', weight: 40 });
  });

  it("does not count a number's own retries as more numbers of its prefix", () => {
    // 8 SMS into the 1,000 block today, 4 of them earlier ones to this very number: 4 numbers' worth.
    expect(prefixAnomaly.evaluate(ruleContext({ counters: [...sent(8, 8, 8, 40), r('number', 5)] }))).toBeUndefined();
    expect(prefixAnomaly.evaluate(ruleContext({ counters: [...sent(8, 8, 8, 40), r('number', 1)] }))).toMatchObject({ reason: 'PREFIX_ANOMALY_1K' });
  });

  it('blocks past prefix.blockAt times the threshold', () => {
    expect(prefixAnomaly.evaluate(ruleContext({ counters: sent(3, 10, 12, 40) }))).toEqual({ reason: 'PREFIX_ANOMALY_10K', weight: 100, action: 'block' });
    const lenient = policy({ prefix: { blockAt: 10 } });
    expect(prefixAnomaly.evaluate(ruleContext({ policy: lenient, counters: sent(3, 10, 12, 40) }))).toEqual({ reason: 'PREFIX_ANOMALY_10K', weight: 40 });
  });

  it("judges against the tenant's traffic to the country: a big country's busy prefix is normal", () => {
    // +44 7400 123456: 10 national digits. 2,000,000 SMS a day to GB spread over the 0.5% of its
    // 1,000,000 10,000-number blocks taken as in use is 400 each; 4× that before a block stands out.
    const ctx = ruleContext({ counters: sent(4, 1_000, 1_000, 2_000_000) });
    expect(prefixThreshold(ctx, 10, 4)).toBeCloseTo(1_600, 0);
    expect(prefixAnomaly.evaluate(ctx)).toBeUndefined();
    // The same tenant with little GB traffic: 1,000 SMS into one block is a farm's.
    expect(prefixAnomaly.evaluate(ruleContext({ counters: sent(4, 1_000, 1_000, 5_000) }))).toMatchObject({ reason: 'PREFIX_ANOMALY_10K', action: 'block' });
  });

  it('serves the owner of a number inside an anomalous prefix', () => {
    const verifiedToday = ruleContext({ counters: [...sent(3, 50, 60, 40), r('verified:number', 1)] });
    expect(prefixAnomaly.evaluate(verifiedToday)).toBeUndefined();
    const knownDevice = ruleContext({ counters: sent(3, 50, 60, 40), account: { verified: 3, deviceVerified: 2, networkVerified: 1 } });
    expect(prefixAnomaly.evaluate(knownDevice)).toBeUndefined();
  });

  it('is tunable per tenant: allowances, factor and the share of the number space in use', () => {
    const loose = policy({ prefix: { allowance: { range3: 20, range4: 60, range5: 100 } } });
    expect(prefixAnomaly.evaluate(ruleContext({ policy: loose, counters: sent(9, 50, 60, 40) }))).toBeUndefined();
    // A tenant whose users cluster in few ranges says so: 10 blocks in use, each expects a tenth.
    const clustered = policy({ prefix: { usedSpace: 0.00001 } });
    expect(prefixThreshold(ruleContext({ policy: clustered, counters: sent(0, 0, 0, 999) }), 10, 4)).toBeCloseTo(400, 6);
  });

  it('plans all three widths as fields of one item per 100,000-number prefix and day', () => {
    const plans = planPrefixCounters('t:shop', { e164: '+447400123456', nationalNumber: '7400123456' }, T0) ?? [];
    expect(plans.map((p) => p.dimension)).toEqual(['prefix3-sent', 'prefix4-sent', 'prefix5-sent']);
    expect(new Set(plans.map((p) => p.increment.key)).size).toBe(1);
    expect(plans[0]?.increment.key).toMatch(/^v#prefix-sent#t:shop:\+4474001#d\d+$/);
    expect(plans.map((p) => p.increment.field)).toEqual(['w3:23', 'w4:2', 'w5']);
    expect(plans.every((p) => p.quota && p.window === 'day')).toBe(true);
    expect(planPrefixCounters('t:shop', { e164: '+2471234', nationalNumber: '1234' }, T0)).toBeUndefined();
  });
});
