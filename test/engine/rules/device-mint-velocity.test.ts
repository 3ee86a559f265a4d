import { Reason } from '../../../lambdas/domain/reasons';
import { describe, expect, it } from 'vitest';
import { deviceMintVelocity } from '../../../lambdas/engine/rules/device-mint-velocity';
import type { DeviceSignals } from '../../../lambdas/domain/types';
import { attempt, ruleContext } from '../../support/engine';

const withSignals = (deviceSignals: DeviceSignals) => ruleContext({ attempt: attempt({ deviceSignals }) });

describe('device-mint-velocity rule', () => {
  it('fires for a valid token the shield minted during a burst from its network', () => {
    expect(deviceMintVelocity.evaluate(withSignals({ token: 'valid', markers: [], firstSeen: 1, serverMarkers: ['mint-burst'] }))).toEqual({
      reason: Reason.DEVICE_MINT_VELOCITY,
      weight: 25,
    });
    expect(Reason.DEVICE_MINT_VELOCITY).toBe('DEVICE_MINT_VELOCITY');
  });
  it('is quiet for a token minted calmly, for client markers of that name, and without a valid token', () => {
    expect(deviceMintVelocity.evaluate(withSignals({ token: 'valid', markers: [], firstSeen: 1, serverMarkers: [] }))).toBeUndefined();
    expect(deviceMintVelocity.evaluate(withSignals({ token: 'valid', markers: ['mint-burst'], firstSeen: 1 }))).toBeUndefined();
    expect(deviceMintVelocity.evaluate(withSignals({ token: 'expired', markers: [] }))).toBeUndefined();
    expect(deviceMintVelocity.evaluate(withSignals({ token: 'unsigned', markers: [] }))).toBeUndefined();
    expect(deviceMintVelocity.evaluate(ruleContext())).toBeUndefined();
  });
});
