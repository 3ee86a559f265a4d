import { describe, expect, it } from 'vitest';
import { deviceManyNumbers } from '../../../lambdas/engine/rules/device-many-numbers';
import { reading as r, ruleContext } from '../../support/engine';

describe('device-many-numbers rule', () => {
  it('is quiet for a family device with a few numbers', () => {
    expect(deviceManyNumbers.evaluate(ruleContext({ counters: [r('device-numbers', 3, 3)] }))).toBeUndefined();
  });
  it('scores a device with more numbers and blocks a farm', () => {
    expect(deviceManyNumbers.evaluate(ruleContext({ counters: [r('device-numbers', 4, 3)] }))).toEqual({ reason: 'DEVICE_MANY_NUMBERS', weight: 35 });
    expect(deviceManyNumbers.evaluate(ruleContext({ counters: [r('device-numbers', 10, 3)] }))).toMatchObject({ action: 'block' });
  });
});
