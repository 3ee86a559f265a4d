import { describe, expect, it } from 'vitest';
import { deviceVelocity } from '../../../lambdas/engine/rules/device-velocity';
import { reading as r, ruleContext } from '../../support/engine';

describe('device-velocity rule', () => {
  it('is quiet under the limit', () => {
    expect(deviceVelocity.evaluate(ruleContext({ counters: [r('device', 3, 10, 'hour')] }))).toBeUndefined();
  });
  it('blocks a device far over its limit', () => {
    expect(deviceVelocity.evaluate(ruleContext({ counters: [r('device', 31, 10, 'hour')] }))).toMatchObject({ reason: 'DEVICE_VELOCITY', action: 'block' });
  });
});
