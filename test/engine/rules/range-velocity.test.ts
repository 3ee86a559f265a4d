import { describe, expect, it } from 'vitest';
import { rangeVelocity } from '../../../lambdas/engine/rules/range-velocity';
import { reading as r, ruleContext } from '../../support/engine';

describe('range-velocity rule', () => {
  it('is quiet for a few numbers in a range', () => {
    expect(rangeVelocity.evaluate(ruleContext({ counters: [r('range3-numbers', 3, 3, 'hour'), r('range4-numbers', 5, 8, 'hour')] }))).toBeUndefined();
  });
  it('fires for dense numbers in a 1,000-number range', () => {
    expect(rangeVelocity.evaluate(ruleContext({ counters: [r('range3-numbers', 4, 3, 'hour')] }))).toMatchObject({ reason: 'RANGE_VELOCITY', weight: 35 });
  });
  it('fires for dense numbers in a 10,000-number range and blocks far over', () => {
    expect(rangeVelocity.evaluate(ruleContext({ counters: [r('range4-numbers', 25, 8, 'hour')] }))).toMatchObject({
      reason: 'RANGE_VELOCITY',
      action: 'block',
    });
  });
});
