import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, PolicyError, resolvePolicy } from '../../lambdas/engine/policy';
import { policyOverridesSchema } from '../../lambdas/engine/policy-schema';

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

describe('account-takeover defaults', () => {
  it('turn the takeover rule on for reset_password and transfer only; a tenant widens the set per scenario', () => {
    for (const s of ['reset_password', 'transfer'] as const) {
      expect(DEFAULT_POLICY.scenarios[s].rules['unfamiliar-device-and-network']).toEqual({ enabled: true });
    }
    for (const s of ['register', 'login', 'other'] as const) expect(DEFAULT_POLICY.scenarios[s].rules['unfamiliar-device-and-network']).toBeUndefined();
  });

  it('accept a step-up setting in tenant overrides, and nothing but a boolean', () => {
    const ok = { scenarios: { transfer: { rules: { NEW_DEVICE_AND_NETWORK: { action: 'challenge', stepUp: true } } } } };
    expect(policyOverridesSchema.safeParse(ok).success).toBe(true);
    expect(policyOverridesSchema.safeParse({ rules: { NEW_DEVICE_AND_NETWORK: { stepUp: 'yes' } } }).success).toBe(false);
  });
});
