import { describe, expect, it } from 'vitest';
import { jointDefenseCountry } from '../../../lambdas/engine/rules/joint-defense-country';
import { ruleContext } from '../../support/engine';

describe('joint-defense-country rule', () => {
  it('is quiet for a country without shared reputation', () => {
    expect(jointDefenseCountry.evaluate(ruleContext())).toBeUndefined();
  });
  it('adds a score for a pumped country, never a block', () => {
    const reputation = [{ scope: 'rep', kind: 'country' as const, value: 'UZ', action: 'block' as const, reason: 'JOINT_DEFENSE_COUNTRY', createdAt: 0 }];
    expect(jointDefenseCountry.evaluate(ruleContext({ reputation }))).toEqual({ reason: 'JOINT_DEFENSE_COUNTRY', weight: 25 });
  });
});
