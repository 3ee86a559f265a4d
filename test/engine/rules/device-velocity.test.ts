import { describe, expect, it } from 'vitest';
import type { CounterReading } from '../../../lambdas/engine/rule';
import { deviceVelocity } from '../../../lambdas/engine/rules/device-velocity';
import { ruleContext } from '../../support/engine';

const r = (dimension: string, value: number, limit = Infinity, window: CounterReading['window'] = 'day'): CounterReading => ({
  dimension, window, limit, value, resetsInSeconds: 600,
});

describe('device-velocity rule', () => {
  it('is quiet under the limit', () => {
    expect(deviceVelocity.evaluate(ruleContext({ counters: [r('device', 3, 10, 'hour')] }))).toBeUndefined();
  });
  it('blocks a device far over its limit', () => {
    expect(deviceVelocity.evaluate(ruleContext({ counters: [r('device', 31, 10, 'hour')] }))).toMatchObject({ reason: 'DEVICE_VELOCITY', action: 'block' });
  });
});
