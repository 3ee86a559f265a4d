import { Reason } from '../../../lambdas/domain/reasons';
import { describe, expect, it } from 'vitest';
import { DEVICE_NEW_MINUTES, deviceTokenNew } from '../../../lambdas/engine/rules/device-token-new';
import { applySettings } from '../../../lambdas/engine/score';
import type { DeviceSignals } from '../../../lambdas/domain/types';
import { attempt, policy, ruleContext, T0 } from '../../support/engine';

const NOW = T0 / 1000;
const withSignals = (deviceSignals: DeviceSignals) => ruleContext({ attempt: attempt({ deviceSignals }), now: T0 });

describe('device-token-new rule', () => {
  it('fires, informational by default, for a device first seen minutes ago', () => {
    const finding = deviceTokenNew.evaluate(withSignals({ token: 'valid', markers: [], firstSeen: NOW - 30 }));
    expect(finding).toEqual({ reason: Reason.DEVICE_TOKEN_NEW, weight: 0 });
    expect(Reason.DEVICE_TOKEN_NEW).toBe('DEVICE_TOKEN_NEW');
    expect(deviceTokenNew.evaluate(withSignals({ token: 'valid', markers: [], firstSeen: NOW - DEVICE_NEW_MINUTES * 60 + 1 }))).toBeDefined();
    // A tenant can give it weight.
    const tuned = applySettings(deviceTokenNew, finding, policy({ rules: { 'device-token-new': { weight: 15 } } }), 'register');
    expect(tuned).toMatchObject([{ reason: Reason.DEVICE_TOKEN_NEW, weight: 15 }]);
  });
  it('is quiet for a device the shield has known for longer, and without a valid token', () => {
    expect(deviceTokenNew.evaluate(withSignals({ token: 'valid', markers: [], firstSeen: NOW - DEVICE_NEW_MINUTES * 60 }))).toBeUndefined();
    expect(deviceTokenNew.evaluate(withSignals({ token: 'valid', markers: [], firstSeen: NOW - 30 * 86_400 }))).toBeUndefined();
    expect(deviceTokenNew.evaluate(withSignals({ token: 'expired', markers: [] }))).toBeUndefined();
    expect(deviceTokenNew.evaluate(withSignals({ token: 'unsigned', markers: [] }))).toBeUndefined();
    expect(deviceTokenNew.evaluate(ruleContext())).toBeUndefined();
  });
});
