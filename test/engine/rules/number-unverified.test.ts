import { describe, expect, it } from 'vitest';
import type { CounterReading } from '../../../lambdas/engine/rule';
import { numberUnverified } from '../../../lambdas/engine/rules/number-unverified';
import { ruleContext } from '../../support/engine';

const r = (dimension: string, value: number, limit = Infinity, window: CounterReading['window'] = 'day'): CounterReading => ({
  dimension, window, limit, value, resetsInSeconds: 600,
});

describe('number-unverified rule', () => {
  it('is quiet while earlier codes were verified', () => {
    expect(numberUnverified.evaluate(ruleContext({ counters: [r('number', 5, 10), r('verified:number', 3)] }))).toBeUndefined();
  });
  it('fires after three unverified codes today', () => {
    expect(numberUnverified.evaluate(ruleContext({ counters: [r('number', 4, 10), r('verified:number', 0)] }))).toMatchObject({ reason: 'NUMBER_UNVERIFIED' });
  });
});
