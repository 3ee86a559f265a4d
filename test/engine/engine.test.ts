import { describe, expect, it } from 'vitest';
import type { Assessment, RiskEngine } from '../../lambdas/engine/engine';
import { attempt, memoryEngine, policy } from '../support/engine';

/** What a real user does: the SMS goes out and they type the code in. */
async function sentAndVerified(engine: RiskEngine, assessment: Assessment) {
  await engine.settle(assessment, true);
  await engine.recordVerification({ tenant: 'shop', phone: assessment.phone?.e164 ?? '', success: true });
}

describe('RiskEngine', () => {
  it('allows a first SMS to a valid mobile number', async () => {
    const { engine } = memoryEngine();
    const { verdict } = await engine.assess(attempt(), policy());
    expect(verdict).toEqual({ decision: 'allow', score: 0, level: 'low', reasons: [] });
  });

  it('counts every alias of a number as the same number', async () => {
    const { engine, clock } = memoryEngine();
    const aliases = ['+44 7400 123456', '447400123456', '00447400123456', '07400 123456', '+44 (0)7400-123-456'];
    const decisions: string[] = [];
    for (const phone of [...aliases, '+44.7400.123.456']) {
      const assessment = await engine.assess(attempt({ phone, country: 'GB' }), policy());
      decisions.push(assessment.verdict.decision);
      await sentAndVerified(engine, assessment);
      clock.advance(61_000); // past the per-minute limit each time
    }
    expect(decisions).toEqual(['allow', 'allow', 'allow', 'allow', 'allow', 'block']);
  });

  it('blocks the 6th SMS in an hour with NUMBER_VELOCITY and a Retry-After to the hour boundary', async () => {
    const { engine, clock } = memoryEngine();
    for (let i = 0; i < 5; i++) {
      const assessment = await engine.assess(attempt(), policy());
      expect(assessment.verdict.decision).toBe('allow');
      await sentAndVerified(engine, assessment);
      clock.advance(61_000);
    }
    const { verdict } = await engine.assess(attempt(), policy());
    expect(verdict).toMatchObject({ decision: 'block', reasons: ['NUMBER_VELOCITY'] });
    expect(verdict.level).toBe('high');
    // Five sends from 12:00 took us to 12:05:05; the hour bucket frees at 13:00.
    expect(verdict.retryAfterSeconds).toBe(3600 - 5 * 61);
  });

  it('keeps tenants apart for the per-tenant quota but caps the number across tenants', async () => {
    const { engine } = memoryEngine();
    const p = policy({ globalNumberLimits: { minute: 3 } });
    const results: string[][] = [];
    for (const tenant of ['a', 'b', 'c', 'd']) {
      const { verdict } = await engine.assess(attempt({ tenant }), p);
      results.push([verdict.decision, ...verdict.reasons]);
    }
    expect(results).toEqual([['allow'], ['allow'], ['allow'], ['block', 'GLOBAL_NUMBER_VELOCITY']]);
  });

  it('gives quota back when settled as not sent, so a blocked or failed attempt does not use it up', async () => {
    const { engine } = memoryEngine();
    const first = await engine.assess(attempt(), policy());
    await engine.settle(first, false);
    expect((await engine.assess(attempt(), policy())).verdict.decision).toBe('allow');
  });

  it('blocks premium-rate numbers with their type as the reason, not as a rate limit', async () => {
    const { engine, counters } = memoryEngine();
    const a = await engine.assess(attempt({ phone: '+44 909 879 0000' }), policy());
    expect(a.verdict).toMatchObject({ decision: 'block', reasons: ['PREMIUM_RATE_NUMBER'] });
    expect(a.verdict.retryAfterSeconds).toBeUndefined();
    await engine.settle(a, false);
    expect(counters.size).toBeGreaterThan(0);
  });

  it("issues all of a verdict's store calls in one wave: every call starts before any finishes", async () => {
    const { engine, counters, lists } = memoryEngine();
    const events: string[] = [];
    const slow = <T>(name: string, run: () => Promise<T>) => {
      events.push(`start ${name}`);
      return new Promise<T>((resolve) =>
        setTimeout(
          () =>
            run().then((v) => {
              events.push(`end ${name}`);
              resolve(v);
            }),
          5,
        ),
      );
    };
    const increment = counters.increment.bind(counters);
    const addDistinct = counters.addDistinct.bind(counters);
    const getMany = lists.getMany.bind(lists);
    const listKinds = lists.listKinds.bind(lists);
    counters.increment = (x) => slow('increment', () => increment(x));
    counters.addDistinct = (x) => slow('addDistinct', () => addDistinct(x));
    lists.getMany = (k, n) => slow('getMany', () => getMany(k, n));
    lists.listKinds = (s, k, n) => slow('listKinds', () => listKinds(s, k, n));
    await engine.assess(attempt({ account: 'acct-1' }), policy());
    const firstEnd = events.findIndex((e) => e.startsWith('end'));
    expect(firstEnd).toBeGreaterThan(0);
    expect(events.slice(firstEnd).every((e) => e.startsWith('end'))).toBe(true);
    expect(events.filter((e) => e.startsWith('start')).length).toBeGreaterThanOrEqual(4);
  });

  it('blocks unreadable input as INVALID_NUMBER', async () => {
    const { engine } = memoryEngine();
    const { verdict } = await engine.assess(attempt({ phone: 'call me maybe' }), policy());
    expect(verdict).toMatchObject({ decision: 'block', reasons: ['INVALID_NUMBER'] });
  });

  it('lets a tenant loosen a limit', async () => {
    const { engine } = memoryEngine();
    const p = policy({ numberLimits: { minute: 2 } });
    const decisions = [];
    for (let i = 0; i < 3; i++) decisions.push((await engine.assess(attempt(), p)).verdict.decision);
    expect(decisions).toEqual(['allow', 'allow', 'block']);
  });
});

