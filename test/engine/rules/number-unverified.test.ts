import { describe, expect, it } from 'vitest';
import { numberUnverified } from '../../../lambdas/engine/rules/number-unverified';
import { reading as r, ruleContext } from '../../support/engine';

describe('number-unverified rule', () => {
  it('is quiet while earlier codes were verified', () => {
    expect(numberUnverified.evaluate(ruleContext({ counters: [r('number', 5, 10), r('verified:number', 3)] }))).toBeUndefined();
  });
  it('fires after three unverified codes today', () => {
    expect(numberUnverified.evaluate(ruleContext({ counters: [r('number', 4, 10), r('verified:number', 0)] }))).toMatchObject({ reason: 'NUMBER_UNVERIFIED' });
  });
});
