import { describe, expect, it } from 'vitest';
import type { CounterReading } from '../../../lambdas/engine/rule';
import { numberManyNetworks } from '../../../lambdas/engine/rules/number-many-networks';
import { ruleContext } from '../../support/engine';

const r = (value: number): CounterReading => ({ dimension: 'number-networks', window: 'day', limit: 3, value, resetsInSeconds: 600 });

describe('number-many-networks rule', () => {
  it('is quiet for a person on Wi-Fi and mobile data', () => {
    expect(numberManyNetworks.evaluate(ruleContext({ counters: [r(2)] }))).toBeUndefined();
  });
  it('scores a number asked for from many networks, without blocking alone', () => {
    expect(numberManyNetworks.evaluate(ruleContext({ counters: [r(12)] }))).toEqual({ reason: 'NUMBER_MANY_NETWORKS', weight: 30 });
  });
});
