import { describe, expect, it } from 'vitest';
import { unfamiliarDeviceAndNetwork } from '../../../lambdas/engine/rules/unfamiliar-device-and-network';
import { ruleContext } from '../../support/engine';

describe('unfamiliar-device-and-network rule', () => {
  it('is quiet when either the device or the network is known', () => {
    expect(unfamiliarDeviceAndNetwork.evaluate(ruleContext({ account: { verified: 3, deviceVerified: 1, networkVerified: 0 } }))).toBeUndefined();
    expect(unfamiliarDeviceAndNetwork.evaluate(ruleContext({ account: { verified: 3, deviceVerified: 0, networkVerified: 2 } }))).toBeUndefined();
  });
  it('blocks a new device on a new network for an account with history', () => {
    expect(unfamiliarDeviceAndNetwork.evaluate(ruleContext({ account: { verified: 3, deviceVerified: 0, networkVerified: 0 } }))).toMatchObject({
      reason: 'ACCOUNT_TAKEOVER_RISK',
      action: 'block',
    });
  });
  it('is off unless a tenant turns it on', () => {
    expect(unfamiliarDeviceAndNetwork.defaults).toEqual({ enabled: false });
  });
});
