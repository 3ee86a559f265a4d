import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import type { ServiceLogger } from '../../lambdas/service/shield-service';
import { T0, testGeo } from '../support/engine';

/** Property runs per endpoint, and the wall-clock budget of each endpoint's run. */
const RUNS = 150;
const TIME_LIMIT_MS = 4_000;
const BODY_LIMIT = 16_384;

const errors: string[] = [];
const logger: ServiceLogger = { info: () => undefined, warn: () => undefined, error: (m, ...e) => void errors.push(JSON.stringify([m, ...e])) };
const clock = new ManualClock(T0);
let server: LocalServer;
let dir: string;
let tenantKey: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-fuzz-'));
  server = await startLocalServer({ port: 0, dataDir: dir, logger, clock, geo: testGeo, jointDefenseEveryMs: 0, print: () => undefined });
  tenantKey = server.demoApiKey ?? '';
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

// ---- generators -------------------------------------------------------------------------

const digits = (n: number) => Array.from({ length: n }, (_, i) => String((i * 7 + n) % 10)).join('');
/** Numbers of every length, with and without the common decorations. */
const phoneArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 100_000, max: 999_999 }).map((n) => `+44 7400 ${n}`) },
  fc.integer({ min: 0, max: 40 }).map(digits),
  fc.integer({ min: 0, max: 40 }).map((n) => `+${digits(n)}`),
  fc.constantFrom(
    '+44 7400 123456',
    '07400 123456',
    '0044 7400 123456',
    '+1 (202) 555-0143',
    '+44 909 879 0000',
    '+',
    '++44',
    '+44 7400 123456 ext. 5',
    '٠٧٤٠٠١٢٣٤٥٦',
  ),
  fc.string({ maxLength: 70 }),
);
const ipArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('81.2.69.142', '2a02:c7c:1234::1') },
  fc.ipV4(),
  fc.ipV6(),
  fc.constantFrom(
    '10.0.0.1',
    '192.168.1.1',
    '127.0.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '::1',
    'fe80::1%eth0',
    '::ffff:10.0.0.1',
    '100.64.0.1',
    '169.254.1.1',
    'fc00::1',
    '2001:db8::1',
  ),
  fc.constantFrom('256.1.1.1', '1.2.3', '1.2.3.4.5', '01.02.03.04', ':::', '1.2.3.4/24', ' 81.2.69.142 ', 'localhost', ''),
  fc.string({ maxLength: 80 }),
);
const controlString = fc.array(fc.integer({ min: 0, max: 0x1f }), { maxLength: 20 }).map((codes) => String.fromCharCode(...codes));
/** Strings to the body limit and beyond, in one- and multi-byte characters. */
const hugeString = fc
  .tuple(fc.constantFrom('x', 'é', '😀', '\u0000', '\u202e'), fc.integer({ min: 1_000, max: BODY_LIMIT + 512 }))
  .map(([c, n]) => c.repeat(Math.ceil(n / Buffer.byteLength(c))));
const stringArb = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  controlString,
  hugeString,
);
/** Any JSON value, including wrong types for every field. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: stringArb },
  fc.oneof(
    fc.integer(),
    fc.double(),
    fc.constant(1e308),
    fc.constant(-0),
    fc.bigInt().map((b) => Number(b)),
  ),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
);
const scenarioArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('register', 'login', 'reset_password', 'transfer', 'other') },
  fc.constantFrom('register', 'login', 'reset_password', 'transfer', 'other'),
  anyValue,
);

/**
 * Bodies close enough to valid to reach the service (most runs: required fields present, each
 * field rarely of a wrong type), or chaotic ones with any field wrong, missing or unknown.
 */
