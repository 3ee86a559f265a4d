/**
 * Tenant isolation, route by route: the routes come from the served OpenAPI document, so a new
 * route fails this file until it has a row in the matrix below. Every tenant route is checked
 * with bad credentials and with tenant A trying to reach tenant B's data; every admin route with
 * tenant keys, wrong, revoked and malformed keys. Everything logged, printed or written to the
 * outbox meanwhile is scanned for keys and secrets.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchAndSolve } from '../../lambdas/challenge/solve';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import { hashApiKey } from '../../lambdas/service/api-keys';
import type { ServiceLogger } from '../../lambdas/service/shield-service';
import { issueAdminKey } from '../../lambdas/service/tenant-admin';
import { BROWSER_UA, T0, testGeo } from '../support/engine';
import { ukMobile } from '../support/numbers';

/** Everything the service logs and prints, as received. */
const captured: string[] = [];
const capture =
  (level: string) =>
  (message: string, ...extra: Record<string, unknown>[]) =>
    void captured.push(JSON.stringify([level, message, ...extra], (_k, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message} ${v.stack}` : v)));
const logger: ServiceLogger = { info: capture('info'), warn: capture('warn'), error: capture('error') };

const A = 'iso-a';
const B = 'iso-b';
const clock = new ManualClock(T0);
let server: LocalServer;
let dir: string;
/** Every key and secret of the run: none may appear in a log line, a printed line or the outbox. */
const secrets: string[] = [];
const keys = { a: '', b: '', admin: '', revokedTenant: '', revokedAdmin: '', wrong: `ssk_${randomBytes(32).toString('base64url')}` };
/** Every response body after the keys were handed out, to check none echoes a key. */
const responses: string[] = [];
let recording = false;

interface Res {
  status: number;
  body: Record<string, any>;
}

/** One request with a raw `Authorization` header (or none). */
async function request(
  method: string,
  path: string,
  authorization: string | undefined,
  options: { body?: unknown; query?: Record<string, string> } = {},
): Promise<Res> {
  const url = new URL(path, server.url);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const res = await fetch(url, {
    method,
    headers: { ...(authorization !== undefined && { authorization }), 'content-type': 'application/json' },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(5_000),
  });
  const text = await res.text();
  if (recording) responses.push(text);
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}
const as = (key: string) => (method: string, path: string, options?: { body?: unknown; query?: Record<string, string> }) =>
  request(method, path, `Bearer ${key}`, options);

let numbers = 0;
const fresh = () => ukMobile(++numbers);
const attempt = (phone: string, extra: Record<string, unknown> = {}) => ({
  phone,
  scenario: 'login',
  ip: `81.2.69.${(numbers % 250) + 1}`,
  userAgent: BROWSER_UA,
  device: `iso-device-${numbers}`,
  ...extra,
});
const codeIn = (body: string | undefined, label: string) => new RegExp(`${label}: (\\d{6})`).exec(body ?? '')?.[1] ?? '';

/** What B owns before the attacks, to compare afterwards (B's outbox only grows, by B's own sends). */
interface Snapshot {
  lists: unknown;
  tenant: unknown;
  outbox: { tenant: string; messageId: string }[];
}
async function snapshotB(): Promise<Snapshot> {
  return {
    lists: (await as(keys.b)('GET', '/v1/lists')).body,
    tenant: (await as(keys.admin)('GET', `/v1/admin/tenants/${B}`)).body,
    outbox: (await as(keys.b)('GET', '/v1/outbox')).body.messages,
  };
}

// B's standing data, made in beforeAll.
const bBlocked = ukMobile(9_001);
const bPendingPhone = ukMobile(9_002);
let bPendingCode = '';
let before: Snapshot;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-isolation-'));
  server = await startLocalServer({
    port: 0,
    dataDir: dir,
    logger,
    clock,
    geo: testGeo,
    jointDefenseEveryMs: 0,
    print: (line) => void captured.push(line),
    challengeLevels: [2_000],
  });
  keys.admin = server.adminApiKey;
  const admin = as(keys.admin);
  keys.a = (await admin('POST', '/v1/admin/tenants', { body: { id: A } })).body.apiKey;
  keys.b = (await admin('POST', '/v1/admin/tenants', { body: { id: B } })).body.apiKey;
  // A revoked key of A's, and a revoked admin key (admin keys are revoked in the store: no tenant id reaches them).
  const extra = (await admin('POST', `/v1/admin/tenants/${A}/keys`, { body: {} })).body;
  expect((await admin('DELETE', `/v1/admin/tenants/${A}/keys/${extra.keyId}`)).status).toBe(200);
  keys.revokedTenant = extra.apiKey;
  keys.revokedAdmin = await issueAdminKey(server.tenantStore, T0);
  const record = await server.tenantStore.getApiKey(hashApiKey(keys.revokedAdmin));
  await server.tenantStore.putApiKey({ ...record!, revokedAt: Math.floor(T0 / 1000) });
  server.app.directory.invalidate();
  for (const file of ['secret', 'challenge-secret']) secrets.push((await readFile(join(dir, file), 'utf8')).trim());
  secrets.push(...Object.values(keys), server.demoApiKey ?? '');

  // B's own data: a block entry, a pending one-time code, a sent SMS.
  expect((await as(keys.b)('POST', '/v1/lists', { body: { kind: 'number', value: bBlocked, action: 'block', reason: 'B only' } })).status).toBe(201);
  expect((await as(keys.b)('POST', '/v1/otp/send', { body: attempt(bPendingPhone, { template: 'B code: {code}' }) })).status).toBe(200);
  const bOutbox = (await as(keys.b)('GET', '/v1/outbox')).body.messages as { body: string }[];
  bPendingCode = codeIn(bOutbox.at(-1)?.body, 'B code');
  expect(bPendingCode).toMatch(/^\d{6}$/);
  before = await snapshotB();
  recording = true;
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

type Doc = { paths: Record<string, Record<string, { security: Record<string, unknown>[] }>> };
type Probe = { path: string; query?: Record<string, string>; body?: unknown };

/**
 * Each admin route, aimed at tenant B (its lists, keys, policy) with a valid body, so a
 * refusal can only come from authentication.
 */
const ADMIN_PROBES: Record<string, () => Probe> = {
  'GET /v1/admin/lists': () => ({ path: '/v1/admin/lists', query: { scope: `t:${B}` } }),
  'POST /v1/admin/lists': () => ({ path: '/v1/admin/lists', body: { scope: `t:${B}`, kind: 'number', value: bBlocked, action: 'allow' } }),
  'DELETE /v1/admin/lists': () => ({ path: '/v1/admin/lists', query: { scope: `t:${B}`, kind: 'number', value: bBlocked } }),
  'POST /v1/admin/tenants': () => ({ path: '/v1/admin/tenants', body: { id: 'iso-intruder' } }),
  'GET /v1/admin/tenants/{id}': () => ({ path: `/v1/admin/tenants/${B}` }),
  'POST /v1/admin/tenants/{id}/keys': () => ({ path: `/v1/admin/tenants/${B}/keys`, body: {} }),
  'DELETE /v1/admin/tenants/{id}/keys/{keyId}': () => ({ path: `/v1/admin/tenants/${B}/keys/${hashApiKey(keys.b)}` }),
  'PUT /v1/admin/tenants/{id}/policy': () => ({ path: `/v1/admin/tenants/${B}/policy`, body: { numberLimits: { minute: 100 } } }),
  'GET /v1/admin/tenants/{id}/keys': () => ({ path: `/v1/admin/tenants/${B}/keys` }),
  'PUT /v1/admin/tenants/{id}/hooks/supabase': () => ({ path: `/v1/admin/tenants/${B}/hooks/supabase`, body: { secret: `v1,whsec_${'A'.repeat(43)}=` } }),
  'DELETE /v1/admin/tenants/{id}/hooks/supabase': () => ({ path: `/v1/admin/tenants/${B}/hooks/supabase` }),
  'GET /v1/admin/keys': () => ({ path: '/v1/admin/keys' }),
  'POST /v1/admin/keys': () => ({ path: '/v1/admin/keys', body: { revokeKeyId: hashApiKey(keys.admin) } }),
  'DELETE /v1/admin/keys/{keyId}': () => ({ path: `/v1/admin/keys/${hashApiKey(keys.admin)}` }),
  'GET /v1/admin/reputation': () => ({ path: '/v1/admin/reputation' }),
  'POST /v1/admin/reputation': () => ({ path: '/v1/admin/reputation', body: { version: 1, indicators: [] } }),
};

/** A valid request for each tenant route (as A). */
const TENANT_PROBES: Record<string, () => Probe> = {
  'POST /v1/sms/send': () => ({ path: '/v1/sms/send', body: { ...attempt(fresh()), message: 'Your code is 123456' } }),
  'POST /v1/verdicts': () => ({ path: '/v1/verdicts', body: attempt(fresh()) }),
  'POST /v1/otp/send': () => ({ path: '/v1/otp/send', body: attempt(fresh()) }),
  'POST /v1/otp/verify': () => ({ path: '/v1/otp/verify', body: { phone: bPendingPhone, code: bPendingCode } }),
  'POST /v1/events/verification': () => ({ path: '/v1/events/verification', body: { phone: bPendingPhone, success: true } }),
  'GET /v1/lists': () => ({ path: '/v1/lists' }),
  'POST /v1/lists': () => ({ path: '/v1/lists', body: { kind: 'number', value: bBlocked, action: 'allow' } }),
  'DELETE /v1/lists': () => ({ path: '/v1/lists', query: { kind: 'number', value: bBlocked } }),
  'GET /v1/outbox': () => ({ path: '/v1/outbox' }),
};

/** Routes without a key: they take a tenant id at most, never a key, and hand out nothing of a tenant's. */
const PUBLIC_ROUTES = [
  'GET /health',
  'GET /openapi.json',
  'GET /v1/challenge',
  'OPTIONS /v1/challenge',
  'POST /v1/device',
  'OPTIONS /v1/device',
  'GET /v1/sdk.js',
  'GET /demo',
  'POST /demo/send',
];

/**
 * Credentials a route must refuse, with the status: for admin routes (`valid` = the admin key)
 * and for tenant routes (`valid` = A's key). The malformed ones wrap the key that would work.
 */
function badCredentials(kind: 'admin' | 'tenant'): { label: string; header: string | undefined; status: number }[] {
  const valid = kind === 'admin' ? keys.admin : keys.a;
  const common = [
    { label: 'no Authorization', header: undefined, status: 401 },
    { label: 'an unknown key', header: `Bearer ${keys.wrong}`, status: 401 },
    { label: "a revoked key of A's", header: `Bearer ${keys.revokedTenant}`, status: 401 },
    { label: 'a revoked admin key', header: `Bearer ${keys.revokedAdmin}`, status: 401 },
    { label: 'Basic scheme', header: `Basic ${Buffer.from(`x:${valid}`).toString('base64')}`, status: 401 },
    { label: 'no scheme', header: valid, status: 401 },
    { label: 'two tokens', header: `Bearer ${valid} ${valid}`, status: 401 },
    { label: 'scheme only', header: 'Bearer', status: 401 },
    { label: 'key with a character appended', header: `Bearer ${valid}x`, status: 401 },
    { label: 'key cut short', header: `Bearer ${valid.slice(0, -1)}`, status: 401 },
  ];
  return kind === 'admin'
    ? [{ label: "tenant A's key", header: `Bearer ${keys.a}`, status: 403 }, { label: "tenant B's key", header: `Bearer ${keys.b}`, status: 403 }, ...common]
    : // Admin keys never authenticate as a tenant.
      [{ label: 'the admin key', header: `Bearer ${keys.admin}`, status: 401 }, ...common];
}

const matrix = { adminChecks: 0, tenantChecks: 0, crossTenantChecks: 0 };

describe('tenant isolation, per route (routes from /openapi.json)', () => {
  let operations: { op: string; auth: 'admin' | 'tenant' | 'signature' | 'none' }[] = [];

  beforeAll(async () => {
    const doc = (await request('GET', '/openapi.json', undefined)).body as Doc;
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => {
        const schemes = op.security.flatMap((s) => Object.keys(s));
        const auth = schemes.includes('adminKey')
          ? 'admin'
          : schemes.includes('tenantKey')
            ? 'tenant'
            : schemes.includes('supabaseHookSignature')
              ? 'signature'
              : 'none';
        return { op: `${method.toUpperCase()} ${path}`, auth } as const;
      }),
    );
  });

  it('every route of the document is in the matrix, and the matrix holds no route the document lacks', () => {
    const of = (auth: string) =>
      operations
        .filter((o) => o.auth === auth)
        .map((o) => o.op)
        .sort();
    expect(of('admin')).toEqual(Object.keys(ADMIN_PROBES).sort());
    expect(of('tenant')).toEqual(Object.keys(TENANT_PROBES).sort());
    expect(of('none')).toEqual([...PUBLIC_ROUTES].sort());
    expect(of('signature')).toEqual(['POST /v1/hooks/supabase/{tenantId}/send-sms']);
  });

  it("a signed hook route takes no key in place of its signature: A's key and the admin key get 401 on B's hook", async () => {
    for (const key of [keys.a, keys.admin]) {
      const res = await request('POST', `/v1/hooks/supabase/${B}/send-sms`, `Bearer ${key}`, { body: { user: { id: 'u' }, sms: { otp: '123456' } } });
      expect(res.status).toBe(401);
    }
  });

  it('admin routes refuse tenant keys (403) and wrong, revoked or malformed keys (401)', async () => {
    for (const { op } of operations.filter((o) => o.auth === 'admin')) {
      const method = op.split(' ')[0]!;
      for (const cred of badCredentials('admin')) {
        const probe = ADMIN_PROBES[op]!();
        const res = await request(method, probe.path, cred.header, probe);
        expect(res.status, `${op} with ${cred.label}`).toBe(cred.status);
        matrix.adminChecks++;
      }
    }
  });

  it('tenant routes refuse no key, unknown, revoked, admin and malformed keys (401)', async () => {
    for (const { op } of operations.filter((o) => o.auth === 'tenant')) {
      const method = op.split(' ')[0]!;
      for (const cred of badCredentials('tenant')) {
        const probe = TENANT_PROBES[op]!();
        const res = await request(method, probe.path, cred.header, probe);
        expect(res.status, `${op} with ${cred.label}`).toBe(cred.status);
        matrix.tenantChecks++;
      }
    }
  });

  it('tenant routes take no tenant from the request: a body naming B is refused, a query naming B is ignored', async () => {
    const a = as(keys.a);
    for (const { op } of operations.filter((o) => o.auth === 'tenant')) {
      const [method] = op.split(' ') as [string];
      const probe = TENANT_PROBES[op]!();
      if (probe.body !== undefined) {
        const res = await a(method, probe.path, { body: { ...(probe.body as object), tenant: B, scope: `t:${B}` }, query: probe.query });
        expect(res.status, op).toBe(400);
        expect(Object.keys(res.body.error.details.fields).sort(), op).toEqual(['scope', 'tenant']);
      } else {
        const res = await a(method, probe.path, { query: { ...probe.query, tenant: B, scope: `t:${B}` } });
        // The list routes validate their query strictly (DELETE: kind and value; GET: limit and
        // cursor) and refuse the unknown fields; other GET routes ignore what they do not read
        // and answer for A.
        if (method === 'DELETE' || op === 'GET /v1/lists') {
          expect(res.status, op).toBe(400);
          expect(Object.keys(res.body.error.details.fields).sort(), op).toEqual(['scope', 'tenant']);
        } else {
          expect(res.status, op).toBe(200);
          expect(JSON.stringify(res.body), op).not.toContain(B);
        }
      }
      matrix.crossTenantChecks++;
    }
  });

  it("sms/send and verdicts: A's counters and lists never reach B", async () => {
    const a = as(keys.a);
    const b = as(keys.b);
    const phone = fresh();
    const send = (key: typeof a) => key('POST', '/v1/sms/send', { body: { ...attempt(phone), message: 'Your code is 123456' } });
    expect((await send(a)).status).toBe(200);
    // One SMS per number per minute is per tenant: A's send takes nothing of B's quota.
    expect((await send(b)).status).toBe(200);
    expect((await send(a)).status).toBe(429);
    // B's block entry blocks B only.
    expect((await b('POST', '/v1/verdicts', { body: attempt(bBlocked) })).body.verdict.reasons).toContain('BLOCKLISTED_NUMBER');
    expect((await a('POST', '/v1/verdicts', { body: attempt(bBlocked) })).body.verdict.reasons).not.toContain('BLOCKLISTED_NUMBER');
    matrix.crossTenantChecks += 2;
  });

  it('idempotency keys are per tenant: the same key and body at A and B are two sends, never a replay of the other', async () => {
    const a = as(keys.a);
    const b = as(keys.b);
    const body = { ...attempt(fresh()), message: 'Your code is 555555', idempotencyKey: 'shared-key-1' };
    const [fromA, fromB] = await Promise.all([a('POST', '/v1/sms/send', { body }), b('POST', '/v1/sms/send', { body })]);
    expect(fromA).toMatchObject({ status: 200, body: { sent: true } });
    expect(fromB).toMatchObject({ status: 200, body: { sent: true } });
    expect(fromB.body.messageId).not.toBe(fromA.body.messageId);
    // Each tenant's retry replays its own answer.
    expect((await a('POST', '/v1/sms/send', { body })).body.messageId).toBe(fromA.body.messageId);
    expect((await b('POST', '/v1/sms/send', { body })).body.messageId).toBe(fromB.body.messageId);
    // A key A used, reused by B with another body, is no conflict for B: B learns nothing of A's requests.
    const onlyA = { ...attempt(fresh()), message: 'Your code is 666666', idempotencyKey: 'used-by-a-first' };
    expect((await a('POST', '/v1/sms/send', { body: onlyA })).status).toBe(200);
    const bOther = await b('POST', '/v1/sms/send', { body: { ...onlyA, phone: fresh() } });
    expect(bOther).toMatchObject({ status: 200, body: { sent: true } });
    matrix.crossTenantChecks += 3;
  });

  it("one-time codes: A can neither verify, burn nor credit B's pending code", async () => {
    const a = as(keys.a);
    for (let i = 0; i < 6; i++) {
      const res = await a('POST', '/v1/otp/verify', { body: { phone: bPendingPhone, code: i === 0 ? bPendingCode : '000000' } });
      expect(res.body).toEqual({ verified: false, reason: 'NO_PENDING_CODE' });
    }
    expect((await a('POST', '/v1/events/verification', { body: { phone: bPendingPhone, success: true } })).body).toEqual({ credited: false });
    expect((await a('POST', '/v1/events/verification', { body: { phone: bPendingPhone, success: false } })).body).toEqual({ credited: false });
    // A's own code for the same number is A's alone.
    expect((await a('POST', '/v1/otp/send', { body: attempt(bPendingPhone, { template: 'A code: {code}' }) })).status).toBe(200);
    const aCode = codeIn(((await a('GET', '/v1/outbox')).body.messages as { body: string }[]).at(-1)?.body, 'A code');
    expect(aCode).toMatch(/^\d{6}$/);
    expect((await as(keys.b)('POST', '/v1/otp/verify', { body: { phone: bPendingPhone, code: aCode } })).body).toMatchObject({ verified: false });
    expect((await a('POST', '/v1/otp/verify', { body: { phone: bPendingPhone, code: aCode } })).body).toEqual({ verified: true });
    matrix.crossTenantChecks += 4;
  });

  it('lists and outbox: A sees and changes only its own', async () => {
    const a = as(keys.a);
    expect((await a('POST', '/v1/lists', { body: { kind: 'number', value: bBlocked, action: 'allow', reason: 'A only' } })).status).toBe(201);
    const aLists = (await a('GET', '/v1/lists')).body.entries as { scope: string; reason?: string }[];
    expect(aLists.map((e) => e.scope)).toEqual([`t:${A}`]);
    // Deleting the same kind and value removes A's entry, never B's.
    expect((await a('DELETE', '/v1/lists', { query: { kind: 'number', value: bBlocked } })).status).toBe(200);
    expect((await a('GET', '/v1/lists')).body.entries).toEqual([]);
    const outbox = (await a('GET', '/v1/outbox')).body.messages as { tenant: string; body: string }[];
    expect(outbox.length).toBeGreaterThan(0);
    expect(new Set(outbox.map((m) => m.tenant))).toEqual(new Set([A]));
    expect(JSON.stringify(outbox)).not.toContain(bPendingCode);
    matrix.crossTenantChecks += 3;
  });

  it('proof-of-work solutions are bound to their tenant: B cannot spend one issued for A', async () => {
    expect((await as(keys.admin)('PUT', `/v1/admin/tenants/${A}/policy`, { body: { scenarios: { register: { challengeAt: 0 } } } })).status).toBe(200);
    const forB = await fetchAndSolve(server.url, B);
    const forA = await fetchAndSolve(server.url, A);
    const register = (challenge: string) => ({ ...attempt(fresh(), { scenario: 'register', challenge }), message: 'Your code is 123456' });
    const spent = await as(keys.a)('POST', '/v1/sms/send', { body: register(forB.solution) });
    expect(spent.status).toBe(428);
    expect(spent.body.verdict.reasons).toContain('CHALLENGE_INVALID');
    expect((await as(keys.a)('POST', '/v1/sms/send', { body: register(forA.solution) })).status).toBe(200);
    matrix.crossTenantChecks++;
  });

  it("after all of it, B's lists, policy, outbox, key and pending code are unchanged", async () => {
    const after = await snapshotB();
    expect(after.lists).toEqual(before.lists);
    expect(after.tenant).toEqual(before.tenant);
    expect(after.outbox.slice(0, before.outbox.length)).toEqual(before.outbox);
    expect(new Set(after.outbox.map((m) => m.tenant))).toEqual(new Set([B]));
    expect((await as(keys.b)('POST', '/v1/otp/verify', { body: { phone: bPendingPhone, code: bPendingCode } })).body).toEqual({ verified: true });
    // Every credential check ran for every key-protected route of the document.
    expect(matrix.adminChecks).toBe(Object.keys(ADMIN_PROBES).length * badCredentials('admin').length);
    expect(matrix.tenantChecks).toBe(Object.keys(TENANT_PROBES).length * badCredentials('tenant').length);
  });

  it('no key or secret reaches a log line, a printed line, the outbox file or a later response; keys are stored only hashed', async () => {
    const outboxFile = await readFile(join(dir, 'outbox.jsonl'), 'utf8');
    const lines = [...captured, ...outboxFile.split('\n')];
    expect(lines.length).toBeGreaterThan(20);
    const leaks = lines.flatMap((line) => secrets.filter((s) => s && line.includes(s)).map((s) => `${s.slice(0, 6)}… in ${line.slice(0, 120)}`));
    expect(leaks).toEqual([]);
    expect(lines.filter((line) => /ssk_[A-Za-z0-9_-]{8,}/.test(line))).toEqual([]);
    // Only the create and issue answers of beforeAll carry a key (once); no answer after them does.
    expect(responses.length).toBeGreaterThan(200);
    expect(responses.filter((text) => secrets.some((s) => s && text.includes(s)))).toEqual([]);
    // The store knows a key only by its SHA-256: looking it up by the key itself finds nothing.
    expect(await server.tenantStore.getApiKey(keys.a)).toBeUndefined();
    const record = await server.tenantStore.getApiKey(hashApiKey(keys.a));
    expect(record).toMatchObject({ tenantId: A, keyHash: hashApiKey(keys.a) });
    expect(JSON.stringify(record)).not.toContain(keys.a);
  });
});
