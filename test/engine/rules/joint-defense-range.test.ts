import { describe, expect, it } from 'vitest';
import { jointDefenseRange } from '../../../lambdas/engine/rules/joint-defense-range';
import type { ListEntry } from '../../../lambdas/ports/list-store';
import { reading as r, ruleContext } from '../../support/engine';

const range = (confidence?: number): ListEntry => ({
  scope: 'rep',
  kind: 'prefix',
  value: 'h',
  action: 'block',
  reason: 'JOINT_DEFENSE_RANGE',
  createdAt: 0,
  ...(confidence !== undefined && { confidence }),
});
/** SMS this tenant sent into the range today, this attempt included. */
const sentToRange = (n: number) => r('sent:range4', n);

describe('joint-defense-range rule', () => {
  it('is quiet for a range without shared reputation', () => {
    expect(jointDefenseRange.evaluate(ruleContext())).toBeUndefined();
  });
  it('defuses a pumped range: a harder proof of work, then at most a couple of SMS a day from this tenant', () => {
    expect(jointDefenseRange.evaluate(ruleContext({ reputation: [range(0.8)], counters: [sentToRange(1)] }))).toEqual({
      reason: 'JOINT_DEFENSE_RANGE',
      weight: 0,
      action: 'challenge',
      challengeLevel: 3,
    });
    expect(jointDefenseRange.evaluate(ruleContext({ reputation: [range(0.8)], counters: [sentToRange(3)] }))).toEqual({
      reason: 'JOINT_DEFENSE_RANGE',
      weight: 100,
      action: 'block',
      retryAfterSeconds: 600,
    });
  });
  it('serves the owner of a number in the range', () => {
    const owner = ruleContext({ reputation: [range(0.8)], counters: [sentToRange(5), r('verified:number', 1)] });
    expect(jointDefenseRange.evaluate(owner)).toEqual({ reason: 'JOINT_DEFENSE_RANGE', weight: 0 });
    const device = ruleContext({ reputation: [range(0.8)], counters: [sentToRange(5)], account: { verified: 2, deviceVerified: 1, networkVerified: 0 } });
    expect(jointDefenseRange.evaluate(device)).toEqual({ reason: 'JOINT_DEFENSE_RANGE', weight: 0 });
  });
  it('only scores a low-confidence entry', () => {
    expect(jointDefenseRange.evaluate(ruleContext({ reputation: [range(0.3)] }))).toEqual({ reason: 'JOINT_DEFENSE_RANGE', weight: 40 });
  });
});