function fields(shape: Record<string, fc.Arbitrary<unknown>>, required: readonly string[] = []): fc.Arbitrary<Record<string, unknown>> {
  const build = (validWeight: number, requiredKeys: string[]) =>
    fc.record(Object.fromEntries(Object.entries(shape).map(([k, arb]) => [k, fc.oneof({ weight: validWeight, arbitrary: arb }, anyValue)] as const)), {
      requiredKeys,
    });
  const chaotic = build(4, []).chain((body) =>
    fc.option(fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 3 }), { nil: undefined }).map((extra) => ({ ...body, ...extra })),
  );
  return fc.oneof({ weight: 4, arbitrary: build(30, [...required]) }, { weight: 1, arbitrary: chaotic });
}
/** Mostly a plausible value, sometimes anything `stringArb` makes. */
const mostly = (plausible: fc.Arbitrary<string>) => fc.oneof({ weight: 6, arbitrary: plausible }, stringArb);
const attempt = {
  phone: phoneArb,
  country: fc.oneof({ weight: 4, arbitrary: fc.constant('GB') }, fc.constantFrom('gb', 'US', 'XX', ''), fc.string({ maxLength: 4 })),
  scenario: scenarioArb,
  ip: ipArb,
  userAgent: mostly(
    fc.constantFrom('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'okhttp/4.12.0', 'curl/8.0', ''),
  ),
  device: mostly(fc.stringMatching(/^[a-z0-9-]{1,24}$/)),
  challenge: stringArb,
  account: mostly(fc.stringMatching(/^[a-z0-9]{1,16}$/)),
  idempotencyKey: mostly(fc.stringMatching(/^[a-z0-9-]{1,32}$/)),
};
const message = fc.oneof({ weight: 4, arbitrary: fc.constant('Your code is 123456') }, fc.constantFrom('Your code is 123456', '{code}', ''), stringArb);
const BODIES = {
  verdict: fields(attempt, ['phone', 'scenario', 'ip']),
  send: fields({ ...attempt, message }, ['phone', 'scenario', 'ip', 'message']),
  otpSend: fields(
    { ...attempt, template: fc.oneof(fc.constantFrom('Code: {code}', '{code}{code}'), stringArb), codeLength: fc.integer({ min: -5, max: 20 }) },
    ['phone', 'scenario', 'ip'],
  ),
  otpVerify: fields({ phone: phoneArb, country: attempt.country, code: fc.oneof(fc.stringMatching(/^\d{0,12}$/), stringArb) }, ['phone', 'code']),
  verification: fields({ phone: phoneArb, country: attempt.country, success: fc.boolean() }, ['phone', 'success']),
  listEntry: fields(
    {
      kind: fc.constantFrom('number', 'prefix', 'ip', 'device', 'asn', 'country', 'nope'),
      value: fc.oneof(phoneArb, ipArb, fc.constantFrom('GB', 'AS15169', '81.2.69.0/24', '+4474')),
      action: fc.constantFrom('block', 'allow', 'x'),
      reason: stringArb,
      ttlSeconds: fc.integer(),
      scope: fc.constantFrom('global', 't:demo', 't:', 'x'),
    },
    ['kind', 'value', 'action'],
  ),
  device: fields({ fingerprint: fc.oneof(fc.stringMatching(/^[a-f0-9]{32}$/), stringArb), markers: fc.jsonValue({ maxDepth: 2 }), token: stringArb }, [
    'fingerprint',
  ]),
  tenant: fields({ id: fc.oneof(fc.stringMatching(/^[a-z0-9-]{0,70}$/), stringArb), name: stringArb, policy: fc.jsonValue({ maxDepth: 4 }) }, ['id']),
  anything: fc.dictionary(fc.string({ maxLength: 10 }), anyValue, { maxKeys: 5 }),
} satisfies Record<string, fc.Arbitrary<Record<string, unknown>>>;

/** The raw body: JSON of a generated object, any JSON value, or bytes that are not JSON at all. */
const rawBody = (shape: fc.Arbitrary<Record<string, unknown>>) =>
  fc.oneof(
    { weight: 6, arbitrary: shape.map((b) => JSON.stringify(b)) },
    anyValue.map((v) => JSON.stringify(v) ?? 'null'),
    fc.constantFrom('', '{', '{"phone":', '[]', 'null', '"str"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', '\u0000', '{"a":1}{"b":2}'),
    fc.string({ unit: 'binary', maxLength: 200 }),
    hugeString.map((s) => JSON.stringify({ phone: '+447400123456', message: s })),
  );

const printable = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));
const authArb = (usual: 'tenant' | 'admin') =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(usual) },
    fc.constant('tenant'),
    fc.constant('admin'),
    fc.constant('none'),
    printable.map((s) => `Bearer ${s}`),
    fc.constantFrom('Bearer ', 'Basic abc', 'bearer ssk_x', `Bearer ssk_${'a'.repeat(500)}`),
  );
const headersArb = (usual: 'tenant' | 'admin') =>
  fc.record({
    auth: authArb(usual),
    contentType: fc.oneof(
      { weight: 8, arbitrary: fc.constant('application/json') },
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'APPLICATION/JSON',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        undefined,
      ),
    ),
    extra: fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,16}$/), printable, { maxKeys: 4 }),
  });
const queryArb = (usual: string) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(usual) },
    fc.constant(''),
    fc
      .dictionary(
        fc.string({ maxLength: 12 }),
        fc.oneof(
          stringArb.map((s) => s.slice(0, 300)),
          fc.constantFrom('global', 't:demo', 'demo', '1', '99', 'number', 'ip'),
        ),
        { maxKeys: 4 },
      )
      .map((q) => `?${new URLSearchParams(q).toString()}`),
    printable.map((s) => `?${s}`),
  );

// ---- the property ---------------------------------------------------------------------------

interface Case {
  readonly body: string | undefined;
  readonly headers: { auth: string; contentType: string | undefined; extra: Record<string, string> };
  readonly query: string;
}

