import { describe, expect, it } from 'vitest';
import { deviceToken } from '../../../lambdas/engine/rules/device-token';
import { attempt, ruleContext } from '../../support/engine';

describe('device-token rule', () => {
  it('is quiet for a valid token, a plain device id, and no device checks at all', () => {
    expect(deviceToken.evaluate(ruleContext({ attempt: attempt({ deviceSignals: { token: 'valid', markers: [], firstSeen: 1 } }) }))).toBeUndefined();
    expect(deviceToken.evaluate(ruleContext({ attempt: attempt({ deviceSignals: { token: 'unsigned', markers: [] } }) }))).toBeUndefined();
    expect(deviceToken.evaluate(ruleContext())).toBeUndefined();
  });
  it('fires for a token that failed verification', () => {
    expect(deviceToken.evaluate(ruleContext({ attempt: attempt({ deviceSignals: { token: 'invalid', markers: [] } }) }))).toEqual({
      reason: 'DEVICE_TOKEN_INVALID',
      weight: 30,
    });
  });
});
