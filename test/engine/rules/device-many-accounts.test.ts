import { describe, expect, it } from 'vitest';
import type { CounterReading } from '../../../lambdas/engine/rule';
import { deviceManyAccounts } from '../../../lambdas/engine/rules/device-many-accounts';
import { ruleContext } from '../../support/engine';

const r = (value: number): CounterReading => ({ dimension: 'device-accounts', window: 'day', limit: 2, value, resetsInSeconds: 600 });

describe('device-many-accounts rule', () => {
  it('is quiet for a shared family device', () => {
    expect(deviceManyAccounts.evaluate(ruleContext({ counters: [r(2)] }))).toBeUndefined();
  });
  it('scores a device used for several accounts and blocks one working through a list', () => {
    expect(deviceManyAccounts.evaluate(ruleContext({ counters: [r(3)] }))).toEqual({ reason: 'DEVICE_MANY_ACCOUNTS', weight: 40 });
    expect(deviceManyAccounts.evaluate(ruleContext({ counters: [r(7)] }))).toMatchObject({ action: 'block' });
  });
});
