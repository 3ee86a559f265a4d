import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, PolicyError, resolvePolicy } from '../../lambdas/engine/policy';

describe('resolvePolicy', () => {
  it('returns the defaults without overrides', () => {
    expect(resolvePolicy(undefined)).toBe(DEFAULT_POLICY);
  });

  it('merges nested overrides and keeps the rest', () => {
    const p = resolvePolicy({ numberLimits: { hour: 3 }, scenarios: { login: { blockAt: 80 } } });
    expect(p.numberLimits).toEqual({ minute: 1, hour: 3, day: 10 });
    expect(p.scenarios.login).toEqual({ challengeAt: 40, blockAt: 80, rules: {}, onStoreError: 'open' });
    expect(p.scenarios.transfer).toEqual(DEFAULT_POLICY.scenarios.transfer);
  });

  it('refuses thresholds that cannot be met in order', () => {
    expect(() => resolvePolicy({ scenarios: { login: { challengeAt: 90, blockAt: 50 } } })).toThrow(PolicyError);
  });
});
