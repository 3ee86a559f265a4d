import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../lambdas/engine/policy';
import type { SendAttempt } from '../../lambdas/domain/types';
import { T0, attempt, policy } from '../support/engine';
import { jointDefenseWorld } from '../support/joint-defense';

const VICTIM = '+447400123456';
const TENANTS = ['shop', 'social', 'saas', 'bank', 'news', 'games'];
/** Every spelling a bombing tool rotates through; all are the same E.164 number. */
const SPELLINGS: { phone: string; country?: string }[] = [
  { phone: '+44 7400 123456' },
  { phone: '07400 123456', country: 'GB' },
  { phone: '0044 7400 123456' },
  { phone: '447400123456' },
  { phone: '+44 (0)7400-123-456' },
  { phone: '+44.7400.123.456' },
];
const MINUTE = 60_000;
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/** Joint defense switched off for a tenant: the per-tenant and cross-tenant quotas alone. */
const WITHOUT_JOINT_DEFENSE = { rules: { 'number-many-tenants': { enabled: false }, 'joint-defense-victim': { enabled: false } } };

type World = ReturnType<typeof jointDefenseWorld>;

/**
 * One minute of bombing: every 10 s a request through each tenant, each with another spelling of
 * the number, from a fresh residential-looking address with a browser user agent and a fresh
 * device id — nothing a single tenant would block at first sight. Returns the verdicts.
 */
async function bombMinute(world: World, tenants = TENANTS, overrides?: object) {
  const verdicts: { tenant: string; decision: string; reasons: string[] }[] = [];
  for (let tick = 0; tick < 6; tick++) {
    for (const [i, tenant] of tenants.entries()) {
      const spelling = SPELLINGS[(tick + i) % SPELLINGS.length]!;
      const n = verdicts.length;
      if (overrides) world.tenant(tenant, overrides);
      const outcome = await world.send(tenant, {
        ...spelling,
        scenario: 'register',
        ip: `62.${(n >> 8) & 255}.${n & 255}.${10 + tick}`,
        userAgent: BROWSER,
        device: `bomber-${world.clock.now()}-${n}`,
      });
      verdicts.push({ tenant, decision: outcome.body.decision, reasons: outcome.body.verdict.reasons });
    }
    world.clock.advance(10_000);
  }
  return verdicts;
}

/** The number's owner at home: a stable browser and address, asking one tenant for a code. */
const owner = (over: Partial<SendAttempt> = {}) =>
  attempt({ tenant: 'mail', phone: VICTIM, scenario: 'login', ip: '81.2.69.142', device: 'owner-laptop', account: 'alice', ...over });

