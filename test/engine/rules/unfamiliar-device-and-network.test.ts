import { describe, expect, it } from 'vitest';
import { unfamiliarDeviceAndNetwork } from '../../../lambdas/engine/rules/unfamiliar-device-and-network';
import type { AccountHistory } from '../../../lambdas/engine/rule';
import type { CounterReading } from '../../../lambdas/engine/rule';
import { attempt, reading, ruleContext } from '../../support/engine';

const GB_HOME = '81.2.69.142';
const FR_RESIDENTIAL = '90.1.2.3';
const DE_DATACENTER = '5.6.7.8';

const unfamiliar: AccountHistory = { verified: 3, deviceVerified: 0, networkVerified: 0 };
const none: AccountHistory = { verified: 0, deviceVerified: 0, networkVerified: 0 };

/** A GB number asking for a password reset from `ip`. */
function evaluate(ip: string, account: AccountHistory | undefined, numberHistory?: AccountHistory, counters: CounterReading[] = []) {
  return unfamiliarDeviceAndNetwork.evaluate(
    ruleContext({ attempt: attempt({ ip, scenario: 'reset_password', account: 'acct-1' }), account, numberHistory, counters }),
  );
}
/** This device asked for codes for this and another account today. */
const deviceTwoAccounts = [reading('device-accounts', 2, 2)];
/** This address asked for sensitive codes for this and another foreign number today. */
const ipTwoForeignNumbers = [reading('ip-foreign-sensitive-numbers', 2)];

describe('unfamiliar-device-and-network rule', () => {
  it('is quiet when the account verified on this device or on this network, wherever the address is', () => {
    // A traveller on a known device, even on an address that serves other travellers; a new phone at home.
    expect(evaluate(FR_RESIDENTIAL, { verified: 3, deviceVerified: 1, networkVerified: 0 }, undefined, ipTwoForeignNumbers)).toBeUndefined();
    expect(evaluate(DE_DATACENTER, { verified: 3, deviceVerified: 1, networkVerified: 0 })).toBeUndefined();
    expect(evaluate(GB_HOME, { verified: 3, deviceVerified: 0, networkVerified: 2 })).toBeUndefined();
  });

  it('refuses an unknown device on a datacenter network, known network aside', () => {
    expect(evaluate(DE_DATACENTER, unfamiliar)).toEqual({ reason: 'ACCOUNT_TAKEOVER_RISK', weight: 0, action: 'block', stepUp: true });
    expect(evaluate(DE_DATACENTER, { verified: 3, deviceVerified: 0, networkVerified: 1 })).toBeUndefined();
  });

  it('refuses an unknown device that asked for another account today, whatever the network', () => {
    expect(evaluate(GB_HOME, { verified: 3, deviceVerified: 0, networkVerified: 1 }, undefined, deviceTwoAccounts)).toMatchObject({
      reason: 'ACCOUNT_TAKEOVER_RISK',
    });
    expect(evaluate(GB_HOME, none, none, deviceTwoAccounts)).toMatchObject({ reason: 'ACCOUNT_TAKEOVER_RISK' });
    // …but not a device the account verified on (a family tablet).
    expect(evaluate(GB_HOME, { verified: 3, deviceVerified: 1, networkVerified: 0 }, undefined, deviceTwoAccounts)).toBeUndefined();
  });

  it('refuses an unknown device on an address abroad that asks for other foreign numbers too', () => {
    expect(evaluate(FR_RESIDENTIAL, unfamiliar, undefined, ipTwoForeignNumbers)).toMatchObject({ reason: 'ACCOUNT_TAKEOVER_RISK' });
    expect(evaluate(FR_RESIDENTIAL, none, none, ipTwoForeignNumbers)).toMatchObject({ reason: 'ACCOUNT_TAKEOVER_RISK' });
    // In the number's own country the count means nothing (carrier NAT, offices).
    expect(evaluate(GB_HOME, none, none, ipTwoForeignNumbers)).toBeUndefined();
  });

  it('asks a clearable challenge for a new device on a new network at home (a new phone on mobile data)', () => {
    expect(evaluate(GB_HOME, unfamiliar)).toEqual({ reason: 'NEW_DEVICE_AND_NETWORK', weight: 0, action: 'challenge' });
  });

  it('steps up a new device on a new network abroad: a solved proof of work does not clear it (a proxy abroad, or a hotel PC)', () => {
    expect(evaluate(FR_RESIDENTIAL, unfamiliar)).toEqual({ reason: 'NEW_DEVICE_AND_NETWORK', weight: 0, action: 'challenge', stepUp: true });
    // Without history, abroad alone is a first-time customer travelling: nothing is said.
    expect(evaluate(FR_RESIDENTIAL, none)).toBeUndefined();
  });

  it("uses the number's history at this tenant when the account has none, or none is named", () => {
    expect(evaluate(DE_DATACENTER, none, unfamiliar)).toMatchObject({ reason: 'ACCOUNT_TAKEOVER_RISK' });
    expect(evaluate(GB_HOME, undefined, unfamiliar)).toMatchObject({ reason: 'NEW_DEVICE_AND_NETWORK' });
    expect(evaluate(DE_DATACENTER, none, { verified: 2, deviceVerified: 2, networkVerified: 0 })).toBeUndefined();
    // The account's own history wins over the number's.
    expect(evaluate(DE_DATACENTER, { verified: 1, deviceVerified: 1, networkVerified: 0 }, unfamiliar)).toBeUndefined();
  });

  it('with no history at all is quiet on its own but for a datacenter: a first-time customer at home or abroad is not refused', () => {
    expect(evaluate(DE_DATACENTER, none, none)).toMatchObject({ reason: 'ACCOUNT_TAKEOVER_RISK', action: 'block' });
    expect(evaluate(GB_HOME, none, none)).toBeUndefined();
    expect(evaluate(FR_RESIDENTIAL, none, none)).toBeUndefined();
    expect(evaluate(GB_HOME, undefined)).toBeUndefined();
  });

  it('is off unless the policy turns it on for a scenario (reset_password and transfer by default)', () => {
    expect(unfamiliarDeviceAndNetwork.defaults).toEqual({ enabled: false });
  });
});
