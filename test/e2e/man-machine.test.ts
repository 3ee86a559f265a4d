import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchAndSolve } from '../../lambdas/challenge/solve';
import { DEMO_TENANT, startLocalServer, type LocalServer } from '../../lambdas/local/server';
import type { ServiceLogger } from '../../lambdas/service/shield-service';

const logger: ServiceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let server: LocalServer;
let dir: string;
let key: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-pow-'));
  server = await startLocalServer({ port: 0, dataDir: dir, logger, challengeLevels: [2_000, 8_000, 32_000, 128_000] });
  key = server.demoApiKey ?? '';
  // What a tenant configures to make every sign-up pay a proof of work.
  const demo = await server.tenantStore.getTenant(DEMO_TENANT);
  await server.tenantStore.putTenant({ ...demo!, policy: { scenarios: { register: { challengeAt: 0 } } } });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const send = async (body: Record<string, unknown>) => {
  const res = await fetch(`${server.url}/v1/sms/send`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ scenario: 'register', ip: '81.2.69.142', userAgent: browser, message: 'Your code is 123456', ...body }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('public man-machine routes', () => {
  it('serves a challenge without an API key, with CORS, and answers the preflight', async () => {
    const res = await fetch(`${server.url}/v1/challenge?tenant=${DEMO_TENANT}`, { headers: { 'user-agent': browser } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ algorithm: 'SHA-256', maxnumber: 2_000, level: 1 });
    const preflight = await fetch(`${server.url}/v1/device`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('asks for a tenant id and a sane level', async () => {
    expect((await fetch(`${server.url}/v1/challenge`)).status).toBe(400);
    expect((await fetch(`${server.url}/v1/challenge?tenant=Not_A_Tenant`)).status).toBe(400);
    expect((await fetch(`${server.url}/v1/challenge?tenant=demo&level=0`)).status).toBe(400);
    const harder = await fetch(`${server.url}/v1/challenge?tenant=demo&level=3`, { headers: { 'user-agent': browser } });
    expect(await harder.json()).toMatchObject({ level: 3, maxnumber: 32_000 });
  });

  it('answers 404 UNKNOWN_TENANT for a tenant id nobody created, and issues nothing', async () => {
    const res = await fetch(`${server.url}/v1/challenge?tenant=no-such-tenant-${Date.now()}`, { headers: { 'user-agent': browser } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'UNKNOWN_TENANT' } });
  });

  it('lets a browser read every error of the public routes (CORS), and gives tenant routes none', async () => {
    const answers = [
      await fetch(`${server.url}/v1/challenge`),
      await fetch(`${server.url}/v1/challenge?tenant=no-such-tenant-cors`),
      await fetch(`${server.url}/v1/device`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fingerprint: 'short' }),
      }),
      await fetch(`${server.url}/v1/device`, { method: 'POST' }),
    ];
    expect(answers.map((r) => r.status)).toEqual([400, 404, 400, 400]);
    for (const res of answers) expect(res.headers.get('access-control-allow-origin'), res.url).toBe('*');
    const tenantRoute = await fetch(`${server.url}/v1/sms/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(tenantRoute.status).toBe(401);
    expect(tenantRoute.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('gives an HTTP library a harder challenge than a browser', async () => {
    const res = await fetch(`${server.url}/v1/challenge?tenant=demo`, { headers: { 'user-agent': 'python-requests/2.31.0' } });
    expect(await res.json()).toMatchObject({ level: 2 });
  });

  it('issues device tokens, keeping the device id across renewals', async () => {
    const post = async (body: unknown, userAgent = browser) => {
      const res = await fetch(`${server.url}/v1/device`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': userAgent },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, any>, cors: res.headers.get('access-control-allow-origin') };
    };
    const first = await post({ fingerprint: 'e2e-fingerprint-1234', markers: [] });
    expect(first).toMatchObject({ status: 200, cors: '*', body: { markers: [] } });
    expect(first.body.token).toMatch(/^sdt2\./);
    const renewed = await post({ fingerprint: 'e2e-fingerprint-changed', token: first.body.token });
    expect(renewed.body).toMatchObject({ deviceId: first.body.deviceId, firstSeen: first.body.firstSeen });
    expect((await post({ fingerprint: 'short' })).status).toBe(400);
    expect((await post({ fingerprint: 'e2e-fingerprint-1234', extra: 1 })).status).toBe(400);
  });
});

describe('device token minting limits over HTTP', () => {
  it('answers 429 with Retry-After and CORS to a burst of new devices, and still renews a valid token', async () => {
    const ownDir = await mkdtemp(join(tmpdir(), 'sms-shield-mint-'));
    const own = await startLocalServer({ port: 0, dataDir: ownDir, logger });
    try {
      const post = (body: unknown) =>
        fetch(`${own.url}/v1/device`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': browser }, body: JSON.stringify(body) });
      const person = (await (await post({ fingerprint: 'person-fingerprint-1' })).json()) as { token: string; deviceId: string };
      let last: Response | undefined;
      for (let i = 0; i < 200 && last?.status !== 429; i++) last = await post({ fingerprint: `burst-fingerprint-${i}` });
      expect(last?.status).toBe(429);
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last?.headers.get('access-control-allow-origin')).toBe('*');
      expect(await last?.json()).toMatchObject({ error: { code: 'DEVICE_MINT_LIMITED' } });
      const renewed = await post({ fingerprint: 'person-fingerprint-1', token: person.token });
      expect(renewed.status).toBe(200);
      expect(await renewed.json()).toMatchObject({ deviceId: person.deviceId });
    } finally {
      await own.close();
      await rm(ownDir, { recursive: true, force: true });
    }
  });
});

describe('sending with a challenge-requiring policy', () => {
  it('answers 428 to a plain HTTP client, then sends once it solves the challenge (Node reference solver)', async () => {
    const bare = await send({ phone: '+44 7400 100200' });
    expect(bare).toMatchObject({ status: 428, body: { sent: false, verdict: { decision: 'challenge', reasons: ['CHALLENGE_REQUIRED', 'MISSING_DEVICE'] } } });

    const solved = await fetchAndSolve(server.url, DEMO_TENANT);
    const ok = await send({ phone: '+44 7400 100200', challenge: solved.solution });
    expect(ok).toMatchObject({ status: 200, body: { sent: true } });

    const replay = await send({ phone: '+44 7400 100300', challenge: solved.solution });
    expect(replay).toMatchObject({ status: 428, body: { verdict: { reasons: ['CHALLENGE_REPLAYED', 'MISSING_DEVICE'] } } });
  });

  it('refuses a challenge solved for another tenant', async () => {
    await server.tenantStore.putTenant({ id: 'another-tenant', name: 'Another', createdAt: 0, policy: {} });
    const solved = await fetchAndSolve(server.url, 'another-tenant');
    const res = await send({ phone: '+44 7400 100400', challenge: solved.solution });
    expect(res).toMatchObject({ status: 428, body: { verdict: { reasons: ['CHALLENGE_INVALID', 'MISSING_DEVICE'] } } });
  });

  it('scores a tampered device token instead of failing', async () => {
    const res = await send({ phone: '+44 7400 100500', scenario: 'login', device: 'sdt1.AAAAAAAAAAAAAAAAAAAAAA.0.0.AAAAAAAAAAAAAAAAAAAAAA' });
    expect(res.body.verdict.reasons).toContain('DEVICE_TOKEN_INVALID');
    expect(res.status).not.toBe(500);
  });
});

describe('local-mode SDK and demo', () => {
  it('serves the SDK bundle and the demo page', async () => {
    const sdk = await fetch(`${server.url}/v1/sdk.js`);
    expect(sdk.status).toBe(200);
    expect(sdk.headers.get('content-type')).toMatch(/javascript/);
    expect(await sdk.text()).toContain('SmsShield');
    const demo = await fetch(`${server.url}/demo`);
    expect(demo.headers.get('content-type')).toMatch(/text\/html/);
    const html = await demo.text();
    expect(html).toContain('<script src="/v1/sdk.js"></script>');
    expect(html).not.toContain(key);
  });

  it('forwards /demo/send with the demo key: 428 without a solution, 200 with one', async () => {
    const post = (body: unknown) =>
      fetch(`${server.url}/demo/send`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': browser }, body: JSON.stringify(body) });
    const bare = await post({ phone: '+44 7400 100600' });
    expect(bare.status).toBe(428);
    const { solution } = await fetchAndSolve(server.url, DEMO_TENANT);
    const solved = await post({ phone: '+44 7400 100600', challenge: solution, device: 'demo-device' });
    expect(solved.status).toBe(200);
    expect(server.outbox.list(DEMO_TENANT).at(-1)?.body).toMatch(/^Your SMS Shield demo code is \d{6}$/);
    expect((await post({ phone: '+44 7400 100600', scenario: 'login' })).status).toBe(400);
  });
});
