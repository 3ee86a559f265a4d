import { describe, expect, it } from 'vitest';
import { newDevice } from '../../../lambdas/engine/rules/new-device';
import { ruleContext } from '../../support/engine';

describe('new-device rule', () => {
  it('is quiet for a known device or an account without history', () => {
    expect(newDevice.evaluate(ruleContext({ account: { verified: 4, deviceVerified: 2, networkVerified: 0 } }))).toBeUndefined();
    expect(newDevice.evaluate(ruleContext({ account: { verified: 0, deviceVerified: 0, networkVerified: 0 } }))).toBeUndefined();
  });
  it('fires for a device the account never verified on', () => {
    expect(newDevice.evaluate(ruleContext({ account: { verified: 4, deviceVerified: 0, networkVerified: 3 } }))).toMatchObject({ reason: 'NEW_DEVICE' });
  });
});