describe('joint defense against SMS bombing', () => {
  it('recognises a victim bombed through 6 tenants in real time and defuses it: at most 2 SMS, none after the third tenant', async () => {
    const world = jointDefenseWorld();
    // 12:00–12:01: the bombing starts.
    const first = await bombMinute(world);
    const before = world.deliveredTo(VICTIM);
    expect(first).toHaveLength(36);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThanOrEqual(2);
    // From the third tenant on, every attempt is refused with the live signal, before any job run.
    expect(first.slice(2).every((v) => v.decision !== 'allow' && v.reasons.includes('NUMBER_MANY_TENANTS'))).toBe(true);

    // 12:01–12:10: the bombing goes on, the job runs every minute.
    for (let m = 0; m < 9; m++) {
      const minute = await bombMinute(world);
      expect(minute.every((v) => v.decision === 'challenge' && v.reasons[0] === 'CHALLENGE_REQUIRED')).toBe(true);
      await world.job();
    }
    const total = world.deliveredTo(VICTIM);
    expect(total).toBe(before);

    // The same ten minutes without joint defense, for comparison.
    const control = jointDefenseWorld();
    for (let m = 0; m < 10; m++) await bombMinute(control, TENANTS, WITHOUT_JOINT_DEFENSE);
    const without = control.deliveredTo(VICTIM);
    expect(without).toBeGreaterThan(total);
    console.log(
      `bombing one number via ${TENANTS.length} tenants, 6 spellings, 36 requests/min for 10 min: SMS delivered to the victim ` +
        `before the third tenant asked ${before}, after it 0, total ${total}; without joint defense ${without} ` +
        `(cross-tenant cap ${DEFAULT_POLICY.globalNumberLimits.minute}/min, ${DEFAULT_POLICY.globalNumberLimits.hour}/h)`,
    );
  });

  it('holds a bomber that pays the harder proof of work to the tight cross-tenant cap', async () => {
    const world = jointDefenseWorld();
    await bombMinute(world);
    let delivered = world.deliveredTo(VICTIM);
    const decisions: string[] = [];
    for (let i = 0; i < 30; i++) {
      const a = await world.engine.assess(
        attempt({
          tenant: TENANTS[i % 6],
          phone: VICTIM,
          scenario: 'register',
          ip: `62.9.${i}.1`,
          device: `paid-${i}`,
          challenge: 'passed',
          challengeLevel: 3,
        }),
        policy(),
      );
      await world.engine.settle(a, a.verdict.decision === 'allow');
      if (a.verdict.decision === 'allow') delivered++;
      decisions.push(a.verdict.decision);
      world.clock.advance(20_000);
    }
    // At most 1 a minute, 4 in the hour, whatever it pays: a few SMS, not a bomb.
    expect(delivered).toBeLessThanOrEqual(DEFAULT_POLICY.jointDefense.bombedLimits.hour ?? 0);
    expect(decisions.filter((d) => d === 'block').length).toBeGreaterThan(20);
  });

  it('serves the owner with history during the bomb without a challenge, within the cap', async () => {
    const world = jointDefenseWorld({ start: T0 - 86_400_000 });
    // Yesterday: the owner logged in to the bank from their phone and entered the code.
    const known = { phone: VICTIM, scenario: 'login' as const, ip: '81.2.69.142', device: 'owner-phone', account: 'alice' };
    expect((await world.send('bank', known)).kind).toBe('sent');
    expect(await world.engine.recordVerification({ tenant: 'bank', phone: VICTIM, success: true })).toBe(true);

    world.clock.set(T0);
    await bombMinute(
      world,
      TENANTS.filter((t) => t !== 'bank'),
    );
    // A stranger at the bank (no history on this device) must first pay a level-3 proof of work…
    const stranger = await world.engine.assess(attempt({ tenant: 'bank', phone: VICTIM, device: 'other', account: 'alice' }), policy());
    expect(stranger.verdict).toMatchObject({ decision: 'challenge', challengeLevel: 3, reasons: expect.arrayContaining(['NUMBER_MANY_TENANTS']) });
    await world.engine.settle(stranger, false);
    // …the owner on their phone is served.
    const served = await world.send('bank', known);
    expect(served.kind).toBe('sent');
    expect(served.body.verdict.reasons).toContain('NUMBER_MANY_TENANTS');
  });

  it('gives the owner without any history a path to a code during the bomb: the harder challenge, and only that level', async () => {
    const world = jointDefenseWorld();
    await bombMinute(world);
    world.clock.advance(MINUTE);
    const asked = await world.engine.assess(owner(), policy());
    expect(asked.verdict).toMatchObject({ decision: 'challenge', challengeLevel: 3 });
    await world.engine.settle(asked, false);
    // A level-1 solution (what the challenge route gives a home browser) is not enough here.
    const easy = await world.engine.assess(owner({ challenge: 'passed', challengeLevel: 1 }), policy());
    expect(easy.verdict).toMatchObject({ decision: 'challenge', reasons: expect.arrayContaining(['CHALLENGE_TOO_EASY']) });
    await world.engine.settle(easy, false);
    const solved = await world.engine.assess(owner({ challenge: 'passed', challengeLevel: 3 }), policy());
    expect(solved.verdict.decision).toBe('allow');
  });

  it('lets the owner without history get a code 20–40 minutes after the bomb, with no challenge at all', async () => {
    const world = jointDefenseWorld();
    for (let m = 0; m < 5; m++) {
      await bombMinute(world);
      await world.job();
    }
    for (const minutesAfter of [20, 30, 40]) {
      const at = T0 + 5 * MINUTE + minutesAfter * MINUTE;
      world.clock.set(at);
      await world.job();
      const asked = await world.engine.assess(owner({ tenant: `mail-${minutesAfter}` }), policy());
      expect(asked.verdict.decision, `${minutesAfter} min after`).toBe('allow');
      expect(asked.verdict.reasons.filter((r) => /JOINT_DEFENSE|NUMBER_MANY_TENANTS/.test(r))).toEqual([]);
      await world.engine.settle(asked, true);
    }
  });

  it('does not flag a person who asks two services for codes', async () => {
    const world = jointDefenseWorld();
    for (const tenant of ['shop', 'social']) {
      expect((await world.send(tenant, { phone: VICTIM, scenario: 'register', ip: '81.2.69.142', device: 'own-phone' })).kind).toBe('sent');
      await world.engine.recordVerification({ tenant, phone: VICTIM, success: true });
      world.clock.advance(90_000);
    }
    world.clock.advance(MINUTE);
    expect((await world.job()).promoted).toBe(0);
  });
});

