import { describe, expect, it } from 'vitest';
import { backoffSeconds, numberBackoff } from '../../../lambdas/engine/rules/number-backoff';
import type { CounterReading } from '../../../lambdas/engine/rule';
import { policy, reading, ruleContext, T0 } from '../../support/engine';

/** Readings of a number sent SMS at the given minutes after T0 (12:00), none verified, judged `nowSeconds` after T0. */
function sentAt(minutes: readonly number[], nowSeconds: number, verified = 0): CounterReading[] {
  const own = 2 ** Math.floor(nowSeconds / 60);
  const bits = minutes.reduce((sum, m) => sum + 2 ** m, own);
  return [reading('number', minutes.length + 1, 10), reading('verified:number', verified), reading('recent-sends', bits), reading('recent-sends:before', 0)];
}

const judge = (minutes: readonly number[], nowSeconds: number, verified = 0, p = policy()) =>
  numberBackoff.evaluate(ruleContext({ counters: sentAt(minutes, nowSeconds, verified), now: T0 + nowSeconds * 1000, policy: p }));

const BASE = { baseSeconds: 30, maxSeconds: 900, jitter: 0.2 };

describe('number-backoff rule', () => {
  it('leaves the first retry to the per-minute quota', () => {
    expect(judge([0], 61)).toBeUndefined();
  });

  it('tells the second retry to wait about a minute after the last code, with its Retry-After', () => {
    const finding = judge([0, 2], 2 * 60 + 10);
    expect(finding).toMatchObject({ reason: 'NUMBER_BACKOFF', action: 'block', weight: 100 });
    // 60 s ± 20% from 12:02:00, asked at 12:02:10: 38 to 62 s left.
    const retry = (finding as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(retry).toBeGreaterThanOrEqual(38);
    expect(retry).toBeLessThanOrEqual(62);
    // Asked again when told: let through.
    expect(judge([0, 2], 2 * 60 + 10 + retry)).toBeUndefined();
  });

  it('doubles the wait with each code still pending', () => {
    const retry = (minutes: number[], now: number) => (judge(minutes, now) as { retryAfterSeconds: number }).retryAfterSeconds;
    // 3 pending codes: 120 s ± 20% after 12:03.
    const third = retry([0, 1, 3], 3 * 60 + 1);
    expect(third).toBeGreaterThanOrEqual(95);
    expect(third).toBeLessThanOrEqual(144);
    // 4 pending codes: 240 s ± 20% after 12:05.
    const fourth = retry([0, 1, 3, 5], 5 * 60 + 1);
    expect(fourth).toBeGreaterThanOrEqual(191);
    expect(fourth).toBeLessThanOrEqual(288);
  });

  it('is quiet once the codes are verified or no longer pending', () => {
    expect(judge([0, 2], 2 * 60 + 10, 2)).toBeUndefined();
    expect(judge([0, 2], 12 * 60 + 1)).toBeUndefined();
  });

  it('never asks to wait past the pending window', () => {
    const p = policy({ numberBackoff: { baseSeconds: 600, maxSeconds: 3_600 } });
    const finding = judge([0, 1, 2], 2 * 60 + 1, 0, p) as { retryAfterSeconds: number };
    expect(finding.retryAfterSeconds).toBeLessThanOrEqual(600 - 1);
  });

  it('follows the tenant policy', () => {
    expect(judge([0, 2], 2 * 60 + 10, 0, policy({ numberBackoff: { baseSeconds: 1 } }))).toBeUndefined();
    expect(judge([0, 2], 2 * 60 + 10, 0, policy({ conversion: { pendingWindowSeconds: 60 } }))).toBeUndefined();
  });

  it('is off in sensitive scenarios by default', () => {
    expect(policy().scenarios.transfer.rules['number-backoff']).toEqual({ enabled: false });
    expect(policy().scenarios.reset_password.rules['number-backoff']).toEqual({ enabled: false });
  });
});

describe('backoff jitter', () => {
  it('is deterministic: the same number, last code and count give the same wait', () => {
    expect(backoffSeconds(BASE, 3, '+447400123456|1700000000|3')).toBe(backoffSeconds(BASE, 3, '+447400123456|1700000000|3'));
  });

  it('stays within ± jitter of base × 2^(k−1), capped', () => {
    const waits = Array.from({ length: 500 }, (_, i) => backoffSeconds(BASE, 2, `+44740012${String(i).padStart(4, '0')}|1700000000|2`));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(48);
    expect(Math.max(...waits)).toBeLessThanOrEqual(72);
    // Spread, not one value.
    expect(new Set(waits.map((w) => Math.round(w))).size).toBeGreaterThan(10);
    for (let i = 0; i < 50; i++) expect(backoffSeconds(BASE, 12, `n${i}`)).toBeLessThanOrEqual(900 * 1.2);
    expect(backoffSeconds({ ...BASE, jitter: 0 }, 12, 'x')).toBe(900);
  });
});
