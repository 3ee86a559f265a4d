import { describe, expect, it } from 'vitest';
import { jointDefenseRange } from '../../../lambdas/engine/rules/joint-defense-range';
import type { ListEntry } from '../../../lambdas/ports/list-store';
import { ruleContext } from '../../support/engine';

const range = (confidence?: number): ListEntry => ({
  scope: 'rep',
  kind: 'prefix',
  value: 'h',
  action: 'block',
  reason: 'JOINT_DEFENSE_RANGE',
  createdAt: 0,
  ...(confidence !== undefined && { confidence }),
});

describe('joint-defense-range rule', () => {
  it('is quiet for a range without shared reputation', () => {
    expect(jointDefenseRange.evaluate(ruleContext())).toBeUndefined();
  });
  it('blocks a pumped range', () => {
    expect(jointDefenseRange.evaluate(ruleContext({ reputation: [range(0.8)] }))).toEqual({ reason: 'JOINT_DEFENSE_RANGE', weight: 100, action: 'block' });
  });
  it('only scores a low-confidence entry', () => {
    expect(jointDefenseRange.evaluate(ruleContext({ reputation: [range(0.3)] }))).toEqual({ reason: 'JOINT_DEFENSE_RANGE', weight: 40 });
  });
});
