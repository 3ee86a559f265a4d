import { describe, expect, it } from 'vitest';
import { ipVelocity } from '../../../lambdas/engine/rules/ip-velocity';
import { reading as r, ruleContext } from '../../support/engine';

describe('ip-velocity rule', () => {
  it('is quiet at the limit', () => {
    expect(ipVelocity.evaluate(ruleContext({ counters: [r('ip', 60, 60, 'hour')] }))).toBeUndefined();
  });
  it('adds score over the limit', () => {
    expect(ipVelocity.evaluate(ruleContext({ counters: [r('ip', 61, 60, 'hour')] }))).toEqual({ reason: 'IP_VELOCITY', weight: 20 });
  });
  it('blocks as a rate limit far over the limit', () => {
    expect(ipVelocity.evaluate(ruleContext({ counters: [r('ip', 181, 60, 'hour')] }))).toMatchObject({
      reason: 'IP_VELOCITY',
      action: 'block',
      retryAfterSeconds: 600,
    });
  });
});