interface Endpoint {
  readonly method: string;
  readonly path: string;
  readonly body?: fc.Arbitrary<Record<string, unknown>>;
  /** The query a real caller sends; fuzzed queries are mixed in. */
  readonly query?: string;
}

const ENDPOINTS: readonly Endpoint[] = [
  { method: 'GET', path: '/health' },
  { method: 'POST', path: '/v1/verdicts', body: BODIES.verdict },
  { method: 'POST', path: '/v1/sms/send', body: BODIES.send },
  { method: 'POST', path: '/v1/otp/send', body: BODIES.otpSend },
  { method: 'POST', path: '/v1/otp/verify', body: BODIES.otpVerify },
  { method: 'POST', path: '/v1/events/verification', body: BODIES.verification },
  { method: 'GET', path: '/v1/lists' },
  { method: 'POST', path: '/v1/lists', body: BODIES.listEntry },
  { method: 'DELETE', path: '/v1/lists', query: '?kind=ip&value=81.2.69.142' },
  { method: 'GET', path: '/v1/admin/lists', query: '?scope=global' },
  { method: 'POST', path: '/v1/admin/lists', body: BODIES.listEntry },
  { method: 'DELETE', path: '/v1/admin/lists', query: '?scope=t:demo&kind=number&value=%2B447400123456' },
  { method: 'POST', path: '/v1/admin/tenants', body: BODIES.tenant },
  { method: 'GET', path: '/v1/admin/tenants/demo' },
  {
    method: 'PUT',
    path: '/v1/admin/tenants/demo/policy',
    body: fc
      .jsonValue({ maxDepth: 4 })
      .map((v) => ({ v }))
      .chain(() => BODIES.anything),
  },
  { method: 'POST', path: '/v1/admin/tenants/demo/keys', body: BODIES.anything },
  { method: 'GET', path: '/v1/admin/reputation' },
  { method: 'POST', path: '/v1/admin/reputation', body: BODIES.anything },
  { method: 'GET', path: '/v1/challenge', query: '?tenant=demo&level=1' },
  { method: 'POST', path: '/v1/device', body: BODIES.device },
  { method: 'GET', path: '/v1/outbox' },
  { method: 'POST', path: '/demo/send', body: BODIES.send },
  { method: 'PATCH', path: '/v1/sms/send', body: BODIES.anything },
  { method: 'GET', path: '/v1/no-such-route' },
];

async function request(method: string, path: string, c: Case): Promise<{ status: number; contentType: string; text: string }> {
  const headers: Record<string, string> = { ...c.headers.extra };
  if (c.headers.contentType) headers['content-type'] = c.headers.contentType;
  if (c.headers.auth === 'tenant') headers.authorization = `Bearer ${tenantKey}`;
  else if (c.headers.auth === 'admin') headers.authorization = `Bearer ${server.adminApiKey}`;
  else if (c.headers.auth !== 'none') headers.authorization = c.headers.auth;
  const res = await fetch(server.url + path + c.query, {
    method,
    headers,
    body: method === 'GET' ? undefined : c.body,
    signal: AbortSignal.timeout(5_000),
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** The checks every response must pass. */
function checkResponse(status: number, contentType: string, text: string): void {
  expect(status, text.slice(0, 500)).toBeLessThan(500);
  if (status < 400) return;
  expect(contentType).toMatch(/json/);
  const body = JSON.parse(text) as Record<string, any>;
  // Refusals of a send carry their verdict (the documented shape); every other 4xx an error.
  if (typeof body.decision === 'string' && body.verdict) {
    expect(body.sent).toBe(false);
    expect(Array.isArray(body.verdict.reasons)).toBe(true);
    return;
  }
  expect(typeof body.error?.code).toBe('string');
  expect(body.error.code).toMatch(/^[A-Z_]+$/);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
}

describe('fuzzing every endpoint (fast-check)', () => {
  for (const endpoint of ENDPOINTS) {
    it(
      `${endpoint.method} ${endpoint.path}: no 5xx, every 4xx explains itself in JSON`,
      async () => {
        const caseArb: fc.Arbitrary<Case> = fc.record({
          body: endpoint.body ? fc.option(rawBody(endpoint.body), { nil: undefined, freq: 10 }) : fc.constant(undefined),
          headers: headersArb(endpoint.path.startsWith('/v1/admin/') ? 'admin' : 'tenant'),
          query: queryArb(endpoint.query ?? ''),
        });
        let runs = 0;
        await fc.assert(
          fc.asyncProperty(caseArb, async (c) => {
            runs++;
            const res = await request(endpoint.method, endpoint.path, c);
            checkResponse(res.status, res.contentType, res.text);
          }),
          { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false, endOnFailure: true },
        );
        expect(runs).toBeGreaterThan(0);
        expect(errors).toEqual([]);
        // Keep the velocity windows moving so later runs reach deeper than the first 429.
        clock.advance(3_600_000);
      },
      TIME_LIMIT_MS + 20_000,
    );
  }
});
