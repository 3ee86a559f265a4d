import { describe, expect, it } from 'vitest';
import { missingDevice } from '../../../lambdas/engine/rules/missing-device';
import { attempt, ruleContext } from '../../support/engine';

describe('missing-device rule', () => {
  it('is quiet with a device', () => {
    expect(missingDevice.evaluate(ruleContext())).toBeUndefined();
  });
  it('fires weakly without one', () => {
    expect(missingDevice.evaluate(ruleContext({ attempt: attempt({ device: undefined }) }))).toEqual({ reason: 'MISSING_DEVICE', weight: 10 });
  });
});
