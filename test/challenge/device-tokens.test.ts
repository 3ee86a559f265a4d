import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DeviceTokens } from '../../lambdas/challenge/device-tokens';
import { deriveManMachineKeys } from '../../lambdas/challenge/secrets';
import { DEVICE_MARKERS, SERVER_DEVICE_MARKERS, SERVER_MARKER_BIT } from '../../lambdas/engine/device-markers';
import { ManualClock } from '../../lambdas/ports/clock';

const T = Date.UTC(2026, 10, 2, 12, 0, 0);
const NOW = T / 1000;
const DAY = 86_400_000;
const FP = '3f0c2a9b8d7e6f5a4b3c2d1e0f9a8b7c';
const KEY = deriveManMachineKeys('man-machine-secret-for-tests').deviceKey;

function setup(key = KEY, options?: ConstructorParameters<typeof DeviceTokens>[2]) {
  const clock = new ManualClock(T);
  return { clock, tokens: new DeviceTokens(key, clock, options) };
}

/** Signs a token body the way the shield does: for legacy `sdt1` tokens and hand-made edge cases. */
const signed = (body: string) => `${body}.${createHmac('sha256', KEY).update(body).digest().subarray(0, 16).toString('base64url')}`;
const flip = (s: string) => `${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}`;

describe('DeviceTokens', () => {
  it('issues a compact sdt2 token binding a device id to its first-seen time, issue time and markers', () => {
    const { tokens } = setup();
    const issued = tokens.issue({ fingerprint: FP, markers: ['webdriver', 'no-languages'] });
    expect(issued.token).toMatch(/^sdt2\.[A-Za-z0-9_-]{22}\.[0-9a-z]+\.[0-9a-z]+\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(issued.token.length).toBeLessThan(80);
    expect(issued).toMatchObject({ firstSeen: NOW, expiresAt: NOW + 7 * 86_400, markers: ['webdriver', 'no-languages'] });
    expect(tokens.read(issued.token)).toEqual({
      kind: 'valid',
      deviceId: issued.deviceId,
      firstSeen: NOW,
      issuedAt: NOW,
      markers: ['webdriver', 'no-languages'],
      serverMarkers: [],
    });
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
    clock.advance(DAY);
    const renewed = tokens.issue({ fingerprint: 'browser-updated-fingerprint', previous: first.token, markers: [] });
    expect(renewed).toMatchObject({ deviceId: first.deviceId, firstSeen: first.firstSeen, expiresAt: NOW + 8 * 86_400 });
    // A forged previous token earns nothing: a fresh id and first-seen time.
    const forged = tokens.issue({ fingerprint: 'another-fingerprint-value', previous: flip(first.token) });
    expect(forged.deviceId).not.toBe(first.deviceId);
    expect(forged.firstSeen).toBe(clock.now() / 1000);
  });

  it('expires a token a week after issue: authentic, but no longer valid', () => {
    const { tokens, clock } = setup();
    const issued = tokens.issue({ fingerprint: FP, markers: ['webdriver'] });
    clock.advance(7 * DAY);
    expect(tokens.read(issued.token).kind).toBe('valid');
    clock.advance(1_000);
    expect(tokens.read(issued.token)).toEqual({
      kind: 'expired',
      deviceId: issued.deviceId,
      firstSeen: NOW,
      issuedAt: NOW,
      markers: ['webdriver'],
      serverMarkers: [],
    });
  });

  it('takes the validity as a constructor option', () => {
    const { tokens, clock } = setup(KEY, { ttlSeconds: 3_600 });
    const issued = tokens.issue({ fingerprint: FP });
    expect(issued.expiresAt).toBe(NOW + 3_600);
    clock.advance(3_601_000);
    expect(tokens.read(issued.token).kind).toBe('expired');
  });

  it('renews an expired token with its device id and first-seen time, up to 180 days after issue', () => {
    const { tokens, clock } = setup();
    const issued = tokens.issue({ fingerprint: FP });
    clock.advance(180 * DAY);
    const renewed = tokens.issue({ fingerprint: 'fingerprint-changed-meanwhile', previous: issued.token });
    expect(renewed).toMatchObject({ deviceId: issued.deviceId, firstSeen: NOW });
    expect(tokens.read(renewed.token).kind).toBe('valid');
    // Past the renewal horizon the old token earns nothing: the fingerprint's id, first seen now.
    const { tokens: later, clock: laterClock } = setup();
    const old = later.issue({ fingerprint: FP });
    laterClock.advance(180 * DAY + 1_000);
    const fresh = later.issue({ fingerprint: 'fingerprint-changed-meanwhile', previous: old.token });
    expect(fresh.deviceId).not.toBe(old.deviceId);
    expect(fresh.firstSeen).toBe(laterClock.now() / 1000);
  });

  it('reads an authentic sdt1 token (no issue time) as expired: renewable, never valid on a send', () => {
    const { tokens, clock } = setup();
    const id = tokens.issue({ fingerprint: FP }).deviceId;
    const legacy = signed(`sdt1.${id}.${(NOW - 86_400).toString(36)}.1`);
    expect(tokens.read(legacy)).toEqual({ kind: 'expired', deviceId: id, firstSeen: NOW - 86_400, markers: ['webdriver'], serverMarkers: [] });
    // On a send it is judged like a plain id: the value itself, no markers, no first-seen time.
    expect(tokens.signals(legacy)).toEqual({ device: legacy, signals: { token: 'expired', markers: [] } });
    const renewed = tokens.issue({ fingerprint: 'another-fingerprint', previous: legacy });
    expect(renewed).toMatchObject({ deviceId: id, firstSeen: NOW - 86_400 });
    expect(renewed.token).toMatch(/^sdt2\./);
    // Its first-seen time is the only time it carries: one older than the horizon is not renewed.
    clock.advance(180 * DAY);
    expect(tokens.issue({ fingerprint: 'another-fingerprint', previous: legacy }).firstSeen).toBe(clock.now() / 1000);
  });

  it('ignores unknown markers, and never takes a server marker from the client', () => {
    const { tokens } = setup();
    expect(tokens.issue({ fingerprint: FP, markers: ['made-up', 'zero-screen'] }).markers).toEqual(['zero-screen']);
    const { token } = tokens.issue({ fingerprint: FP, markers: ['mint-burst', 'webdriver'] });
    expect(tokens.read(token)).toMatchObject({ markers: ['webdriver'], serverMarkers: [] });
  });

  it('signs server markers into the mask, apart from the client markers', () => {
    const { tokens } = setup();
    const issued = tokens.issue({ fingerprint: FP, markers: ['no-languages'], serverMarkers: ['mint-burst'] });
    expect(issued.markers).toEqual(['no-languages']);
    expect(tokens.read(issued.token)).toMatchObject({ kind: 'valid', markers: ['no-languages'], serverMarkers: ['mint-burst'] });
    // Removing the bit breaks the signature.
    const parts = issued.token.split('.');
    parts[4] = (Number.parseInt(parts[4]!, 36) & ~(1 << SERVER_MARKER_BIT)).toString(36);
    expect(tokens.read(parts.join('.'))).toEqual({ kind: 'invalid' });
    expect(DEVICE_MARKERS.length).toBeLessThanOrEqual(SERVER_MARKER_BIT);
    expect(SERVER_DEVICE_MARKERS).toContain('mint-burst');
  });

  it("keeps a server marker on renewals for the device's first day only", () => {
    const { tokens, clock } = setup();
    const burst = tokens.issue({ fingerprint: FP, serverMarkers: ['mint-burst'] });
    // Renewing right away does not wash the mark off…
    const soon = tokens.issue({ fingerprint: FP, previous: burst.token });
    expect(tokens.read(soon.token)).toMatchObject({ serverMarkers: ['mint-burst'] });
    // …but a person whose first token came out of a burst is not marked for good.
    clock.advance(DAY);
    const later = tokens.issue({ fingerprint: FP, previous: soon.token });
    expect(tokens.read(later.token)).toMatchObject({ deviceId: burst.deviceId, firstSeen: NOW, serverMarkers: [] });
  });

  it('calls a plain device id unsigned', () => {
    const { tokens } = setup();
    for (const value of ['device-1', 'e2e-device', 'a3f0-uuid-like', 'sdt', 'sdtx.1']) expect(tokens.read(value)).toEqual({ kind: 'unsigned' });
  });

  it('calls every tampered, truncated, foreign or malformed token invalid, without throwing', () => {
    const { tokens } = setup();
    const { token } = tokens.issue({ fingerprint: FP, markers: ['webdriver'] });
    const [v, id, seen, issued, mask, sig] = token.split('.') as [string, string, string, string, string, string];
    const other = new DeviceTokens(deriveManMachineKeys('another-deployment-secret').deviceKey, new ManualClock(T));
    const cases = [
      [v, id, seen, issued, '0', sig].join('.'), // markers removed
      [v, id, (Number.parseInt(seen, 36) - 86_400 * 365).toString(36), issued, mask, sig].join('.'), // older first-seen
      [v, id, seen, (Number.parseInt(issued, 36) + 86_400).toString(36), mask, sig].join('.'), // later issue time
      [v, flip(id), seen, issued, mask, sig].join('.'), // another device id
      [v, id, seen, issued, mask, flip(sig)].join('.'), // signature changed
      [v, id, seen, issued, mask].join('.'), // cut short
      token.slice(0, -5),
      ['sdt1', id, seen, mask, sig].join('.'), // re-labelled as a legacy token
      ['sdt1', id, seen, issued, mask, sig].join('.'),
      ['sdt3', id, seen, issued, mask, sig].join('.'), // unknown version
      [v, id, seen, issued, mask, sig, 'extra'].join('.'),
      [v, id, 'NOT-BASE36', issued, mask, sig].join('.'),
      `${token}${'x'.repeat(200)}`,
      'sdt1.',
      'sdt2.',
      signed(`sdt2.${id}.${(NOW + 10).toString(36)}.${NOW.toString(36)}.0`), // first seen after its issue
      signed(`sdt1.${id}.${seen}.0`).replace(/^sdt1/, 'sdt2'),
      other.issue({ fingerprint: FP }).token, // another deployment's key
    ];
    for (const value of cases) expect(tokens.read(value), value).toEqual({ kind: 'invalid' });
  });

  it('refuses a token issued far in the future (beyond clock skew)', () => {
    const { tokens, clock } = setup();
    clock.advance(DAY);
    const future = tokens.issue({ fingerprint: FP });
    clock.set(T);
    expect(tokens.read(future.token)).toEqual({ kind: 'invalid' });
  });

  it('hands the engine the id inside a valid token, and the value itself otherwise', () => {
    const { tokens, clock } = setup();
    const issued = tokens.issue({ fingerprint: FP, markers: ['webdriver'], serverMarkers: ['mint-burst'] });
    expect(tokens.signals(issued.token)).toEqual({
      device: issued.deviceId,
      signals: { token: 'valid', markers: ['webdriver'], firstSeen: issued.firstSeen, serverMarkers: ['mint-burst'] },
    });
    expect(tokens.signals('device-1')).toEqual({ device: 'device-1', signals: { token: 'unsigned', markers: [] } });
    expect(tokens.signals('sdt2.broken')).toEqual({ device: 'sdt2.broken', signals: { token: 'invalid', markers: [] } });
    // An expired token is authentic, not forged: judged like a plain id, never as invalid.
    clock.advance(8 * DAY);
    expect(tokens.signals(issued.token)).toEqual({ device: issued.token, signals: { token: 'expired', markers: [] } });
  });

  it('derives different keys for challenges and device tokens', () => {
    const keys = deriveManMachineKeys('man-machine-secret-for-tests');
    expect(keys.challengeKey).not.toBe(keys.deviceKey);
    expect(() => deriveManMachineKeys('short')).toThrow(/at least 16/);
  });
});
