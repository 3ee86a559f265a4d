import { describe, expect, it } from 'vitest';
import { DeviceTokens } from '../../lambdas/challenge/device-tokens';
import { deriveManMachineKeys } from '../../lambdas/challenge/secrets';
import { ManualClock } from '../../lambdas/ports/clock';

const T = Date.UTC(2026, 10, 2, 12, 0, 0);
const FP = '3f0c2a9b8d7e6f5a4b3c2d1e0f9a8b7c';

function setup(key = deriveManMachineKeys('man-machine-secret-for-tests').deviceKey) {
  const clock = new ManualClock(T);
  return { clock, tokens: new DeviceTokens(key, clock) };
}

describe('DeviceTokens', () => {
  it('issues a compact token binding a device id to its first-seen time and markers', () => {
    const { tokens } = setup();
    const issued = tokens.issue({ fingerprint: FP, markers: ['webdriver', 'no-languages'] });
    expect(issued.token).toMatch(/^sdt1\.[A-Za-z0-9_-]{22}\.[0-9a-z]+\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(issued.token.length).toBeLessThan(80);
    expect(issued).toMatchObject({ firstSeen: T / 1000, markers: ['webdriver', 'no-languages'] });
    expect(tokens.read(issued.token)).toEqual({ kind: 'valid', deviceId: issued.deviceId, firstSeen: T / 1000, markers: ['webdriver', 'no-languages'] });
  });

  it('gives one fingerprint one device id, and different fingerprints different ids', () => {
    const { tokens, clock } = setup();
    const a = tokens.issue({ fingerprint: FP });
    clock.advance(3_600_000);
    const again = tokens.issue({ fingerprint: FP });
    expect(again.deviceId).toBe(a.deviceId);
    expect(again.firstSeen).toBe(a.firstSeen + 3_600); // storage cleared: first seen again
    expect(tokens.issue({ fingerprint: `${FP}x` }).deviceId).not.toBe(a.deviceId);
  });

  it('keeps the device id and first-seen time of a valid previous token, whatever the fingerprint now', () => {
    const { tokens, clock } = setup();
    const first = tokens.issue({ fingerprint: FP });
    clock.advance(86_400_000);
    const renewed = tokens.issue({ fingerprint: 'browser-updated-fingerprint', previous: first.token, markers: [] });
    expect(renewed).toMatchObject({ deviceId: first.deviceId, firstSeen: first.firstSeen });
    // A forged previous token earns nothing: a fresh id and first-seen time.
    const forged = tokens.issue({ fingerprint: 'another-fingerprint-value', previous: `${first.token.slice(0, -1)}${first.token.endsWith('A') ? 'B' : 'A'}` });
    expect(forged.deviceId).not.toBe(first.deviceId);
    expect(forged.firstSeen).toBe(clock.now() / 1000);
  });

  it('ignores unknown markers', () => {
    const { tokens } = setup();
    expect(tokens.issue({ fingerprint: FP, markers: ['made-up', 'zero-screen'] }).markers).toEqual(['zero-screen']);
  });

  it('calls a plain device id unsigned', () => {
    const { tokens } = setup();
    for (const value of ['device-1', 'e2e-device', 'a3f0-uuid-like', 'sdt', 'sdtx.1']) expect(tokens.read(value)).toEqual({ kind: 'unsigned' });
  });

  it('calls every tampered, truncated, foreign or malformed token invalid, without throwing', () => {
    const { tokens } = setup();
    const { token } = tokens.issue({ fingerprint: FP, markers: ['webdriver'] });
    const [v, id, seen, mask, sig] = token.split('.') as [string, string, string, string, string];
    const other = new DeviceTokens(deriveManMachineKeys('another-deployment-secret').deviceKey, new ManualClock(T));
    const cases = [
      [v, id, seen, '0', sig].join('.'), // markers removed
      [v, id, (Number.parseInt(seen, 36) - 86_400 * 365).toString(36), mask, sig].join('.'), // older first-seen
      [v, `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`, seen, mask, sig].join('.'), // another device id
      [v, id, seen, mask, `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`].join('.'), // signature changed
      [v, id, seen, mask].join('.'), // cut short
      token.slice(0, -5),
      ['sdt2', id, seen, mask, sig].join('.'), // unknown version
      [v, id, seen, mask, sig, 'extra'].join('.'),
      [v, id, 'NOT-BASE36', mask, sig].join('.'),
      `${token}${'x'.repeat(200)}`,
      'sdt1.',
      other.issue({ fingerprint: FP }).token, // another deployment's key
    ];
    for (const value of cases) expect(tokens.read(value), value).toEqual({ kind: 'invalid' });
  });

  it('refuses a token first seen far in the future (beyond clock skew)', () => {
    const { tokens, clock } = setup();
    clock.advance(86_400_000);
    const future = tokens.issue({ fingerprint: FP });
    clock.set(T);
    expect(tokens.read(future.token)).toEqual({ kind: 'invalid' });
  });

  it('hands the engine the id inside a valid token, and the value itself otherwise', () => {
    const { tokens } = setup();
    const issued = tokens.issue({ fingerprint: FP, markers: ['webdriver'] });
    expect(tokens.signals(issued.token)).toEqual({
      device: issued.deviceId,
      signals: { token: 'valid', markers: ['webdriver'], firstSeen: issued.firstSeen },
    });
    expect(tokens.signals('device-1')).toEqual({ device: 'device-1', signals: { token: 'unsigned', markers: [] } });
    expect(tokens.signals('sdt1.broken')).toEqual({ device: 'sdt1.broken', signals: { token: 'invalid', markers: [] } });
  });

  it('derives different keys for challenges and device tokens', () => {
    const keys = deriveManMachineKeys('man-machine-secret-for-tests');
    expect(keys.challengeKey).not.toBe(keys.deviceKey);
    expect(() => deriveManMachineKeys('short')).toThrow(/at least 16/);
  });
});
