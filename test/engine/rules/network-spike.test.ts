import { describe, expect, it } from 'vitest';
import { networkSpike } from '../../../lambdas/engine/rules/network-spike';
import { attempt, reading as r, ruleContext } from '../../support/engine';

/** A sign-up at a tenant with a baseline, `thisHour` from the network against `yesterday`. */
const ctx = (thisHour: number, yesterday: number, tenantYesterday = 5_000) =>
  ruleContext({
    attempt: attempt({ scenario: 'register' }),
    counters: [r('attempts:tenant-yesterday', tenantYesterday), r('attempts:network', thisHour, Infinity, 'hour'), r('attempts:network-yesterday', yesterday)],
  });

describe('network-spike rule', () => {
  it('fires when a farm adds tens an hour to an ISP that gives the tenant a few', () => {
    // 5 an hour yesterday (120 a day); a farm makes it 55 this hour.
    expect(networkSpike.evaluate(ctx(55, 120))).toMatchObject({ reason: 'NETWORK_SPIKE', weight: 25 });
  });
  it('is quiet for a carrier NAT with large, steady traffic at its busy hour', () => {
    // 9,600 a day is 400 an hour on average; the evening peak at 2.5× that is normal.
    expect(networkSpike.evaluate(ctx(1_000, 9_600))).toBeUndefined();
  });
  it('is quiet below the floor, however small the baseline (a small network)', () => {
    expect(networkSpike.evaluate(ctx(9, 0))).toBeUndefined();
  });
  it("never fires on a tenant's first day (no baseline)", () => {
    expect(networkSpike.evaluate(ctx(500, 0, 0))).toBeUndefined();
  });
  it('is quiet when the network was not counted (a scenario it does not watch, no ASN)', () => {
    expect(networkSpike.evaluate(ruleContext({ counters: [r('attempts:tenant-yesterday', 5_000)] }))).toBeUndefined();
  });
});
