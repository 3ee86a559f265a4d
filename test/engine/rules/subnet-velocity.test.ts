import { describe, expect, it } from 'vitest';
import type { CounterReading } from '../../../lambdas/engine/rule';
import { subnetVelocity } from '../../../lambdas/engine/rules/subnet-velocity';
import { ruleContext } from '../../support/engine';

const r = (dimension: string, value: number, limit = Infinity, window: CounterReading['window'] = 'day'): CounterReading => ({
  dimension, window, limit, value, resetsInSeconds: 600,
});

describe('subnet-velocity rule', () => {
  it('is quiet under the limit', () => {
    expect(subnetVelocity.evaluate(ruleContext({ counters: [r('subnet', 10, 200, 'hour')] }))).toBeUndefined();
  });
  it('fires over the limit', () => {
    expect(subnetVelocity.evaluate(ruleContext({ counters: [r('subnet', 201, 200, 'hour')] }))).toMatchObject({ reason: 'SUBNET_VELOCITY' });
  });
});
