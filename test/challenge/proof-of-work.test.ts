import { verifySolution } from 'altcha-lib/v1';
import { describe, expect, it } from 'vitest';
import { MemoryReplayGuard } from '../../lambdas/adapters/memory/memory-replay-guard';
import { DIFFICULTY_LEVELS, ProofOfWork } from '../../lambdas/challenge/proof-of-work';
import { solveChallenge } from '../../lambdas/challenge/solve';
import { ManualClock } from '../../lambdas/ports/clock';

const KEY = 'challenge-key-challenge-key';
/** Small search spaces keep the tests fast; the level table is the real one elsewhere. */
const LEVELS = [2_000, 8_000, 32_000];

function setup(levels = LEVELS) {
  const clock = new ManualClock(Date.now());
  const replays = new MemoryReplayGuard();
  return { clock, replays, pow: new ProofOfWork({ hmacKey: KEY, replays, clock, levels }) };
}

async function solved(pow: ProofOfWork, tenant = 'shop', level = 1) {
  const challenge = await pow.issue(tenant, level);
  const result = solveChallenge(challenge);
  if (!result) throw new Error('unsolvable');
  return { challenge, solution: result.solution };
}

/** Re-encode a solution payload with one field changed. */
function tamper(solution: string, change: (payload: Record<string, unknown>) => void): string {
  const payload = JSON.parse(Buffer.from(solution, 'base64').toString('utf8')) as Record<string, unknown>;
  change(payload);
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}

describe('ProofOfWork', () => {
  it('issues ALTCHA v1 challenges bound to the tenant, the level and an expiry', async () => {
    const { pow, clock } = setup();
    const challenge = await pow.issue('shop', 2);
    expect(challenge).toMatchObject({ algorithm: 'SHA-256', maxnumber: 8_000, level: 2, expires: Math.floor(clock.now() / 1000) + 300 });
    expect(challenge.challenge).toMatch(/^[0-9a-f]{64}$/);
    expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(challenge.salt).toMatch(/^[0-9a-f]{24}\?/);
    const params = new URLSearchParams(challenge.salt.split('?')[1]);
    expect(Object.fromEntries(params)).toEqual({ level: '2', tenant: 'shop', expires: String(challenge.expires) });
  });

  it('accepts a solution once, then calls it replayed', async () => {
    const { pow } = setup();
    const { solution } = await solved(pow);
    expect(await pow.verify(solution, 'shop')).toBe('passed');
    expect(await pow.verify(solution, 'shop')).toBe('replayed');
  });

  it('lets exactly one of many concurrent redemptions pass', async () => {
    const { pow } = setup();
    const { solution } = await solved(pow);
    const states = await Promise.all(Array.from({ length: 10 }, () => pow.verify(solution, 'shop')));
    expect(states.filter((s) => s === 'passed')).toHaveLength(1);
    expect(states.filter((s) => s === 'replayed')).toHaveLength(9);
  });

  it('agrees with altcha-lib: a valid solution verifies there too', async () => {
    const { pow } = setup();
    const { solution } = await solved(pow);
    // altcha-lib checks the expiry against the real clock; the issue time above is real time.
    expect(await verifySolution(solution, KEY)).toBe(true);
    expect(
      await verifySolution(
        tamper(solution, (p) => void (p.number = Number(p.number) + 1)),
        KEY,
      ),
    ).toBe(false);
  });

  it('refuses a solution from the second the challenge expires', async () => {
    const { pow, clock } = setup();
    const { solution, challenge } = await solved(pow);
    clock.set(challenge.expires * 1000);
    expect(await pow.verify(solution, 'shop')).toBe('failed');
    clock.set(challenge.expires * 1000 - 1000);
    expect(await pow.verify(solution, 'shop')).toBe('passed');
  });

  it('refuses a solution for another tenant', async () => {
    const { pow } = setup();
    const { solution } = await solved(pow, 'shop');
    expect(await pow.verify(solution, 'other-shop')).toBe('failed');
    // Refusing it did not burn it for its own tenant.
    expect(await pow.verify(solution, 'shop')).toBe('passed');
  });

  it.each<[string, (p: Record<string, unknown>) => void]>([
    ['a wrong number', (p) => void (p.number = Number(p.number) + 1)],
    ['a forged signature', (p) => void (p.signature = 'f'.repeat(64))],
    ['another tenant written into the salt', (p) => void (p.salt = String(p.salt).replace('tenant=shop', 'tenant=evil'))],
    ['a later expiry written into the salt', (p) => void (p.salt = String(p.salt).replace(/expires=\d+/, 'expires=9999999999'))],
    ['another algorithm', (p) => void (p.algorithm = 'SHA-1')],
    ['a negative number', (p) => void (p.number = -1)],
    ['a non-integer number', (p) => void (p.number = 1.5)],
    ['a missing challenge', (p) => void delete p.challenge],
  ])('refuses a solution with %s', async (_name, change) => {
    const { pow } = setup();
    const { solution } = await solved(pow);
    expect(await pow.verify(tamper(solution, change), 'shop')).toBe('failed');
  });

  it('refuses a challenge signed with another key', async () => {
    const { pow } = setup();
    const other = new ProofOfWork({ hmacKey: 'another-key-another-key', replays: new MemoryReplayGuard(), clock: new ManualClock(Date.now()), levels: LEVELS });
    const { solution } = await solved(other);
    expect(await pow.verify(solution, 'shop')).toBe('failed');
  });

  it.each([
    '',
    'not base64 at all!',
    Buffer.from('not json').toString('base64'),
    Buffer.from('null').toString('base64'),
    Buffer.from('[1,2]').toString('base64'),
    'A'.repeat(5000),
  ])('calls garbage %j failed without throwing', async (garbage) => {
    const { pow } = setup();
    expect(await pow.verify(garbage, 'shop')).toBe('failed');
  });

  it('scales the search space 4× per level and clamps the requested level', async () => {
    const { pow } = setup([1_000, 4_000, 16_000]);
    expect((await pow.issue('shop', 1)).maxnumber).toBe(1_000);
    expect((await pow.issue('shop', 3)).maxnumber).toBe(16_000);
    expect((await pow.issue('shop', 0)).level).toBe(1);
    expect((await pow.issue('shop', 99)).level).toBe(3);
    expect(DIFFICULTY_LEVELS.slice(1).map((n, i) => n / DIFFICULTY_LEVELS[i]!)).toEqual([4, 4, 4]);
  });

  it('costs measurably more work per level (median numbers tried over 40 challenges)', async () => {
    const { pow } = setup([1_000, 4_000, 16_000]);
    const medians: number[] = [];
    for (const level of [1, 2, 3]) {
      const tried: number[] = [];
      for (let i = 0; i < 40; i++) tried.push(solveChallenge(await pow.issue('shop', level))!.number);
      tried.sort((a, b) => a - b);
      medians.push(tried[20]!);
    }
    expect(medians[1]!).toBeGreaterThan(medians[0]! * 2);
    expect(medians[2]!).toBeGreaterThan(medians[1]! * 2);
  });

  it('rejects a short key and bad level tables', () => {
    const base = { replays: new MemoryReplayGuard(), clock: new ManualClock(0) };
    expect(() => new ProofOfWork({ ...base, hmacKey: 'short' })).toThrow(/at least 16/);
    expect(() => new ProofOfWork({ ...base, hmacKey: KEY, levels: [] })).toThrow(/levels/);
    expect(() => new ProofOfWork({ ...base, hmacKey: KEY, levels: [10, 0.5] })).toThrow(/levels/);
  });
});
