import { describe, expect, it } from 'vitest';
import { liveReadings, planLiveAdds } from '../../../lambdas/engine/cross-tenant';
import { DIM } from '../../../lambdas/engine/dimensions';
import { numberManyTenants } from '../../../lambdas/engine/rules/number-many-tenants';
import { T0, hasher, reading as r, ruleContext } from '../../support/engine';

const live = (tenants: number, networks: number) => [r(DIM.LIVE_TENANTS, tenants, 3, 'minute'), r(DIM.LIVE_NETWORKS, networks, 3, 'minute')];

describe('number-many-tenants rule', () => {
  it('is quiet below either threshold: one tenant alone, or one network alone, never trips it', () => {
    expect(numberManyTenants.evaluate(ruleContext())).toBeUndefined();
    expect(numberManyTenants.evaluate(ruleContext({ counters: live(2, 9) }))).toBeUndefined();
    expect(numberManyTenants.evaluate(ruleContext({ counters: live(9, 2) }))).toBeUndefined();
  });

  it('fires on three tenants from three networks: a harder challenge, the owner served, all within the cap', () => {
    expect(numberManyTenants.evaluate(ruleContext({ counters: live(3, 3) }))).toEqual({
      reason: 'NUMBER_MANY_TENANTS',
      weight: 0,
      action: 'challenge',
      challengeLevel: 3,
    });
    expect(numberManyTenants.evaluate(ruleContext({ counters: [...live(3, 3), r('verified:number', 1)] }))).toEqual({
      reason: 'NUMBER_MANY_TENANTS',
      weight: 0,
    });
    expect(numberManyTenants.evaluate(ruleContext({ counters: [...live(5, 5), r('global-number', 2, 3, 'minute')] }))).toMatchObject({
      action: 'block',
      final: true,
    });
  });
});

describe('the live cross-tenant sets', () => {
  it('add a tenant and a network member to the current and the previous 5-minute bucket', () => {
    const adds = planLiveAdds(hasher, { phoneHash: 'p', tenant: 'shop', network: '81.2.69.0/24', nowMs: T0 });
    expect(adds.map((a) => a.key)).toEqual([`m#live#p#${T0 / 300_000}`, `m#live#p#${T0 / 300_000 - 1}`]);
    expect(adds[0]?.members).toEqual(adds[1]?.members);
    expect(adds[0]?.members.map((m) => m[0])).toEqual(['t', 'n']);
    // A non-public address: the tenant's own network, never a shared one.
    const [a] = planLiveAdds(hasher, { phoneHash: 'p', tenant: 'shop', network: undefined, nowMs: T0 });
    const [b] = planLiveAdds(hasher, { phoneHash: 'p', tenant: 'bank', network: undefined, nowMs: T0 });
    expect(a?.members[1]).not.toBe(b?.members[1]);
  });

  it('count the union of both buckets by kind; a full set reads as many', () => {
    const readings = liveReadings(
      [
        ['ta', 'n1'],
        ['ta', 'tb', 'n1', 'n2'],
      ],
      { tenants: 3, networks: 3 },
      T0,
    );
    expect(readings.map((x) => [x.dimension, x.value])).toEqual([
      [DIM.LIVE_TENANTS, 2],
      [DIM.LIVE_NETWORKS, 2],
    ]);
    expect(liveReadings([undefined, ['ta']], { tenants: 3, networks: 3 }, T0).map((x) => x.value)).toEqual([64, 64]);
  });
});
