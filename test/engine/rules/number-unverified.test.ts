import { describe, expect, it } from 'vitest';
import { numberUnverified } from '../../../lambdas/engine/rules/number-unverified';
import type { CounterReading } from '../../../lambdas/engine/rule';
import { policy, reading as r, ruleContext, T0 } from '../../support/engine';

const TAG = 1_234;
const OTHER = 777;

/** Three codes sent at 12:00, 12:02 and 12:04 from networks `tags`, judged at 12:06 from network TAG. */
function threePending(tags: readonly number[]): CounterReading[] {
  return [
    r('number', 4, 10),
    r('verified:number', 0),
    r('recent-sends', 2 ** 0 + 2 ** 2 + 2 ** 4 + 2 ** 6),
    r('recent-sends:before', 0),
    r(
      'recent-networks',
      tags.reduce((a, b) => a + b, TAG),
    ),
    r('recent-networks:before', 0),
  ];
}
const NOW = T0 + 6 * 60_000;

describe('number-unverified rule', () => {
  it('is quiet while earlier codes were verified', () => {
    expect(numberUnverified.evaluate(ruleContext({ counters: [r('number', 5, 10), r('verified:number', 3)] }))).toBeUndefined();
  });
  it('fires after three unverified codes today', () => {
    expect(numberUnverified.evaluate(ruleContext({ counters: [r('number', 4, 10), r('verified:number', 0)] }))).toMatchObject({ reason: 'NUMBER_UNVERIFIED' });
  });
  it('counts codes still pending, asked from this network, as pending: a person waiting for a slow SMS', () => {
    expect(numberUnverified.evaluate(ruleContext({ counters: threePending([TAG, TAG, TAG]), now: NOW, networkTag: TAG }))).toBeUndefined();
  });
  it('credits at most maxUnverifiedPerNumber pending codes: one sender on one network gets that many more, not a window full', () => {
    const counters = [
      r('number', 5, 10),
      r('verified:number', 0),
      r('recent-sends', 2 ** 0 + 2 ** 1 + 2 ** 2 + 2 ** 4 + 2 ** 6),
      r('recent-sends:before', 0),
      r('recent-networks', 5 * TAG),
      r('recent-networks:before', 0),
    ];
    expect(numberUnverified.evaluate(ruleContext({ counters, now: NOW, networkTag: TAG }))).toMatchObject({ reason: 'NUMBER_UNVERIFIED' });
  });
  it('fires when the pending codes were asked from other networks (a bomber rotating proxies)', () => {
    const ctx = ruleContext({ counters: threePending([TAG, OTHER, TAG]), now: NOW, networkTag: TAG });
    expect(numberUnverified.evaluate(ctx)).toMatchObject({ reason: 'NUMBER_UNVERIFIED' });
  });
  it('fires once the codes are past the pending window', () => {
    const ctx = ruleContext({ counters: threePending([TAG, TAG, TAG]), now: T0 + 16 * 60_000, networkTag: TAG });
    expect(numberUnverified.evaluate(ctx)).toMatchObject({ reason: 'NUMBER_UNVERIFIED' });
  });
  it('counts pending codes as unverified where the backoff is off (sensitive scenarios by default)', () => {
    const transfer = ruleContext({
      counters: threePending([TAG, TAG, TAG]),
      now: NOW,
      networkTag: TAG,
      attempt: { ...ruleContext().attempt, scenario: 'transfer' },
    });
    expect(numberUnverified.evaluate(transfer)).toMatchObject({ reason: 'NUMBER_UNVERIFIED' });
    const off = policy({ rules: { 'number-backoff': { enabled: false } } });
    expect(numberUnverified.evaluate(ruleContext({ counters: threePending([TAG, TAG, TAG]), now: NOW, networkTag: TAG, policy: off }))).toMatchObject({
      reason: 'NUMBER_UNVERIFIED',
    });
  });
  it('follows the pending window of the policy', () => {
    const p = policy({ conversion: { pendingWindowSeconds: 0 } });
    expect(numberUnverified.evaluate(ruleContext({ counters: threePending([TAG, TAG, TAG]), now: NOW, networkTag: TAG, policy: p }))).toMatchObject({
      reason: 'NUMBER_UNVERIFIED',
    });
  });
});
