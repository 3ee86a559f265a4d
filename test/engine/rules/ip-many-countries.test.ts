import { describe, expect, it } from 'vitest';
import type { CounterReading } from '../../../lambdas/engine/rule';
import { ipManyCountries } from '../../../lambdas/engine/rules/ip-many-countries';
import { ruleContext } from '../../support/engine';

const r = (dimension: string, value: number, limit = Infinity, window: CounterReading['window'] = 'day'): CounterReading => ({
  dimension, window, limit, value, resetsInSeconds: 600,
});

describe('ip-many-countries rule', () => {
  it('is quiet for a few countries', () => {
    expect(ipManyCountries.evaluate(ruleContext({ counters: [r('ip-countries', 2, 3)] }))).toBeUndefined();
  });
  it('fires for many countries from one IP', () => {
    expect(ipManyCountries.evaluate(ruleContext({ counters: [r('ip-countries', 4, 3)] }))).toMatchObject({ reason: 'IP_MANY_COUNTRIES' });
  });
});
