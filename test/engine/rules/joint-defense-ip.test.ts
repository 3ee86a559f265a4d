import { describe, expect, it } from 'vitest';
import { jointDefenseIp } from '../../../lambdas/engine/rules/joint-defense-ip';
import type { ListEntry } from '../../../lambdas/ports/list-store';
import { ruleContext } from '../../support/engine';

const entry = (kind: 'ip' | 'cidr'): ListEntry => ({ scope: 'rep', kind, value: 'h', action: 'block', reason: 'JOINT_DEFENSE_IP', createdAt: 0 });

describe('joint-defense-ip rule', () => {
  it('is quiet for an address without shared reputation', () => {
    expect(jointDefenseIp.evaluate(ruleContext())).toBeUndefined();
  });
  it('scores an abusive address, and its subnet less, but never blocks', () => {
    expect(jointDefenseIp.evaluate(ruleContext({ reputation: [entry('ip'), entry('cidr')] }))).toEqual({ reason: 'JOINT_DEFENSE_IP', weight: 30 });
    expect(jointDefenseIp.evaluate(ruleContext({ reputation: [entry('cidr')] }))).toEqual({ reason: 'JOINT_DEFENSE_IP', weight: 15 });
  });
});
