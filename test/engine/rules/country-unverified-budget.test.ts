import { describe, expect, it } from 'vitest';
import { judge } from '../../../lambdas/engine/judge';
import { countryUnverifiedBudget } from '../../../lambdas/engine/rules/country-unverified-budget';
import { T0, attempt, memoryEngine, policy, reading as r, ruleContext } from '../../support/engine';

/** Codes sent to the country today, verified today and yesterday, and the tenant's verified today. */
const country = (sent: number, verified: number, verifiedYesterday = 0, tenantVerified = Math.max(1, verified)) => [
  r('sent:country', sent),
  r('verified:country', verified),
  r('verified:country-yesterday', verifiedYesterday),
  r('verified:tenant', tenantVerified),
];
const CHALLENGE = { reason: 'COUNTRY_UNVERIFIED_BUDGET', weight: 0, action: 'challenge' };

describe('country-unverified-budget rule', () => {
  it('is quiet for a country that verifies like people do', () => {
    expect(countryUnverifiedBudget.evaluate(ruleContext({ counters: country(1_000, 880) }))).toBeUndefined();
  });

  it('is quiet under the floor, however little the country verifies', () => {
    expect(countryUnverifiedBudget.evaluate(ruleContext({ counters: country(24, 0, 0, 50) }))).toBeUndefined();
  });

  it('challenges a quiet country once its unverified codes reach the floor (pumping)', () => {
    expect(countryUnverifiedBudget.evaluate(ruleContext({ counters: country(30, 5, 0, 200) }))).toEqual(CHALLENGE);
  });

  it("grows the budget with the country's verified traffic: 0.3 × yesterday's, or today's so far", () => {
    // 350 unverified: over 0.3 × 1,000 verified yesterday and over the 100 verified today…
    expect(countryUnverifiedBudget.evaluate(ruleContext({ counters: country(450, 100, 1_000) }))).toEqual(CHALLENGE);
    // …200 are within it.
    expect(countryUnverifiedBudget.evaluate(ruleContext({ counters: country(300, 100, 1_000) }))).toBeUndefined();
    // Without yesterday (a tenant's first day), today's verified codes are the baseline: no more unverified than verified.
    expect(countryUnverifiedBudget.evaluate(ruleContext({ counters: country(150, 80) }))).toBeUndefined();
    expect(countryUnverifiedBudget.evaluate(ruleContext({ counters: country(170, 80) }))).toEqual(CHALLENGE);
  });

  it('leaves alone a tenant that reports no verifications (every send would look unverified)', () => {
    expect(countryUnverifiedBudget.evaluate(ruleContext({ counters: country(500, 0, 0, 0) }))).toBeUndefined();
  });

  it('does not ask the owner of the number', () => {
    const owner = ruleContext({ counters: [...country(30, 5, 0, 200), r('verified:number', 1)] });
    expect(countryUnverifiedBudget.evaluate(owner)).toBeUndefined();
  });

  it('is tunable: floor and factors in the policy, and the action by rule setting', () => {
    const blocking = policy({ rules: { 'country-unverified-budget': { action: 'block' } } });
    const ctx = ruleContext({ policy: blocking, counters: country(30, 5, 0, 200) });
    expect(judge([countryUnverifiedBudget], ctx)).toMatchObject([{ reason: 'COUNTRY_UNVERIFIED_BUDGET', action: 'block' }]);
    const p = policy({ conversion: { unverifiedFloor: 100, unverifiedFactor: 1, unverifiedTodayFactor: 0.1 } });
    expect(countryUnverifiedBudget.evaluate(ruleContext({ policy: p, counters: country(60, 5, 0, 200) }))).toBeUndefined();
    expect(countryUnverifiedBudget.evaluate(ruleContext({ policy: p, counters: country(450, 100, 1_000) }))).toBeUndefined();
    expect(countryUnverifiedBudget.evaluate(ruleContext({ policy: p, counters: country(1_200, 1_000) }))).toEqual(CHALLENGE);
  });
});

describe('country-unverified-budget in the engine', () => {
  it("challenges pumping into a quiet country once its unverified codes reach the floor, from the engine's own statistics", async () => {
    const { engine, clock } = memoryEngine();
    // The tenant reports verifications: one GB code verified.
    const gb = await engine.assess(attempt(), policy());
    await engine.settle(gb, true);
    await engine.recordVerification({ tenant: 'shop', phone: '+44 7400 123456', success: true });
    const reasons: string[][] = [];
    const decisions: string[] = [];
    for (let i = 0; i < 30; i++) {
      clock.set(T0 + (i + 1) * 180_000);
      const phone = `+33 6${String((i * 1_234_567) % 100_000_000).padStart(8, '0')}`;
      const a = await engine.assess(attempt({ phone, ip: `45.${i}.1.9`, device: `d-${i}` }), policy());
      await engine.settle(a, a.verdict.decision === 'allow');
      reasons.push(a.verdict.reasons);
      decisions.push(a.verdict.decision);
    }
    expect(reasons.slice(0, 25).flat()).not.toContain('COUNTRY_UNVERIFIED_BUDGET');
    expect(reasons[25]).toContain('COUNTRY_UNVERIFIED_BUDGET');
    expect(decisions.slice(25).every((d) => d === 'challenge')).toBe(true);
  });
});