describe('RiskEngine: account takeover in sensitive scenarios', () => {
  const customer = { account: 'acct-1', device: 'phone-1', ip: '81.2.69.142' };
  /** The customer verified a login code from their phone at home. */
  async function withHistory(account: string | undefined = customer.account) {
    const env = memoryEngine();
    const first = await env.engine.assess(attempt({ ...customer, account, scenario: 'login' }), policy());
    await sentAndVerified(env.engine, first);
    env.clock.advance(3_600_000);
    return env;
  }

  it('does not let a solved challenge clear a new device on a datacenter network', async () => {
    const { engine, clock } = await withHistory();
    for (const ip of ['3.1.2.3', '5.6.7.8']) {
      const { verdict } = await engine.assess(attempt({ ...customer, device: 'attacker', ip, scenario: 'reset_password', challenge: 'passed' }), policy());
      expect(verdict).toMatchObject({ decision: 'block', reasons: expect.arrayContaining(['ACCOUNT_TAKEOVER_RISK']) });
      clock.advance(61_000);
    }
  });

  it('serves the customer on a known device abroad and on a new phone at home', async () => {
    const { engine, clock } = await withHistory();
    const abroad = await engine.assess(attempt({ ...customer, ip: '90.1.2.3', scenario: 'reset_password', challenge: 'passed' }), policy());
    expect(abroad.verdict.reasons).not.toContain('ACCOUNT_TAKEOVER_RISK');
    expect(abroad.verdict.decision).toBe('allow');
    clock.advance(61_000);
    const newPhone = await engine.assess(attempt({ ...customer, device: 'phone-2', scenario: 'transfer', challenge: 'passed' }), policy());
    expect(newPhone.verdict).toMatchObject({ decision: 'allow' });
  });

  it("uses the number's history at this tenant when no account is named", async () => {
    const { engine, clock } = await withHistory(undefined);
    const { verdict } = await engine.assess(attempt({ device: 'attacker', ip: '5.6.7.8', scenario: 'transfer', challenge: 'passed' }), policy());
    expect(verdict).toMatchObject({ decision: 'block', reasons: expect.arrayContaining(['ACCOUNT_TAKEOVER_RISK']) });
    clock.advance(61_000);
    const known = await engine.assess(attempt({ device: customer.device, ip: '5.6.7.8', scenario: 'transfer', challenge: 'passed' }), policy());
    expect(known.verdict.reasons).not.toContain('ACCOUNT_TAKEOVER_RISK');
  });

  it('lets a tenant step up instead of blocking: the solved challenge still is not enough', async () => {
    const { engine, clock } = await withHistory();
    const stepUp = policy({ scenarios: { reset_password: { rules: { ACCOUNT_TAKEOVER_RISK: { action: 'challenge', stepUp: true } } } } });
    // The attacker's device already asked for another account's codes today.
    await engine.assess(attempt({ phone: '+44 7400 999999', account: 'acct-2', device: 'attacker', ip: '90.1.2.3', scenario: 'login' }), stepUp);
    clock.advance(61_000);
    const { verdict } = await engine.assess(
      attempt({ ...customer, device: 'attacker', ip: '90.1.2.3', scenario: 'reset_password', challenge: 'passed' }),
      stepUp,
    );
    expect(verdict).toMatchObject({ decision: 'challenge' });
    expect(verdict.reasons.slice(0, 2)).toEqual(['CHALLENGE_NOT_ENOUGH', 'ACCOUNT_TAKEOVER_RISK']);
  });

  it('steps up a new device on a new network abroad whatever the solution, unless the tenant lets a solution clear it', async () => {
    const { engine, clock } = await withHistory();
    const newPhoneAbroad = attempt({ ...customer, device: 'phone-2', ip: '90.1.2.3', scenario: 'reset_password', challenge: 'passed' });
    const { verdict } = await engine.assess(newPhoneAbroad, policy());
    expect(verdict).toMatchObject({ decision: 'challenge' });
    expect(verdict.reasons[0]).toBe('CHALLENGE_NOT_ENOUGH');
    expect(verdict.reasons).toContain('NEW_DEVICE_AND_NETWORK');
    clock.advance(61_000);
    const lenient = policy({ rules: { NEW_DEVICE_AND_NETWORK: { stepUp: false } } });
    expect((await engine.assess(newPhoneAbroad, lenient)).verdict).toMatchObject({
      decision: 'allow',
      reasons: expect.arrayContaining(['NEW_DEVICE_AND_NETWORK']),
    });
  });

  it('leaves scenarios outside the policy set alone', async () => {
    const { engine, clock } = await withHistory();
    const { verdict } = await engine.assess(attempt({ ...customer, device: 'attacker', ip: '5.6.7.8', scenario: 'login', challenge: 'passed' }), policy());
    expect(verdict.reasons).not.toContain('ACCOUNT_TAKEOVER_RISK');
    clock.advance(61_000);
    const strict = policy({ scenarios: { login: { rules: { 'unfamiliar-device-and-network': { enabled: true } } } } });
    const again = await engine.assess(attempt({ ...customer, device: 'attacker', ip: '5.6.7.8', scenario: 'login', challenge: 'passed' }), strict);
    expect(again.verdict.reasons).toContain('ACCOUNT_TAKEOVER_RISK');
  });

  it('refuses one address abroad working through several numbers without history, not the first of them', async () => {
    const { engine } = memoryEngine();
    const decisions: string[] = [];
    for (const phone of ['+44 7400 111111', '+44 7400 222222', '+44 7400 333333']) {
      const a = attempt({ phone, account: phone, device: `d-${phone}`, ip: '90.1.2.3', scenario: 'reset_password', challenge: 'passed' });
      const { verdict } = await engine.assess(a, policy());
      decisions.push(verdict.reasons.includes('ACCOUNT_TAKEOVER_RISK') ? 'takeover' : verdict.decision);
    }
    expect(decisions).toEqual(['allow', 'takeover', 'takeover']);
  });
});
