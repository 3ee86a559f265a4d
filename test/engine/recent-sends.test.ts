import { describe, expect, it } from 'vitest';
import { earlierSendMinutes, networkTag, pendingCodes, pendingSends, planRecentSends, sameNetworkSends } from '../../lambdas/engine/recent-sends';
import type { CounterReading } from '../../lambdas/engine/rule';
import { parseIp } from '../../lambdas/engine/ip';
import { parsePhone } from '../../lambdas/engine/phone';
import { DEFAULT_POLICY } from '../../lambdas/engine/policy';
import { planWave } from '../../lambdas/engine/wave-plan';
import { attempt, hasher, reading, T0 } from '../support/engine';

/** T0 is 12:00:00 UTC: the start of a half hour. */
const HALF = 1_800;
const at = (seconds: number) => T0 + seconds * 1000;
const minute = (m: number) => T0 / 1000 + m * 60;

/** The bitmap readings of sends at the given minutes (relative to T0, negative: previous half hour) plus this attempt at `now`. */
function bitmaps(minutes: readonly number[], nowSeconds: number, tags?: { before: number; current: number }): CounterReading[] {
  let current = 2 ** Math.floor((nowSeconds % HALF) / 60);
  let before = 0;
  for (const m of minutes) {
    if (m >= 0) current += 2 ** m;
    else before += 2 ** (30 + m);
  }
  return [
    reading('recent-sends', current),
    reading('recent-sends:before', before),
    ...(tags ? [reading('recent-networks', tags.current), reading('recent-networks:before', tags.before)] : []),
  ];
}

describe('recent sends', () => {
  it('adds this attempt as the bit of its minute to a field of the number item, and reads the previous half hour', () => {
    const plans = planRecentSends('t:shop:abc', at(7 * 60 + 5), 42);
    const index = T0 / 1000 / HALF;
    expect(plans.map((p) => [p.dimension, p.quota, p.increment.key, p.increment.field, p.increment.by])).toEqual([
      ['recent-sends', true, 'v#number#t:shop:abc', `s${index}`, 2 ** 7],
      ['recent-networks', true, 'v#number#t:shop:abc', `n${index}`, 42],
      ['recent-sends:before', false, 'v#number#t:shop:abc', `s${index - 1}`, 0],
      ['recent-networks:before', false, 'v#number#t:shop:abc', `n${index - 1}`, 0],
    ]);
  });

  it("shares the number quota's item, so the wave makes no extra request", () => {
    const plan = planWave({
      attempt: attempt(),
      policy: DEFAULT_POLICY,
      nowMs: T0,
      hasher,
      phone: parsePhone('+447400123456'),
      phoneHash: 'ph',
      ip: parseIp('81.2.69.142'),
      geo: { kind: 'public', country: 'GB', hosting: false },
      ids: {},
      blockOnlyDevice: undefined,
      subjects: {},
      statPlans: () => [],
    });
    const number = plan.counters.find((c) => c.dimension === 'number')?.increment.key;
    const recent = plan.counters.filter((c) => c.dimension.startsWith('recent-'));
    expect(recent).toHaveLength(4);
    for (const c of recent) expect(c.increment.key).toBe(number);
  });

  it('reads the minutes of earlier sends, newest first, without this attempt', () => {
    const now = T0 / 1000 + 9 * 60 + 30;
    expect(earlierSendMinutes({ counters: bitmaps([2, 6, -1], now), now: now * 1000 })).toEqual([minute(6), minute(2), minute(-1)]);
  });

  it('reads nothing when no send went out and when the bitmaps were not read', () => {
    expect(earlierSendMinutes({ counters: bitmaps([], T0 / 1000), now: T0 })).toEqual([]);
    expect(earlierSendMinutes({ counters: [], now: T0 })).toEqual([]);
  });

  it('reads a carry past the last minute as the last minute', () => {
    const now = T0 / 1000 + 29 * 60 + 10;
    // Two sends in minute 29 carried into bit 30; this attempt is in minute 29 too.
    const counters = [reading('recent-sends', 2 ** 30 + 2 ** 29), reading('recent-sends:before', 0)];
    expect(earlierSendMinutes({ counters, now: now * 1000 })).toEqual([minute(29)]);
  });

  it('counts as pending the sends within the window, from the start of their minute', () => {
    const minutes = [minute(9), minute(1), minute(-5)];
    expect(pendingSends(minutes, at(10 * 60), 600)).toBe(2);
    expect(pendingSends(minutes, at(11 * 60), 600)).toBe(1);
    expect(pendingSends(minutes, at(11 * 60), 1_800)).toBe(3);
  });

  it('bounds the pending codes by the unverified ones of today', () => {
    const now = T0 / 1000 + 5 * 60;
    const counters = [...bitmaps([1, 3], now), reading('number', 3, 10)];
    expect(pendingCodes({ counters, now: now * 1000 }, 600)).toBe(2);
    expect(pendingCodes({ counters: [...counters, reading('verified:number', 1)], now: now * 1000 }, 600)).toBe(1);
    expect(pendingCodes({ counters: [...counters, reading('verified:number', 2)], now: now * 1000 }, 600)).toBe(0);
  });

  it('tells whether every recent send was asked from this network', () => {
    const now = T0 / 1000 + 5 * 60;
    const tag = networkTag('subnet-hash');
    const other = networkTag('other-subnet-hash');
    expect(tag).not.toBe(other);
    expect(sameNetworkSends({ counters: bitmaps([1, -3], now, { current: 2 * tag, before: tag }), now: now * 1000 }, tag)).toBe(true);
    expect(sameNetworkSends({ counters: bitmaps([1, -3], now, { current: 2 * tag, before: other }), now: now * 1000 }, tag)).toBe(false);
    expect(sameNetworkSends({ counters: bitmaps([], now, { current: tag, before: 0 }), now: now * 1000 }, tag)).toBe(true);
  });

  it('tags networks with 1 to 2^20', () => {
    for (const h of ['a', 'b', 'xyz', '']) {
      const t = networkTag(h);
      expect(t).toBeGreaterThanOrEqual(1);
      expect(t).toBeLessThanOrEqual(2 ** 20);
    }
    expect(networkTag(undefined)).toBe(1);
  });
});
