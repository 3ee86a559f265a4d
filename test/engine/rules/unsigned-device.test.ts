import { describe, expect, it } from 'vitest';
import { unsignedDevice } from '../../../lambdas/engine/rules/unsigned-device';
import { ruleEnabled } from '../../../lambdas/engine/score';
import { attempt, policy, ruleContext } from '../../support/engine';

describe('unsigned-device rule', () => {
  it('is off unless the tenant switches it on', () => {
    expect(ruleEnabled(unsignedDevice, policy(), 'login')).toBe(false);
    expect(ruleEnabled(unsignedDevice, policy({ rules: { 'unsigned-device': { enabled: true } } }), 'login')).toBe(true);
  });
  it('is quiet for a signed token and for requests the service did not check', () => {
    expect(unsignedDevice.evaluate(ruleContext({ attempt: attempt({ deviceSignals: { token: 'valid', markers: [] } }) }))).toBeUndefined();
    expect(unsignedDevice.evaluate(ruleContext())).toBeUndefined();
  });
  it('fires for a plain device id', () => {
    expect(unsignedDevice.evaluate(ruleContext({ attempt: attempt({ deviceSignals: { token: 'unsigned', markers: [] } }) }))).toEqual({
      reason: 'DEVICE_UNSIGNED',
      weight: 20,
    });
  });
});
