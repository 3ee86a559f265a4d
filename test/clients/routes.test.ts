/**
 * The clients against the local server (the same HTTP handler as in Lambda): every route it
 * serves has a client method, and the admin and public methods work end to end. Then what real
 * sockets do: a redirect, a shield that never answers, one that drops the connection, one that
 * is not there.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ShieldAdminClient,
  ShieldClient,
  ShieldHttpError,
  ShieldNetworkError,
  ShieldOutcomeUnknownError,
  ShieldPublicClient,
  ShieldTimeoutError,
} from '../../client/src/index';
import { servedRoutes } from '../../lambdas/handlers/http-api';
import { operations } from '../../lambdas/handlers/openapi-operations';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import { T0, testGeo } from '../support/engine';
import { quiet } from '../support/shield';
import { stubFetch } from '../support/stub-fetch';

let server: LocalServer;
let dir: string;
let admin: ShieldAdminClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-client-routes-'));
  server = await startLocalServer({ port: 0, dataDir: dir, logger: quiet, clock: new ManualClock(T0), geo: testGeo, jointDefenseEveryMs: 0, store: 'memory' });
  admin = new ShieldAdminClient({ baseUrl: server.url, adminKey: server.adminApiKey });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Protected helpers of the clients, not API methods. */
const INTERNAL = new Set(['constructor', 'call', 'sendCall']);
const KEY_ID = 'c'.repeat(64);
const HOOK_SECRET = `v1,whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const attempt = { phone: '+44 7400 123456', scenario: 'login' as const, ip: '81.2.69.142' };
const entry = { kind: 'ip' as const, value: '203.0.113.7', action: 'block' as const };

type Clients = { shield: ShieldClient; admin: ShieldAdminClient; pub: ShieldPublicClient };
/** One call of every client method (a new method fails the test until it is listed here). */
const EVERY_METHOD: Record<string, (c: Clients) => Promise<unknown>> = {
  'ShieldClient.health': (c) => c.shield.health(),
  'ShieldClient.openApi': (c) => c.shield.openApi(),
  'ShieldClient.send': (c) => c.shield.send({ ...attempt, message: 'Your code is 123456' }),
  'ShieldClient.verdict': (c) => c.shield.verdict(attempt),
  'ShieldClient.otpSend': (c) => c.shield.otpSend(attempt),
  'ShieldClient.otpVerify': (c) => c.shield.otpVerify({ phone: attempt.phone, code: '123456' }),
  'ShieldClient.reportVerification': (c) => c.shield.reportVerification({ phone: attempt.phone, success: true }),
  'ShieldClient.lists.list': (c) => c.shield.lists.list(),
  'ShieldClient.lists.page': (c) => c.shield.lists.page({ limit: 10 }),
  'ShieldClient.lists.add': (c) => c.shield.lists.add(entry),
  'ShieldClient.lists.remove': (c) => c.shield.lists.remove('ip', '203.0.113.7'),
  'ShieldAdminClient.health': (c) => c.admin.health(),
  'ShieldAdminClient.openApi': (c) => c.admin.openApi(),
  'ShieldAdminClient.tenants.create': (c) => c.admin.tenants.create({ id: 'acme' }),
  'ShieldAdminClient.tenants.get': (c) => c.admin.tenants.get('acme'),
  'ShieldAdminClient.tenants.setPolicy': (c) => c.admin.tenants.setPolicy('acme', { mode: 'shadow' }),
  'ShieldAdminClient.tenants.keys.list': (c) => c.admin.tenants.keys.list('acme'),
  'ShieldAdminClient.tenants.keys.issue': (c) => c.admin.tenants.keys.issue('acme'),
  'ShieldAdminClient.tenants.keys.revoke': (c) => c.admin.tenants.keys.revoke('acme', KEY_ID),
  'ShieldAdminClient.tenants.supabaseHook.set': (c) => c.admin.tenants.supabaseHook.set('acme', { secret: HOOK_SECRET }),
  'ShieldAdminClient.tenants.supabaseHook.clear': (c) => c.admin.tenants.supabaseHook.clear('acme'),
  'ShieldAdminClient.keys.list': (c) => c.admin.keys.list(),
  'ShieldAdminClient.keys.issue': (c) => c.admin.keys.issue(),
  'ShieldAdminClient.keys.revoke': (c) => c.admin.keys.revoke(KEY_ID),
  'ShieldAdminClient.lists.list': (c) => c.admin.lists.list('global'),
  'ShieldAdminClient.lists.page': (c) => c.admin.lists.page('t:acme', { limit: 10 }),
  'ShieldAdminClient.lists.add': (c) => c.admin.lists.add('global', entry),
  'ShieldAdminClient.lists.remove': (c) => c.admin.lists.remove('global', 'ip', '203.0.113.7'),
  'ShieldAdminClient.reputation.list': (c) => c.admin.reputation.list('all'),
  'ShieldAdminClient.reputation.merge': (c) => c.admin.reputation.merge({ keyId: 'k', source: 'feed:partner', indicators: [] }),
  'ShieldPublicClient.health': (c) => c.pub.health(),
  'ShieldPublicClient.openApi': (c) => c.pub.openApi(),
  'ShieldPublicClient.challenge': (c) => c.pub.challenge({ tenant: 'acme', level: 2 }),
  'ShieldPublicClient.device': (c) => c.pub.device({ fingerprint: 'fp-12345678' }),
};

/** The API methods of a client: its class's methods and those of its groups (`lists`, `tenants.keys`…). */
function methodsOf(name: string, client: object): string[] {
  const names: string[] = [];
  for (let proto = Object.getPrototypeOf(client); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto))
      if (!INTERNAL.has(key) && typeof (client as Record<string, unknown>)[key] === 'function') names.push(`${name}.${key}`);
  }
  const group = (path: string, value: object) => {
    for (const [key, member] of Object.entries(value)) {
      if (typeof member === 'function') names.push(`${path}.${key}`);
      else if (member && typeof member === 'object') group(`${path}.${key}`, member);
    }
  };
  group(name, client);
  return [...new Set(names)].sort();
}

describe('clients and the routes the server serves', () => {
  it('every route the server serves has a client method, and the clients call no other', async () => {
    const { fetch, requests } = stubFetch((r) => {
      if (r.url.pathname.endsWith('/send')) return { status: 200, body: { sent: true, messageId: 'm-1' } };
      return { status: 200, body: r.method === 'GET' && r.url.pathname.endsWith('/lists') ? { entries: [] } : {} };
    });
    const options = { baseUrl: 'https://shield.test', fetch };
    const clients: Clients = {
      shield: new ShieldClient({ ...options, apiKey: 'ssk_t' }),
      admin: new ShieldAdminClient({ ...options, adminKey: 'ssk_a' }),
      pub: new ShieldPublicClient(options),
    };
    expect(Object.keys(EVERY_METHOD).sort()).toEqual(
      [...methodsOf('ShieldClient', clients.shield), ...methodsOf('ShieldAdminClient', clients.admin), ...methodsOf('ShieldPublicClient', clients.pub)].sort(),
    );
    for (const call of Object.values(EVERY_METHOD)) await call(clients);

    const documented = operations();
    // Local-only routes, and the ones an identity provider calls (signed by it, not with a key).
    const notForClients = (method: string, path: string) =>
      documented[`${method} ${path}`]?.localOnly === true || documented[`${method} ${path}`]?.auth === 'signature';
    const served = servedRoutes(server.app.handler)
      .filter((r) => r.method !== 'OPTIONS' && !notForClients(r.method, r.path))
      .map((r) => `${r.method} ${r.path}`);
    const known = served;
    const templateOf = (method: string, path: string) =>
      known.find((route) => {
        const [m, template] = route.split(' ') as [string, string];
        return m === method && new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path);
      }) ?? `unserved: ${method} ${path}`;
    const called = new Set(requests.map((r) => templateOf(r.method, r.url.pathname)));
    expect([...called].sort()).toEqual([...known].sort());
    expect(served.length).toBeGreaterThan(20);
  });
});

describe('clients end to end', () => {
  it('health and the OpenAPI document, without a key', async () => {
    const pub = new ShieldPublicClient({ baseUrl: server.url });
    expect(await pub.health()).toEqual({ status: 'ok' });
    const doc = await pub.openApi();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/v1/sms/send');
  });

  it('public routes: a challenge for a tenant and a device token; an unknown tenant is a typed 404', async () => {
    const pub = new ShieldPublicClient({ baseUrl: server.url });
    const challenge = await pub.challenge({ tenant: 'demo', level: 2 });
    expect(challenge).toMatchObject({ algorithm: 'SHA-256', level: 2 });
    expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
    const device = await pub.device({ fingerprint: 'client-test-fingerprint' });
    expect(device.token).toMatch(/^sdt2\./);
    expect((await pub.device({ fingerprint: 'client-test-fingerprint', token: device.token })).deviceId).toBe(device.deviceId);
    await expect(pub.challenge({ tenant: 'no-such-tenant' })).rejects.toMatchObject({ name: 'ShieldHttpError', status: 404, code: 'UNKNOWN_TENANT' });
  });

  it('admin: creates a tenant, reads it, sets its policy, rotates and revokes its keys', async () => {
    const created = await admin.tenants.create({ id: 'client-acme', name: 'Acme' });
    expect(created.tenant).toMatchObject({ id: 'client-acme', name: 'Acme', policy: {} });
    expect(created.keyId).toMatch(/^[0-9a-f]{64}$/);
    const first = new ShieldClient({ baseUrl: server.url, apiKey: created.apiKey });
    expect((await first.verdict(attempt)).decision).toBeDefined();

    await expect(admin.tenants.create({ id: 'client-acme' })).rejects.toMatchObject({ status: 409, code: 'TENANT_EXISTS' });
    expect(await admin.tenants.get('client-acme')).toEqual(created.tenant);
    const policy = { mode: 'shadow' as const, numberLimits: { hour: 3 }, countries: { deny: ['KP'] } };
    expect((await admin.tenants.setPolicy('client-acme', policy)).policy).toEqual(policy);
    const invalid = await admin.tenants.setPolicy('client-acme', { hardMultiplier: 0 }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ShieldHttpError);
    expect(invalid).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect((invalid as ShieldHttpError).details).toHaveProperty('fields');

    const rotated = await admin.tenants.keys.issue('client-acme', { revokeKeyId: created.keyId });
    expect(rotated.revokedKeyId).toBe(created.keyId);
    await expect(first.verdict(attempt)).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    const second = new ShieldClient({ baseUrl: server.url, apiKey: rotated.apiKey });
    await second.verdict(attempt);
    expect(await admin.tenants.keys.revoke('client-acme', rotated.keyId)).toMatchObject({ revokedKeyId: rotated.keyId });
    expect(Date.parse((await admin.tenants.keys.revoke('client-acme', rotated.keyId)).revokedAt)).toBe(T0 - (T0 % 1000));
    await expect(second.verdict(attempt)).rejects.toMatchObject({ status: 401 });
    await expect(admin.tenants.get('client-nobody')).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it("admin: sets a tenant's Supabase hook secret, which signs the hook's deliveries and is never read back", async () => {
    await admin.tenants.create({ id: 'client-supa' });
    expect(await admin.tenants.supabaseHook.set('client-supa', { secret: HOOK_SECRET })).toMatchObject({ configured: true, rotating: false });
    expect((await admin.tenants.get('client-supa')).supabaseHook).toMatchObject({ configured: true });
    const body = JSON.stringify({ user: { id: 'u-1', phone: '447400123457', phone_confirmed_at: '2024-05-13T11:52:48Z' }, sms: { otp: '918273' } });
    const id = 'msg_client_routes';
    const at = new Date();
    const deliver = () =>
      fetch(`${server.url}/v1/hooks/supabase/client-supa/send-sms`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(HOOK_SECRET.slice(3)).sign(id, at, body),
        },
        body,
      });
    const sent = await deliver();
    expect([sent.status, await sent.json()]).toEqual([200, {}]);
    expect(server.outbox.list('client-supa').map((sms) => sms.body)).toEqual(['Your verification code is 918273']);
    expect((await deliver()).status).toBe(401);
    expect(await admin.tenants.supabaseHook.clear('client-supa')).toEqual({ configured: false, rotating: false });
    await expect(admin.tenants.supabaseHook.set('client-supa', { secret: 'whsec_nope' })).rejects.toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
  });

  it('admin: a tenant key is refused on admin routes, an admin key on tenant routes', async () => {
    const asAdmin = new ShieldAdminClient({ baseUrl: server.url, adminKey: server.demoApiKey ?? '' });
    await expect(asAdmin.tenants.get('demo')).rejects.toMatchObject({ name: 'ShieldHttpError', status: 403, code: 'FORBIDDEN' });
    const asTenant = new ShieldClient({ baseUrl: server.url, apiKey: server.adminApiKey });
    await expect(asTenant.verdict(attempt)).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it("admin: lists of any scope, a tenant's included", async () => {
    await admin.lists.add('global', { kind: 'cidr', value: '198.51.100.0/24', action: 'block', reason: 'client test' });
    await admin.lists.add('t:demo', { kind: 'country', value: 'gb', action: 'allow' });
    expect((await admin.lists.list('global')).map((e) => e.value)).toContain('198.51.100.0/24');
    const page = await admin.lists.page('t:demo', { limit: 1 });
    expect(page.entries).toHaveLength(1);
    const demo = new ShieldClient({ baseUrl: server.url, apiKey: server.demoApiKey ?? '' });
    expect((await demo.lists.list()).map((e) => `${e.kind} ${e.value}`)).toContain('country GB');
    expect(await admin.lists.remove('t:demo', 'country', 'GB')).toEqual({ removed: true });
    expect(await admin.lists.remove('global', 'cidr', '198.51.100.0/24')).toEqual({ removed: true });
    expect(await admin.lists.list('global')).toEqual([]);
    await expect(admin.lists.page('t:demo', { limit: 9999 })).rejects.toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
  });

  it("admin: shared reputation, listed and merged from a partner's feed", async () => {
    const { keyId, indicators } = await admin.reputation.list();
    expect(indicators).toEqual([]);
    const indicator = {
      kind: 'ip' as const,
      value: 'A1b2C3d4E5f6G7h8I9j0',
      reason: 'JOINT_DEFENSE_IP',
      confidence: 0.9,
      evidence: 12,
      expiresAt: T0 / 1000 + 3600,
    };
    expect(await admin.reputation.merge({ keyId, source: 'feed:partner', indicators: [indicator] })).toEqual({ merged: 1, unchanged: 0, expired: 0 });
    expect((await admin.reputation.list()).indicators).toEqual([]);
    expect((await admin.reputation.list('all')).indicators).toEqual([expect.objectContaining({ ...indicator, source: 'feed:partner' })]);
    await expect(admin.reputation.merge({ keyId: 'another-key', source: 'feed:partner', indicators: [] })).rejects.toMatchObject({
      status: 409,
      code: 'KEY_MISMATCH',
    });
  });
});

/** A server on 127.0.0.1 that handles each request with `handle`; closed after the test. */
async function rawServer(handle: (req: IncomingMessage, res: import('node:http').ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('clients over real sockets', () => {
  const send = { ...attempt, message: 'Your code is 123456', idempotencyKey: 'sock-1' };

  it('does not follow a redirect to another server: the key never reaches it', async () => {
    const seen: (string | undefined)[] = [];
    const collector = await rawServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const redirecting = await rawServer((_req, res) => res.writeHead(307, { location: `${collector.url}/v1/verdicts` }).end());
    try {
      const shield = new ShieldClient({ baseUrl: redirecting.url, apiKey: 'ssk_secret_key_value', timeoutMs: 5_000 });
      await expect(shield.verdict(attempt)).rejects.toMatchObject({ name: 'ShieldHttpError', status: 307 });
      await expect(shield.send(send)).rejects.toMatchObject({ name: 'ShieldHttpError', status: 307 });
      expect(seen).toEqual([]);
    } finally {
      await closeServer(redirecting.server);
      await closeServer(collector.server);
    }
  });

  it('a shield that never answers: a send is an unknown outcome, a verdict a timeout', async () => {
    const silent = await rawServer(() => undefined);
    try {
      const shield = new ShieldClient({ baseUrl: silent.url, apiKey: 'ssk_t', timeoutMs: 200 });
      const error = await shield.send(send).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ShieldOutcomeUnknownError);
      expect(error).toMatchObject({ code: 'CLIENT_TIMEOUT', idempotencyKey: 'sock-1' });
      await expect(shield.verdict(attempt)).rejects.toBeInstanceOf(ShieldTimeoutError);
    } finally {
      await closeServer(silent.server);
    }
  });

  it('a shield that drops the connection after the request: a send is an unknown outcome', async () => {
    const dropping = await rawServer((req) => req.on('data', () => undefined).on('end', () => req.socket.destroy()));
    try {
      const error = await new ShieldClient({ baseUrl: dropping.url, apiKey: 'ssk_t', timeoutMs: 5_000 }).send(send).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ShieldOutcomeUnknownError);
      expect(error).toMatchObject({ code: 'NETWORK_ERROR', idempotencyKey: 'sock-1' });
    } finally {
      await closeServer(dropping.server);
    }
  });

  it('a shield that is not there (connection refused): nothing was sent, a ShieldNetworkError', async () => {
    const gone = await rawServer(() => undefined);
    await closeServer(gone.server);
    const error = await new ShieldClient({ baseUrl: gone.url, apiKey: 'ssk_t', timeoutMs: 5_000 }).send(send).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShieldNetworkError);
    expect(error).not.toBeInstanceOf(ShieldOutcomeUnknownError);
  });
});