describe('joint defense cannot be turned against a number', () => {
  it('one tenant alone (20 attempts an hour, mostly refused, and verdict-only calls) never gets the number refused elsewhere', async () => {
    const world = jointDefenseWorld();
    for (let i = 0; i < 20; i++) {
      // One end user hammering one app's send-code endpoint, from home…
      await world.send('shop', { phone: VICTIM, scenario: 'register', ip: '81.2.69.142', userAgent: BROWSER, device: 'bored' });
      // …and the same tenant asking for verdicts from made-up networks.
      await world.service.verdict(world.tenant('shop'), { phone: VICTIM, scenario: 'register', ip: `62.1.${i}.1`, userAgent: BROWSER, device: `v-${i}` });
      world.clock.advance(3 * MINUTE);
      await world.job();
    }
    const elsewhere = await world.send('bank', { phone: VICTIM, scenario: 'register', ip: '81.2.69.10', userAgent: BROWSER, device: 'new-user' });
    expect(elsewhere.kind).toBe('sent');
    expect(elsewhere.body.verdict.reasons.filter((r) => /JOINT_DEFENSE|NUMBER_MANY_TENANTS|GLOBAL/.test(r))).toEqual([]);
  });

  it('one network alone across tenants (a person trying three apps from home) does not trip the live signal', async () => {
    const world = jointDefenseWorld();
    for (const tenant of ['shop', 'social', 'saas', 'news']) {
      const sent = await world.send(tenant, { phone: VICTIM, scenario: 'register', ip: '81.2.69.142', userAgent: BROWSER, device: 'own-phone' });
      expect(sent.body.verdict.reasons).not.toContain('NUMBER_MANY_TENANTS');
      world.clock.advance(20_000);
    }
  });

  it('verdict-only calls neither use up nor reveal the cross-tenant quota', async () => {
    const world = jointDefenseWorld();
    const busy = {
      numberLimits: { minute: 100, hour: 100, day: 100 },
      rules: { 'number-unverified': { enabled: false }, 'number-backoff': { enabled: false } },
    };
    const verdicts = world.tenant('verdicts', busy);
    for (let i = 0; i < 5; i++) {
      const v = await world.service.verdict(verdicts, { phone: VICTIM, scenario: 'register', ip: '81.2.69.142', userAgent: BROWSER, device: 'own-phone' });
      expect(v.decision).toBe('allow');
    }
    // Another tenant's user still gets the code: the verdicts took nothing from the cross-tenant quota.
    expect((await world.send('bank', { phone: VICTIM, scenario: 'register', ip: '81.2.69.10', userAgent: BROWSER, device: 'user' })).kind).toBe('sent');
    // A sender with large quotas uses up the cross-tenant cap…
    world.tenant('sender', busy);
    for (let i = 0; i < 3; i++) await world.send('sender', { phone: VICTIM, scenario: 'register', ip: '81.2.69.11', userAgent: BROWSER, device: 'user' });
    expect(
      (await world.send('sender', { phone: VICTIM, scenario: 'register', ip: '81.2.69.11', userAgent: BROWSER, device: 'user' })).body.verdict.reasons,
    ).toContain('GLOBAL_NUMBER_VELOCITY');
    // …and a verdict-only caller cannot learn that from its answer.
    const probe = await world.service.verdict(verdicts, { phone: VICTIM, scenario: 'register', ip: '81.2.69.142', userAgent: BROWSER, device: 'own-phone' });
    expect(probe.reasons).not.toContain('GLOBAL_NUMBER_VELOCITY');
  });

  it("an entry is not renewed by the refusals it causes: the owner's own retries let it expire", async () => {
    const world = jointDefenseWorld();
    // A bot bombs through two tenants from datacenter addresses: refused for what its requests show.
    for (let i = 0; i < 8; i++) {
      await world.send(i % 2 ? 'shop' : 'social', {
        phone: VICTIM,
        scenario: 'register',
        ip: `3.1.${i}.1`,
        userAgent: 'python-requests/2.31.0',
        device: `bot-${i}`,
      });
      world.clock.advance(30_000);
    }
    expect((await world.job()).byReason).toEqual({ JOINT_DEFENSE_VICTIM: 1 });
    // Then only the owner, from home, retrying every minute at a third tenant, refused by the entry.
    let servedAfter: number | undefined;
    for (let m = 1; m <= 30 && servedAfter === undefined; m++) {
      world.clock.advance(MINUTE);
      await world.job();
      const asked = await world.engine.assess(owner({ tenant: 'mail' }), policy());
      await world.engine.settle(asked, asked.verdict.decision === 'allow');
      if (asked.verdict.decision === 'allow' && !asked.verdict.reasons.includes('JOINT_DEFENSE_VICTIM')) servedAfter = m;
    }
    // The entry lives 15 minutes after its last evidence; the owner's refused retries are none.
    expect(servedAfter).toBeDefined();
    expect(servedAfter).toBeLessThanOrEqual(16);
  });
});
