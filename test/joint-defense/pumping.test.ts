import { describe, expect, it } from 'vitest';
import { attempt, policy } from '../support/engine';
import { jointDefenseWorld } from '../support/joint-defense';

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const MINUTE = 60_000;
const pad = (n: number) => String(n).padStart(4, '0');

describe('joint defense against SMS pumping', () => {
  it('promotes a range pumped across tenants, defuses it at every tenant, and leaves a legit range with normal verification alone', async () => {
    const world = jointDefenseWorld();
    // One hour, 12:00–13:00. Every 5 minutes a legit user of +44 7400 12xxxx asks one of two
    // tenants for a code and (10 of 12) enter it; in between, a pumping ring asks for codes to
    // numbers of +998 90 123 xxxx, rotating between the same tenants, and never verifies.
    const legitUsers = Array.from({ length: 12 }, (_, i) => `+44 7400 12${pad(1000 + i * 37)}`);
    for (let i = 0; i < 12; i++) {
      const tenant = i % 2 === 0 ? 'social' : 'shop';
      const user = legitUsers[i]!;
      const legit = await world.send(tenant, { phone: user, scenario: 'register', ip: `81.2.69.${10 + i}`, userAgent: BROWSER, device: `phone-${i}` });
      expect(legit.kind).toBe('sent');
      world.clock.advance(40_000);
      if (i % 6 !== 5) expect(await world.engine.recordVerification({ tenant, phone: user, success: true })).toBe(true);
      world.clock.advance(80_000);
      await world.send(i % 2 === 0 ? 'shop' : 'social', {
        phone: `+998 90 123 ${pad(4000 + i * 211)}`,
        scenario: 'register',
        ip: `62.10.${i}.7`,
        userAgent: BROWSER,
        device: `pump-${i}`,
      });
      world.clock.advance(180_000);
    }
    expect(world.clock.now() % (60 * MINUTE)).toBe(0);

    // 13:00: the scheduled job runs.
    const report = await world.job();
    expect(report.byReason).toEqual({ JOINT_DEFENSE_RANGE: 1 });

    // A third tenant, which never saw either range: the pumped range is defused, the legit one untouched.
    const pumped = await world.send('bank', { phone: '+998 90 123 9876', scenario: 'register', ip: '62.99.1.1', userAgent: BROWSER, device: 'pump-new' });
    expect(pumped.kind).toBe('challenge');
    expect(pumped.body.verdict).toMatchObject({ reasons: ['CHALLENGE_REQUIRED', 'JOINT_DEFENSE_RANGE'], challengeLevel: 3 });
    // A ring that pays the harder proof of work gets at most two SMS a day into the range per tenant.
    const paid: string[] = [];
    for (let i = 0; i < 5; i++) {
      const a = await world.engine.assess(
        attempt({
          tenant: 'bank',
          phone: `+998 90 123 ${8000 + i}`,
          scenario: 'register',
          ip: `62.99.2.${i}`,
          device: `pump-pow-${i}`,
          challenge: 'passed',
          challengeLevel: 3,
        }),
        policy(),
      );
      await world.engine.settle(a, a.verdict.decision === 'allow');
      paid.push(a.verdict.decision);
    }
    expect(paid).toEqual(['allow', 'allow', 'block', 'block', 'block']);
    const legit = await world.send('bank', { phone: '+44 7400 12 9876', scenario: 'register', ip: '81.2.69.99', userAgent: BROWSER, device: 'phone-new' });
    expect(legit.kind).toBe('sent');
    expect(legit.body.verdict.reasons.filter((r) => r.startsWith('JOINT_DEFENSE_'))).toEqual([]);
    // A number of another range of the same country is not touched either.
    const neighbour = await world.send('bank', { phone: '+998 93 555 0101', scenario: 'register', ip: '62.99.1.2', userAgent: BROWSER, device: 'uz-user' });
    expect(neighbour.body.verdict.reasons).not.toContain('JOINT_DEFENSE_RANGE');
  });
});
