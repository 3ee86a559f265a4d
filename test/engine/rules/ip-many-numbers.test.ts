import { describe, expect, it } from 'vitest';
import { ipManyNumbers } from '../../../lambdas/engine/rules/ip-many-numbers';
import { reading as r, ruleContext } from '../../support/engine';

describe('ip-many-numbers rule', () => {
  it('is quiet for a carrier-NAT IP with tens of users', () => {
    expect(ipManyNumbers.evaluate(ruleContext({ counters: [r('ip-numbers', 40, 50)] }))).toBeUndefined();
  });
  it('scores but never blocks, however many numbers', () => {
    expect(ipManyNumbers.evaluate(ruleContext({ counters: [r('ip-numbers', 200, 50)] }))).toEqual({ reason: 'IP_MANY_NUMBERS', weight: 20 });
  });
});
