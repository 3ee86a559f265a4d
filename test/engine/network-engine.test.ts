import { describe, expect, it, vi } from 'vitest';
import type { PolicyOverrides } from '../../lambdas/engine/policy';
import type { Scenario } from '../../lambdas/domain/types';
import { T0, attempt, memoryEngine, policy } from '../support/engine';
import { ukMobile } from '../support/numbers';

const MINUTE = 60_000;

/**
 * Sign-ups from servers, each from a fresh address of AWS (3/8) or Hetzner (5/8) in the test
 * geo, a fresh device and number, with a solved proof of work: a farm renting from two
 * providers, one attempt a minute within one hour. Returns the engine to go on with.
 */
async function hostingFarm(count: number, overrides?: PolicyOverrides, scenario: Scenario = 'register') {
  const { engine, clock, counters } = memoryEngine();
  const verdicts: { decision: string; reasons: string[] }[] = [];
  for (let i = 0; i < count; i++) {
    clock.set(T0 + i * MINUTE);
    const a = await engine.assess(
      attempt({ phone: ukMobile(i), scenario, ip: `${i % 2 === 0 ? 3 : 5}.${i}.${i % 7}.9`, device: `farm-${i}`, challenge: 'passed' }),
      policy(overrides),
    );
    await engine.settle(a, a.verdict.decision === 'allow');
    verdicts.push(a.verdict);
  }
  return { engine, clock, counters, verdicts };
}

/** A person on a VPN (a hosting address) signing up after the farm. */
const vpnUser = (scenario: Scenario = 'register') => attempt({ phone: ukMobile(9_000), scenario, ip: '3.200.1.7', device: 'vpn-user', challenge: 'passed' });

describe('sign-ups from hosting networks as a budget', () => {
  it('blocks hosting sign-ups past the hourly budget, pooled over every hosting provider', async () => {
    const { verdicts } = await hostingFarm(25);
    expect(verdicts.slice(0, 20).some((v) => v.reasons.includes('HOSTING_SIGNUP_BUDGET'))).toBe(false);
    expect(verdicts.slice(20).every((v) => v.decision === 'block' && v.reasons[0] === 'HOSTING_SIGNUP_BUDGET')).toBe(true);
  });

  it('a farm that uses up the hosting budget also refuses a VPN user signing up after it (griefing)', async () => {
    const { engine, clock } = await hostingFarm(20);
    clock.set(T0 + 30 * MINUTE);
    const verdict = (await engine.assess(vpnUser(), policy())).verdict;
    expect(verdict).toMatchObject({ decision: 'block', reasons: expect.arrayContaining(['HOSTING_SIGNUP_BUDGET']) });
    // …until the hour turns over (the day's budget of 60 is not used up).
    clock.set(T0 + 61 * MINUTE);
    expect((await engine.assess(vpnUser(), policy())).verdict.reasons).not.toContain('HOSTING_SIGNUP_BUDGET');
  });

  it('leaves logins from hosting networks alone: only the scenarios listed are counted', async () => {
    const { engine, verdicts } = await hostingFarm(25, undefined, 'login');
    expect(verdicts.some((v) => v.reasons.includes('HOSTING_SIGNUP_BUDGET'))).toBe(false);
    expect((await engine.assess(vpnUser('login'), policy())).verdict.reasons).not.toContain('HOSTING_SIGNUP_BUDGET');
  });

  it('can be switched off per tenant and per scenario, and then reads nothing', async () => {
    for (const overrides of [
      { rules: { 'hosting-signup-budget': { enabled: false }, 'network-spike': { enabled: false } } },
      { scenarios: { register: { rules: { 'hosting-signup-budget': { enabled: false }, 'network-spike': { enabled: false } } } } },
      { networks: { scenarios: [] } },
    ] satisfies PolicyOverrides[]) {
      const { engine, counters, verdicts } = await hostingFarm(25, overrides);
      expect(verdicts.some((v) => v.reasons.includes('HOSTING_SIGNUP_BUDGET'))).toBe(false);
      const increment = vi.spyOn(counters, 'increment');
      expect((await engine.assess(vpnUser(), policy(overrides))).verdict.reasons).not.toContain('HOSTING_SIGNUP_BUDGET');
      const network = increment.mock.calls.flatMap((call) => call[0].filter((inc) => inc.key.startsWith('v#attempts:network#')));
      expect(network).toEqual([]);
    }
  });
});

describe('sign-ups per network in the single wave', () => {
  it("counts a sign-up's network this hour, today and yesterday as fields of one item", async () => {
    const { engine, counters } = memoryEngine();
    const increment = vi.spyOn(counters, 'increment');
    await engine.assess(attempt({ scenario: 'register' }), policy());
    const network = increment.mock.calls.flatMap((call) => call[0].filter((inc) => inc.key.startsWith('v#attempts:network#')));
    expect(network.map((inc) => inc.by)).toEqual([1, 1, 0]);
    expect(new Set(network.map((inc) => inc.key))).toEqual(new Set(['v#attempts:network#t:shop:register:as2856']));
    // Everything of the verdict went out in one call (the wave).
    expect(increment.mock.calls.filter((call) => call[0].some((inc) => inc.key.startsWith('v#attempts:network#')))).toHaveLength(1);
  });

  it('pools every hosting network into one subject, and counts nothing for a login', async () => {
    const { engine, counters } = memoryEngine();
    const increment = vi.spyOn(counters, 'increment');
    await engine.assess(attempt({ scenario: 'register', ip: '3.1.1.1' }), policy());
    await engine.assess(attempt({ scenario: 'register', ip: '5.1.1.1' }), policy());
    await engine.assess(attempt({ scenario: 'login', ip: '3.1.1.2' }), policy());
    const keys = increment.mock.calls.flatMap((call) => call[0].filter((inc) => inc.key.startsWith('v#attempts:network#')).map((inc) => inc.key));
    expect(new Set(keys)).toEqual(new Set(['v#attempts:network#t:shop:register:hosting']));
    expect(keys).toHaveLength(6);
  });

  it('fires NETWORK_SPIKE when an ISP gives a tenant with a baseline far more sign-ups than yesterday', async () => {
    // T0 is noon: yesterday (UTC) began 36 hours before it.
    const yesterday = T0 - 36 * 60 * MINUTE;
    const { engine, clock } = memoryEngine(yesterday);
    // Yesterday: 600 attempts at the tenant (a baseline), 24 sign-ups from the ISP (1 an hour).
    for (let i = 0; i < 600; i++) {
      clock.set(yesterday + i * 2 * MINUTE);
      const scenario = i % 25 === 0 ? 'register' : 'login';
      await engine.assess(attempt({ phone: ukMobile(i), scenario, ip: `81.2.69.${(i % 250) + 1}`, device: `d-${i}` }), policy());
    }
    const verdicts: string[][] = [];
    for (let i = 0; i < 12; i++) {
      clock.set(T0 + i * 3 * MINUTE);
      const a = await engine.assess(attempt({ phone: ukMobile(1_000 + i), scenario: 'register', ip: `81.2.69.${i + 1}`, device: `new-${i}` }), policy());
      verdicts.push(a.verdict.reasons);
    }
    expect(verdicts.slice(0, 9).some((r) => r.includes('NETWORK_SPIKE'))).toBe(false);
    expect(verdicts.slice(9).every((r) => r.includes('NETWORK_SPIKE'))).toBe(true);
  });
});
