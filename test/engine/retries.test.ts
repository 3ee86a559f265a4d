import { describe, expect, it } from 'vitest';
import type { Assessment } from '../../lambdas/engine/engine';
import { attempt, hasher, memoryEngine, policy, T0 } from '../support/engine';

/** Ask for a code; send it when allowed (as the tenant's backend does). */
async function ask(engine: ReturnType<typeof memoryEngine>['engine'], ip = '81.2.69.142', scenario: 'login' | 'transfer' = 'login'): Promise<Assessment> {
  const a = await engine.assess(attempt({ ip, scenario }), policy());
  await engine.settle(a, a.verdict.decision === 'allow');
  return a;
}

describe('honest retries', () => {
  it('tells a person retrying a slow code when to come back, and serves them then instead of challenging them', async () => {
    const { engine, clock } = memoryEngine();
    const decisions: string[] = [];
    // 12:00:00 first code, 12:01:10 first retry (past the 1/min quota).
    decisions.push((await ask(engine)).verdict.decision);
    clock.advance(70_000);
    decisions.push((await ask(engine)).verdict.decision);
    // 12:01:40: the second retry is too soon after the last code.
    clock.advance(30_000);
    const early = (await ask(engine)).verdict;
    expect(early).toMatchObject({ decision: 'block', reasons: expect.arrayContaining(['NUMBER_BACKOFF']) });
    expect(early.retryAfterSeconds).toBeGreaterThan(0);
    // At Retry-After it goes out, and so does a third retry after its own (longer) wait: no challenge.
    clock.advance((early.retryAfterSeconds ?? 0) * 1000);
    decisions.push((await ask(engine)).verdict.decision);
    clock.advance(30_000);
    const wait = (await ask(engine)).verdict;
    expect(wait.reasons).toContain('NUMBER_BACKOFF');
    expect(wait.retryAfterSeconds).toBeGreaterThan(60);
    clock.advance((wait.retryAfterSeconds ?? 0) * 1000);
    const fourth = (await ask(engine)).verdict;
    decisions.push(fourth.decision);
    expect(decisions).toEqual(['allow', 'allow', 'allow', 'allow']);
    expect(fourth.reasons).not.toContain('NUMBER_UNVERIFIED');
  });

  it('still challenges the same pace from rotating networks: pending codes asked by someone else are unverified', async () => {
    const { engine, clock } = memoryEngine();
    const ips = ['90.1.1.1', '90.2.2.2', '90.3.3.3', '90.4.4.4'];
    const verdicts = [];
    for (const ip of ips) {
      verdicts.push((await ask(engine, ip)).verdict);
      clock.advance(150_000);
    }
    expect(verdicts.map((v) => v.decision).slice(0, 2)).toEqual(['allow', 'allow']);
    expect(verdicts[3]?.reasons).toContain('NUMBER_UNVERIFIED');
    expect(verdicts[3]?.decision).not.toBe('allow');
  });

  it('gives one sender on one network who never verifies at most two more codes before the challenge', async () => {
    const { engine, clock } = memoryEngine();
    let sent = 0;
    for (let i = 0; i < 12; i++) {
      const { verdict } = await ask(engine);
      if (verdict.decision === 'allow') sent++;
      else if (verdict.decision === 'challenge') break;
      // Obeys every Retry-After, to the second.
      clock.advance(Math.max(61, verdict.retryAfterSeconds ?? 0) * 1000);
    }
    expect(sent).toBe(4);
  });

  it('keeps the challenge in sensitive scenarios, where the backoff is off', async () => {
    const { engine, clock } = memoryEngine();
    const verdicts = [];
    for (let i = 0; i < 4; i++) {
      verdicts.push((await ask(engine, '81.2.69.142', 'transfer')).verdict);
      clock.advance(150_000);
    }
    expect(verdicts[3]?.reasons).toContain('NUMBER_UNVERIFIED');
    expect(verdicts.flatMap((v) => v.reasons)).not.toContain('NUMBER_BACKOFF');
  });

  it('credits the codes a verified one superseded: later that day the number is not unverified', async () => {
    const { engine, clock } = memoryEngine();
    let last: Assessment | undefined;
    for (let i = 0; i < 3; i++) {
      last = await ask(engine);
      expect(last.verdict.decision).toBe('allow');
      clock.advance(150_000);
    }
    expect(last?.pending?.supersedes).toBe(2);
    expect(await engine.recordVerification({ tenant: 'shop', phone: '+447400123456', success: true })).toBe(true);
    clock.advance(3 * 3_600_000);
    const later = await ask(engine);
    expect(later.verdict).toMatchObject({ decision: 'allow', reasons: [] });
  });

  it('takes the bit of an attempt that was not sent back', async () => {
    const { engine, clock, counters } = memoryEngine();
    await ask(engine);
    clock.advance(70_000);
    const refused = await engine.assess(attempt(), policy());
    await engine.settle(refused, false);
    // Only the first code (minute 0 of the half hour) is left in the number's bitmap.
    const key = `v#number#t:shop:${hasher('+447400123456')}`;
    const field = `s${Math.floor(T0 / 1000 / 1_800)}`;
    expect(await counters.increment([{ key, field, by: 0, expiresAt: T0 / 1000 + 7_200 }])).toEqual([1]);
  });
});
