import { describe, expect, it } from 'vitest';
import { jointDefenseDevice } from '../../../lambdas/engine/rules/joint-defense-device';
import { ruleContext } from '../../support/engine';

describe('joint-defense-device rule', () => {
  it('is quiet for a device without shared reputation', () => {
    expect(jointDefenseDevice.evaluate(ruleContext())).toBeUndefined();
  });
  it('scores a device blocked at several tenants up to a challenge', () => {
    const reputation = [{ scope: 'rep', kind: 'device' as const, value: 'h', action: 'block' as const, reason: 'JOINT_DEFENSE_DEVICE', createdAt: 0 }];
    expect(jointDefenseDevice.evaluate(ruleContext({ reputation }))).toEqual({ reason: 'JOINT_DEFENSE_DEVICE', weight: 40 });
  });
});
