import { describe, expect, it } from 'vitest';
import { hostingSignupBudget } from '../../../lambdas/engine/rules/hosting-signup-budget';
import { attempt, reading as r, ruleContext } from '../../support/engine';

/** A sign-up from AWS (hosting in the test geo), or from a GB ISP with `ip` 81.2.69.142. */
const ctx = (hour: number, day: number, tenant: { today?: number; yesterday?: number } = {}, ip = '3.3.3.3') =>
  ruleContext({
    attempt: attempt({ scenario: 'register', ip }),
    counters: [
      r('attempts:tenant', tenant.today ?? 0),
      r('attempts:tenant-yesterday', tenant.yesterday ?? 0),
      r('attempts:network', hour, Infinity, 'hour'),
      r('attempts:network', day),
    ],
  });

describe('hosting-signup-budget rule', () => {
  it('lets sign-ups from hosting networks through under the budget (DATACENTER_IP still weighs them)', () => {
    expect(hostingSignupBudget.evaluate(ctx(20, 60))).toBeUndefined();
  });
  it('blocks over the hourly budget', () => {
    expect(hostingSignupBudget.evaluate(ctx(21, 30))).toMatchObject({ reason: 'HOSTING_SIGNUP_BUDGET', action: 'block' });
  });
  it('blocks over the daily budget', () => {
    expect(hostingSignupBudget.evaluate(ctx(5, 61))).toMatchObject({ reason: 'HOSTING_SIGNUP_BUDGET', action: 'block' });
  });
  it("grows the daily budget with the tenant's traffic (yesterday or today, the larger)", () => {
    expect(hostingSignupBudget.evaluate(ctx(5, 150, { yesterday: 20_000 }))).toBeUndefined();
    expect(hostingSignupBudget.evaluate(ctx(5, 150, { today: 20_000 }))).toBeUndefined();
    expect(hostingSignupBudget.evaluate(ctx(5, 201, { yesterday: 20_000 }))).toMatchObject({ reason: 'HOSTING_SIGNUP_BUDGET' });
  });
  it("spares the number's owner (a code verified here today), budget or not", () => {
    const c = ctx(21, 30);
    expect(hostingSignupBudget.evaluate({ ...c, counters: [...c.counters, r('verified:number', 1)] })).toBeUndefined();
  });
  it('is quiet for an access network whatever its counts', () => {
    expect(hostingSignupBudget.evaluate(ctx(500, 5_000, {}, '81.2.69.142'))).toBeUndefined();
  });
  it('is quiet when nothing was counted (a scenario it does not watch)', () => {
    expect(hostingSignupBudget.evaluate(ruleContext({ attempt: attempt({ ip: '3.3.3.3' }) }))).toBeUndefined();
  });
});
