import { describe, expect, it } from 'vitest';
import type { CounterReading } from '../../../lambdas/engine/rule';
import { ipManyNumbers } from '../../../lambdas/engine/rules/ip-many-numbers';
import { ruleContext } from '../../support/engine';

const r = (dimension: string, value: number, limit = Infinity, window: CounterReading['window'] = 'day'): CounterReading => ({
  dimension, window, limit, value, resetsInSeconds: 600,
});

describe('ip-many-numbers rule', () => {
  it('is quiet for a carrier-NAT IP with tens of users', () => {
    expect(ipManyNumbers.evaluate(ruleContext({ counters: [r('ip-numbers', 40, 50)] }))).toBeUndefined();
  });
  it('scores but never blocks, however many numbers', () => {
    expect(ipManyNumbers.evaluate(ruleContext({ counters: [r('ip-numbers', 200, 50)] }))).toEqual({ reason: 'IP_MANY_NUMBERS', weight: 20 });
  });
});
