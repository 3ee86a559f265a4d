import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../lambdas/engine/policy';
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

type World = ReturnType<typeof jointDefenseWorld>;

/**
 * One minute of bombing: every 10 s a request through each tenant, each with another spelling of
 * the number, from a fresh residential-looking address with a browser user agent and a fresh
 * device id — nothing a single tenant would block at first sight. Returns the verdicts.
 */
async function bombMinute(world: World, tenants = TENANTS) {
  const verdicts: { tenant: string; decision: string; reasons: string[] }[] = [];
  for (let tick = 0; tick < 6; tick++) {
    for (const [i, tenant] of tenants.entries()) {
      const spelling = SPELLINGS[(tick + i) % SPELLINGS.length]!;
      const n = verdicts.length;
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

describe('joint defense against SMS bombing', () => {
  it('after the next job run, every tenant blocks a victim bombed through 6 tenants with different spellings, within the cross-tenant cap', async () => {
    const world = jointDefenseWorld();
    // 12:00:00–12:01:00: the bombing starts; only the per-tenant and global quotas stand in its way.
    const first = await bombMinute(world);
    const before = world.deliveredTo(VICTIM);
    expect(first).toHaveLength(36);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThanOrEqual(DEFAULT_POLICY.globalNumberLimits.minute ?? 0);

    // 12:01:00: the scheduled job runs.
    const report = await world.job();
    expect(report.byReason).toEqual({ JOINT_DEFENSE_VICTIM: 1 });

    // 12:01–12:10: the bombing goes on, the job keeps running every minute.
    const after: { tenant: string; decision: string; reasons: string[] }[] = [];
    for (let m = 0; m < 9; m++) {
      after.push(...(await bombMinute(world)));
      await world.job();
    }
    const afterCount = world.deliveredTo(VICTIM) - before;
    for (const tenant of TENANTS) {
      const mine = after.filter((v) => v.tenant === tenant);
      expect(mine.length).toBe(54);
      expect(mine.every((v) => v.decision === 'block' && v.reasons.includes('JOINT_DEFENSE_VICTIM')), tenant).toBe(true);
    }
    expect(afterCount).toBe(0);
    const total = world.deliveredTo(VICTIM);
    expect(total).toBeLessThanOrEqual(DEFAULT_POLICY.globalNumberLimits.hour ?? 0);

    // The same ten minutes without joint defense, for comparison.
    const control = jointDefenseWorld();
    for (let m = 0; m < 10; m++) await bombMinute(control);
    const without = control.deliveredTo(VICTIM);
    expect(without).toBeGreaterThan(total);
    console.log(
      `bombing one number via ${TENANTS.length} tenants, 6 spellings, 36 requests/min for 10 min: SMS delivered to the victim ` +
        `before the first job run (minute 1) ${before}, after it (minutes 2–10) ${afterCount}, total ${total}; ` +
        `without joint defense ${without} (cross-tenant cap ${DEFAULT_POLICY.globalNumberLimits.minute}/min, ${DEFAULT_POLICY.globalNumberLimits.hour}/h)`,
    );
  });

  it('still lets the real owner get a code: a device the account verified on gets a challenge, then the SMS', async () => {
    const world = jointDefenseWorld({ start: T0 - 86_400_000 });
    // Yesterday: the owner logged in to the bank from their phone and entered the code.
    const owner = { phone: VICTIM, scenario: 'login' as const, ip: '81.2.69.142', device: 'owner-phone', account: 'alice' };
    expect((await world.send('bank', owner)).status).toBe(200);
    expect(await world.engine.recordVerification({ tenant: 'bank', phone: VICTIM, success: true })).toBe(true);

    // Today: the number is bombed through five other tenants; the job promotes it.
    world.clock.set(T0);
    await bombMinute(world, TENANTS.filter((t) => t !== 'bank'));
    await world.job();

    // A stranger at the bank (no history on this device) is blocked…
    const stranger = await world.engine.assess(attempt({ tenant: 'bank', phone: VICTIM, device: 'other', account: 'alice' }), policy());
    expect(stranger.verdict).toMatchObject({ decision: 'block', reasons: expect.arrayContaining(['JOINT_DEFENSE_VICTIM']) });
    await world.engine.settle(stranger, false);
    // …the owner on their phone is challenged, and once the proof of work is solved, served.
    const challenged = await world.engine.assess(attempt({ ...owner, tenant: 'bank' }), policy());
    expect(challenged.verdict).toMatchObject({ decision: 'challenge', reasons: ['CHALLENGE_REQUIRED', 'JOINT_DEFENSE_VICTIM'] });
    await world.engine.settle(challenged, false);
    const solved = await world.engine.assess(attempt({ ...owner, tenant: 'bank', challenge: 'passed' }), policy());
    expect(solved.verdict.decision).toBe('allow');
  });

  it('does not promote a person who asks two services for codes', async () => {
    const world = jointDefenseWorld();
    for (const tenant of ['shop', 'social']) {
      expect((await world.send(tenant, { phone: VICTIM, scenario: 'register', ip: '81.2.69.142', device: 'own-phone' })).status).toBe(200);
      await world.engine.recordVerification({ tenant, phone: VICTIM, success: true });
      world.clock.advance(90_000);
    }
    world.clock.advance(MINUTE);
    expect((await world.job()).promoted).toBe(0);
  });
});
