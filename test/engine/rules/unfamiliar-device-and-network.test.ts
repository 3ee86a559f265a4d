import { describe, expect, it } from 'vitest';
import { unfamiliarDeviceAndNetwork } from '../../../lambdas/engine/rules/unfamiliar-device-and-network';
import type { AccountHistory } from '../../../lambdas/engine/rule';
import { attempt, ruleContext } from '../../support/engine';

const GB_HOME = '81.2.69.142';
const FR_RESIDENTIAL = '90.1.2.3';
const DE_DATACENTER = '5.6.7.8';

const unfamiliar: AccountHistory = { verified: 3, deviceVerified: 0, networkVerified: 0 };
const none: AccountHistory = { verified: 0, deviceVerified: 0, networkVerified: 0 };

/** A GB number asking for a password reset from `ip`. */
function evaluate(ip: string, account: AccountHistory | undefined, numberHistory?: AccountHistory) {
  return unfamiliarDeviceAndNetwork.evaluate(ruleContext({ attempt: attempt({ ip, scenario: 'reset_password', account: 'acct-1' }), account, numberHistory }));
}

describe('unfamiliar-device-and-network rule', () => {
  it('is quiet when the account verified on this device or on this network, wherever the address is', () => {
    // A traveller on a known device; a new phone at home.
    expect(evaluate(FR_RESIDENTIAL, { verified: 3, deviceVerified: 1, networkVerified: 0 })).toBeUndefined();
    expect(evaluate(DE_DATACENTER, { verified: 3, deviceVerified: 1, networkVerified: 0 })).toBeUndefined();
    expect(evaluate(GB_HOME, { verified: 3, deviceVerified: 0, networkVerified: 2 })).toBeUndefined();
  });

  it('refuses a device and a network the account never verified on when the network is abroad or a datacenter', () => {
    for (const ip of [FR_RESIDENTIAL, DE_DATACENTER]) {
      expect(evaluate(ip, unfamiliar)).toEqual({ reason: 'ACCOUNT_TAKEOVER_RISK', weight: 0, action: 'block', stepUp: true });
    }
  });

  it('asks a clearable challenge for a new device on a new network in the number country (a new phone on mobile data)', () => {
    expect(evaluate(GB_HOME, unfamiliar)).toEqual({ reason: 'NEW_DEVICE_AND_NETWORK', weight: 0, action: 'challenge' });
  });

  it("uses the number's history at this tenant when the account has none, or none is named", () => {
    expect(evaluate(FR_RESIDENTIAL, none, unfamiliar)).toMatchObject({ reason: 'ACCOUNT_TAKEOVER_RISK' });
    expect(evaluate(FR_RESIDENTIAL, undefined, unfamiliar)).toMatchObject({ reason: 'ACCOUNT_TAKEOVER_RISK' });
    expect(evaluate(FR_RESIDENTIAL, none, { verified: 2, deviceVerified: 2, networkVerified: 0 })).toBeUndefined();
    // The account's own history wins over the number's.
    expect(evaluate(FR_RESIDENTIAL, { verified: 1, deviceVerified: 1, networkVerified: 0 }, unfamiliar)).toBeUndefined();
  });

  it('with no history at all refuses only a datacenter: a first-time customer at home or abroad is not refused for that', () => {
    expect(evaluate(DE_DATACENTER, none, none)).toMatchObject({ reason: 'ACCOUNT_TAKEOVER_RISK', action: 'block' });
    expect(evaluate(GB_HOME, none, none)).toBeUndefined();
    expect(evaluate(FR_RESIDENTIAL, none, none)).toBeUndefined();
    expect(evaluate(GB_HOME, undefined)).toBeUndefined();
  });

  it('is off unless the policy turns it on for a scenario (reset_password and transfer by default)', () => {
    expect(unfamiliarDeviceAndNetwork.defaults).toEqual({ enabled: false });
  });
});
