import { describe, expect, it } from 'vitest';
import type { CounterReading } from '../../../lambdas/engine/rule';
import { globalNumberVelocity } from '../../../lambdas/engine/rules/global-number-velocity';
import { numberVelocity } from '../../../lambdas/engine/rules/number-velocity';
import { ruleContext } from '../../support/engine';

const reading = (over: Partial<CounterReading>): CounterReading => ({
  dimension: 'number',
  window: 'hour',
  limit: 5,
  value: 1,
  resetsInSeconds: 1200,
  ...over,
});

describe('number-velocity rule', () => {
  it('is quiet at the limit', () => {
    expect(numberVelocity.evaluate(ruleContext({ counters: [reading({ value: 5 })] }))).toBeUndefined();
  });

  it('blocks past the limit and says when to retry', () => {
    expect(numberVelocity.evaluate(ruleContext({ counters: [reading({ value: 6 })] }))).toMatchObject({
      reason: 'NUMBER_VELOCITY',
      action: 'block',
      retryAfterSeconds: 1200,
    });
  });

  it('uses the window that frees up last when several are full', () => {
    const counters = [
      reading({ window: 'minute', limit: 1, value: 2, resetsInSeconds: 30 }),
      reading({ window: 'day', limit: 10, value: 11, resetsInSeconds: 40_000 }),
    ];
    expect(numberVelocity.evaluate(ruleContext({ counters }))).toMatchObject({ retryAfterSeconds: 40_000 });
  });

  it('ignores other dimensions', () => {
    expect(numberVelocity.evaluate(ruleContext({ counters: [reading({ dimension: 'global-number', value: 99 })] }))).toBeUndefined();
  });
});

describe('global-number-velocity rule', () => {
  it('blocks a number over its cross-tenant cap', () => {
    expect(globalNumberVelocity.evaluate(ruleContext({ counters: [reading({ dimension: 'global-number', limit: 10, value: 11 })] }))).toMatchObject({
      reason: 'GLOBAL_NUMBER_VELOCITY',
      action: 'block',
    });
  });

  it('is quiet under the cap', () => {
    expect(globalNumberVelocity.evaluate(ruleContext({ counters: [reading({ dimension: 'global-number', limit: 10, value: 10 })] }))).toBeUndefined();
  });
});
