import { describe, expect, it } from 'vitest';
import { rangeLowConversion } from '../../../lambdas/engine/rules/range-low-conversion';
import { reading as r, ruleContext } from '../../support/engine';

describe('range-low-conversion rule', () => {
  it('waits for enough volume', () => {
    expect(rangeLowConversion.evaluate(ruleContext({ counters: [r('sent:range4', 5), r('verified:range4', 0)] }))).toBeUndefined();
  });
  it('is quiet for a range that verifies normally', () => {
    expect(rangeLowConversion.evaluate(ruleContext({ counters: [r('sent:range4', 21), r('verified:range4', 17)] }))).toBeUndefined();
  });
  it('fires for a range that verifies almost nothing', () => {
    expect(rangeLowConversion.evaluate(ruleContext({ counters: [r('sent:range4', 21), r('verified:range4', 1)] }))).toMatchObject({
      reason: 'RANGE_LOW_CONVERSION',
    });
  });
});
