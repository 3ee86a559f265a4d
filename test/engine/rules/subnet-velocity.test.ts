import { describe, expect, it } from 'vitest';
import { subnetVelocity } from '../../../lambdas/engine/rules/subnet-velocity';
import { reading as r, ruleContext } from '../../support/engine';

describe('subnet-velocity rule', () => {
  it('is quiet under the limit', () => {
    expect(subnetVelocity.evaluate(ruleContext({ counters: [r('subnet', 10, 200, 'hour')] }))).toBeUndefined();
  });
  it('fires over the limit', () => {
    expect(subnetVelocity.evaluate(ruleContext({ counters: [r('subnet', 201, 200, 'hour')] }))).toMatchObject({ reason: 'SUBNET_VELOCITY' });
  });
});
