import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import { createTenant } from '../../lambdas/service/tenant-admin';
import { T0, testGeo } from '../support/engine';
import { quiet } from '../support/joint-defense';
import { callJson } from '../support/http-call';

/**
 * What no mode, list or policy may ever do: send to something that is not a valid number, let an
 * allow entry text a premium or other non-mobile number or pass the cross-tenant cap, or let a
 * plain device id borrow the allow entry of a verified device.
 */
const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const clock = new ManualClock(T0);
let server: LocalServer;
let dir: string;
const keys: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-floors-'));
  server = await startLocalServer({
    port: 0,
    dataDir: dir,
    logger: quiet,
    clock,
    geo: testGeo,
    store: 'memory',
    jointDefenseEveryMs: 0,
    challengeLevels: [50, 100],
  });
  for (const [id, policy] of [
    ['shadow', { mode: 'shadow' as const }],
    ['lenient', { mode: 'shadow' as const, rules: { 'invalid-number': { enabled: false } } }],
    ['enforcing', {}],
    ['qa', {}],
  ] as const) {
    keys[id] = (await createTenant(server.tenantStore, { id, policy }, T0)).apiKey;
  }
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const call = (method: string, path: string, key: string | undefined, body?: unknown) => callJson(server.url, method, path, key, body);

const sms = (phone: string, over: Record<string, unknown> = {}) => ({
  phone,
  scenario: 'login',
  ip: '81.2.69.142',
  userAgent: browser,
  device: 'floor-device',
  message: 'Your code is 123456',
  ...over,
});
const otp = (phone: string, over: Record<string, unknown> = {}) => {
  const { message: _message, ...rest } = sms(phone, over);
  return rest;
};
const sentTo = (tenant: string) => server.outbox.list(tenant).length;

const JUNK = ['abc', '12', '((((', '+44 7400 1234000'];

describe('never sent, whatever the mode, list or policy', () => {
  it.each(JUNK)('shadow mode answers a clear 4xx for %j on /v1/sms/send and /v1/otp/send, and sends nothing', async (phone) => {
    const before = sentTo('shadow');
    for (const [path, body] of [
      ['/v1/sms/send', sms(phone)],
      ['/v1/otp/send', otp(phone)],
    ] as const) {
      const res = await call('POST', path, keys.shadow, body);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(403);
      expect(res.body).toMatchObject({ sent: false, verdict: { decision: 'block', reasons: expect.arrayContaining(['INVALID_NUMBER']), shadow: true } });
    }
    expect(sentTo('shadow')).toBe(before);
  });

  it('a policy that switches invalid-number off still never sends to an invalid number', async () => {
    for (const phone of JUNK) {
      const res = await call('POST', '/v1/sms/send', keys.lenient, sms(phone));
      expect(res.status, phone).toBe(403);
      expect(res.body.verdict.reasons).toContain('INVALID_NUMBER');
    }
    expect(sentTo('lenient')).toBe(0);
  });

  it('an allowed IP or device does not turn junk into a 500 or a send', async () => {
    expect((await call('POST', '/v1/lists', keys.enforcing, { kind: 'ip', value: '81.2.69.142', action: 'allow' })).status).toBe(201);
    expect((await call('POST', '/v1/lists', keys.enforcing, { kind: 'device', value: 'plain:floor-device', action: 'allow' })).status).toBe(201);
    for (const phone of JUNK) {
      const res = await call('POST', '/v1/sms/send', keys.enforcing, sms(phone));
      expect(res.status, phone).toBe(403);
      expect(res.body.verdict.reasons[0]).toBe('INVALID_NUMBER');
    }
    expect(sentTo('enforcing')).toBe(0);
  });

  it('an allow entry never texts a premium-rate or other non-mobile number', async () => {
    for (const phone of ['+44 909 879 0001', '+44 20 7946 0000']) {
      const res = await call('POST', '/v1/sms/send', keys.enforcing, sms(phone));
      expect(res.status, phone).toBe(403);
      // The verdict explains itself: the hard reason first, the allow entry that could not override it after.
      expect(res.body.verdict.reasons[0]).toMatch(/^(PREMIUM_RATE|FIXED_LINE)_NUMBER$/);
      expect(res.body.verdict.reasons).toContain('ALLOWLISTED_IP');
    }
    expect(sentTo('enforcing')).toBe(0);
  });

  it('an allow entry does not pass the cross-tenant per-number cap', async () => {
    const phone = '+44 7400 909090';
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) answers.push((await call('POST', '/v1/sms/send', keys.enforcing, sms(phone))).status);
    // The tenant's own quota (1/min) yields to its allow entry; the cross-tenant cap (3/min) does not.
    expect(answers).toEqual([200, 200, 200, 429, 429]);
    const refused = await call('POST', '/v1/sms/send', keys.enforcing, sms(phone));
    expect(refused.body.verdict.reasons[0]).toBe('GLOBAL_NUMBER_VELOCITY');
  });
});

describe('device allow entries', () => {
  it('match a verified device token, never a plain id equal to its device id', async () => {
    const minted = await call('POST', '/v1/device', undefined, { fingerprint: 'qa-phone-fingerprint' });
    expect(minted.status).toBe(200);
    const { token, deviceId } = minted.body as { token: string; deviceId: string };
    expect((await call('POST', '/v1/lists', keys.qa, { kind: 'device', value: deviceId, action: 'allow', reason: 'QA phone' })).status).toBe(201);

    const plain = await call('POST', '/v1/verdicts', keys.qa, otp('+44 7400 111222', { device: deviceId }));
    expect(plain.body.verdict.reasons).not.toContain('ALLOWLISTED_DEVICE');
    const signed = await call('POST', '/v1/verdicts', keys.qa, otp('+44 7400 111223', { device: token }));
    expect(signed.body.verdict).toMatchObject({ decision: 'allow', reasons: ['ALLOWLISTED_DEVICE'] });
  });

  it("a plain id is only allowed by an entry written for plain ids, and a plain id cannot use up a verified device's counters", async () => {
    const minted = await call('POST', '/v1/device', undefined, { fingerprint: 'victim-browser-fingerprint' });
    const { token, deviceId } = minted.body as { token: string; deviceId: string };
    // An attacker who learnt the device id floods with it as a plain id…
    for (let i = 0; i < 40; i++) {
      await call('POST', '/v1/verdicts', keys.qa, otp(`+44 7400 3${String(i).padStart(5, '0')}`, { device: deviceId, ip: `81.2.69.${10 + i}` }));
    }
    // …and the device itself is not refused for it.
    const owner = await call('POST', '/v1/verdicts', keys.qa, otp('+44 7400 399999', { device: token, ip: '90.1.2.3' }));
    expect(owner.body.verdict.reasons).not.toContain('DEVICE_VELOCITY');
    expect(owner.body.verdict.reasons).not.toContain('DEVICE_MANY_NUMBERS');
  });
});
