/**
 * The statuses of the OpenAPI document, checked against the statuses the server answers, both
 * ways. For each world — the Lambda function's handler (in process, behind the public-edge
 * guard as `api.ts` wraps it) and local mode (`startLocalServer`, over HTTP) — the document is
 * read from the world's own `GET /openapi.json`, and for every documented (operation, status)
 * a case drives a request that must be answered with it. Every answer of every request, set-up
 * calls included, is recorded as (method, route template, status); then:
 * - every documented status has a case and was observed (a new route fails, naming itself,
 *   until its statuses have cases);
 * - every observed status is documented (a case for a status the document lost, or a route that
 *   starts answering something else, fails).
 * The answers every route of a kind shares get their cases from the document itself (a body:
 * 400/413/415; a key: 401/503; an admin key: 403; a public route: the edge's 400/403), so a new
 * route needs cases only for its own statuses, in `ROUTE_CASES` or `LOCAL_ROUTE_CASES`. The 429
 * of API Gateway's throttle (`#/components/responses/Throttled`) is answered in front of the
 * function: it is the one documented status no case can drive.
 */
import { mkdir, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiHandler } from '../../lambdas/handlers/http-api';
import { servedRoutes } from '../../lambdas/handlers/http-api';
import { DEFAULT_MAX_BODY_BYTES } from '../../lambdas/handlers/middleware/json-body';
import { guardPublicOrigin } from '../../lambdas/handlers/public-routes';
import { startLocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import { type OutgoingSms, type SmsSender, SmsOutcomeUnknownError } from '../../lambdas/ports/sms-sender';
import type { TenantStore } from '../../lambdas/ports/tenant-store';
import { tooManyKeys } from '../../lambdas/domain/errors';
import { hashApiKey } from '../../lambdas/service/api-keys';
import { createTenant, issueAdminKey, issueApiKey } from '../../lambdas/service/tenant-admin';
import { ORIGIN_SECRET_HEADER, PUBLIC_ROUTES, VIEWER_ADDRESS_HEADER } from '../../lambdas/shared/public-edge';
import { apiEvent } from '../support/api-event';
import { BROWSER_UA, T0, testGeo } from '../support/engine';
import { ukMobile } from '../support/numbers';
import { memoryShield, quiet } from '../support/shield';

interface Res {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: any;
}

interface CallOptions {
  readonly key?: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as is (wins over `body`). */
  readonly rawBody?: string;
  /** @default application/json */
  readonly contentType?: string;
  readonly query?: Record<string, string>;
  /**
   * Lambda world, public routes: through the edge (origin secret and viewer address, the
   * default), `direct` (neither) or `no-viewer` (the secret without the viewer address).
   */
  readonly edge?: 'through' | 'direct' | 'no-viewer';
  /** The viewer's address the edge reports. @default a GB residential address */
  readonly viewerIp?: string;
  /** More request headers (Lambda world). */
  readonly headers?: Record<string, string>;
}

/** Keys every world has: a tenant with the default policy, and an admin. */
interface Keys {
  readonly shop: string;
  readonly admin: string;
}

/** What a case can do: call the world, and break or slow its dependencies for a moment. */
interface World {
  readonly name: string;
  readonly keys: Keys;
  call(method: string, path: string, options?: CallOptions): Promise<Res>;
  /** `run` while API key lookups fail as a throttled store does (the directory's cache emptied first). */
  keysDown(run: () => Promise<Res>): Promise<Res>;
}

interface LambdaWorld extends World {
  readonly keys: Keys & {
    /** Every `register` attempt is challenged. */
    readonly gated: string;
    /** One verdict a minute. */
    readonly capped: string;
    /** Holds full lists (the world's list cap is small). */
    readonly lister: string;
  };
  readonly sender: TestSender;
  /** `run` while these stores fail as a throttled DynamoDB does. */
  storesDown(stores: readonly StoreName[], run: () => Promise<Res>): Promise<Res>;
  /** `run` while every key listing finds more records than a holder may keep (the store's bound, as `TOO_MANY_KEYS`). */
  keyListsFull(run: () => Promise<Res>): Promise<Res>;
  readonly reputationKeyId: string;
}

interface LocalWorld extends World {
  /** The demo backend's own key (of the `demo` tenant). */
  readonly demoKey: string;
  readonly tenants: TenantStore;
  /** `run` while the outbox file cannot be written (a directory stands in its place). */
  outboxBroken(run: () => Promise<Res>): Promise<Res>;
  invalidateKeys(): void;
}

/** A request that must be answered with the status it is filed under. */
interface Case<W extends World> {
  readonly label: string;
  run(world: W): Promise<Res>;
}
const when = <W extends World>(label: string, run: (world: W) => Promise<Res>): Case<W> => ({ label, run });

type Cases<W extends World> = Readonly<Record<string, Readonly<Record<string, readonly Case<W>[]>>>>;

// ---------------------------------------------------------------------------------------------
// Faults and the SMS provider of the Lambda world

type StoreName = 'counters' | 'lists' | 'verifications' | 'tenants' | 'idempotency' | 'replays';

/** What the AWS SDK throws when DynamoDB throttles: a transient error, answered 503. */
function throttled(): Error {
  return Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
    name: 'ThrottlingException',
    $fault: 'client',
    $retryable: { throttling: true },
  });
}

/** Stores that fail on demand: every method of a failing store rejects with `throttled()`. */
class StoreFaults {
  private readonly failing = new Set<StoreName>();

  wrap<T extends object>(name: StoreName, store: T): T {
    return new Proxy(store, {
      get: (target, property) => {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => (this.failing.has(name) ? Promise.reject(throttled()) : (value as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
  }

  async during(names: readonly StoreName[], run: () => Promise<Res>): Promise<Res> {
    for (const name of names) this.failing.add(name);
    try {
      return await run();
    } finally {
      for (const name of names) this.failing.delete(name);
    }
  }
}

/** The SMS provider: answers, fails (nothing sent), loses its answer (may be sent), or holds a send. */
class TestSender implements SmsSender {
  mode: 'ok' | 'fail' | 'unknown' = 'ok';
  private held: { reached: () => void; gate: Promise<void> } | undefined;
  private sent = 0;

  async send(_sms: OutgoingSms): Promise<{ messageId: string }> {
    const held = this.held;
    if (held) {
      held.reached();
      await held.gate;
    }
    if (this.mode === 'fail') throw new Error('provider refused the message');
    if (this.mode === 'unknown') throw new SmsOutcomeUnknownError('the provider did not answer in time');
    return { messageId: `m-${++this.sent}` };
  }

  /** The next sends wait until `release`; `reached` resolves once one is waiting. */
  hold(): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.held = { reached, gate };
    return {
      reached: reachedPromise,
      release: () => {
        this.held = undefined;
        release();
      },
    };
  }

  async as<T>(mode: TestSender['mode'], run: () => Promise<T>): Promise<T> {
    this.mode = mode;
    try {
      return await run();
    } finally {
      this.mode = 'ok';
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Recording: every answer, as (method, route template, status)

/** Every answer of a world, as requested: mapped to route templates once the document is known. */
type Observed = { readonly method: string; readonly path: string; readonly status: number }[];

/** The documented path template a concrete path reaches, as the router matches it (one trailing slash allowed). */
function templateOf(templates: readonly string[], path: string): string {
  const bare = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (templates.includes(bare)) return bare;
  const dynamic = templates.find((t) => t.includes('{') && new RegExp(`^${t.replace(/\{[^/]+\}/g, '[^/]+')}$`).test(bare));
  return dynamic ?? `(no route: ${bare})`;
}

/** Operation (`METHOD template`) → the statuses it was observed answering. */
function observedStatuses(observed: Observed, doc: Doc): Map<string, Set<string>> {
  const templates = Object.keys(doc.paths);
  const byOperation = new Map<string, Set<string>>();
  for (const { method, path, status } of observed) {
    const op = `${method} ${templateOf(templates, path)}`;
    let statuses = byOperation.get(op);
    if (!statuses) byOperation.set(op, (statuses = new Set()));
    statuses.add(String(status));
  }
  return byOperation;
}

// ---------------------------------------------------------------------------------------------
// The document

interface DocOperation {
  readonly security: Record<string, unknown>[];
  readonly requestBody?: unknown;
  readonly responses: Record<string, { $ref?: string }>;
  readonly 'x-sms-shield-local-only'?: boolean;
}
interface Doc {
  readonly paths: Record<string, Record<string, DocOperation>>;
}

const THROTTLED = '#/components/responses/Throttled';

function docOperations(doc: Doc): Map<string, DocOperation> {
  const ops = new Map<string, DocOperation>();
  for (const [path, methods] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(methods)) ops.set(`${method.toUpperCase()} ${path}`, op);
  return ops;
}
const authOf = (op: DocOperation) => {
  const schemes = op.security.flatMap((s) => Object.keys(s));
  return schemes.includes('adminKey') ? 'admin' : schemes.includes('tenantKey') ? 'tenant' : 'none';
};
/** Statuses a request to the function can be answered with (API Gateway's throttle answers in front of it). */
const drivableStatuses = (op: DocOperation) =>
  Object.entries(op.responses)
    .filter(([, response]) => response.$ref !== THROTTLED)
    .map(([status]) => status);

/** A concrete path for a template: path parameters that pass validation (the id of no tenant, a well-formed key id). */
const concrete = (template: string) => template.replace('{id}', 'nobody').replace(/\{keyId\}/g, '0'.repeat(64));

const PUBLIC_OPERATIONS = new Set(PUBLIC_ROUTES.map((r) => `${r.method} ${r.path}`));

/**
 * The cases of the answers every route of a kind shares, read off the document: the body parser
 * (400 malformed JSON, 413, 415), the key check (401, and 503 when the store cannot check it),
 * the admin check (403 for a tenant key), and in the Lambda world the public edge's checks.
 */
function sharedCases<W extends World>(key: string, op: DocOperation, edge: boolean): Record<string, Case<W>[]> {
  const [method, template] = key.split(' ') as [string, string];
  const path = concrete(template);
  const auth = authOf(op);
  const cases: Record<string, Case<W>[]> = {};
  const add = (status: string, c: Case<W>) => (cases[status] ??= []).push(c);
  const keyOf = (w: W) => (auth === 'admin' ? w.keys.admin : w.keys.shop);
  if (op.requestBody) {
    add(
      '400',
      when('malformed JSON', (w) => w.call(method, path, { key: keyOf(w), rawBody: '{"phone":' })),
    );
    add(
      '413',
      when('a body over the limit', (w) => w.call(method, path, { key: keyOf(w), body: { pad: 'x'.repeat(DEFAULT_MAX_BODY_BYTES) } })),
    );
    add(
      '415',
      when('a form body', (w) => w.call(method, path, { key: keyOf(w), rawBody: 'phone=1', contentType: 'application/x-www-form-urlencoded' })),
    );
  }
  if (auth !== 'none') {
    add(
      '401',
      when('no key', (w) => w.call(method, path, { body: op.requestBody ? {} : undefined })),
    );
    add(
      '503',
      when('the key cannot be checked', (w) => w.keysDown(() => w.call(method, path, { key: keyOf(w), body: op.requestBody ? {} : undefined }))),
    );
  }
  if (auth === 'admin') {
    add(
      '403',
      when('a tenant key', (w) => w.call(method, path, { key: w.keys.shop, body: op.requestBody ? {} : undefined })),
    );
  }
  if (edge && PUBLIC_OPERATIONS.has(key)) {
    add(
      '403',
      when('a direct call, not through the edge', (w) => w.call(method, path, { edge: 'direct' })),
    );
    add(
      '400',
      when('the edge without a viewer address', (w) => w.call(method, path, { edge: 'no-viewer' })),
    );
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Requests

let sequence = 0;
/** A fresh number, address and device per attempt: no quota of one case reaches another. */
function attempt(scenario = 'login', extra: Record<string, unknown> = {}) {
  sequence++;
  return { phone: ukMobile(sequence), scenario, ip: `81.2.69.${(sequence % 250) + 1}`, userAgent: BROWSER_UA, device: `statuses-device-${sequence}`, ...extra };
}
const sms = (scenario?: string, extra?: Record<string, unknown>) => ({ ...attempt(scenario, extra), message: 'Your code is 123456' });
const PREMIUM = '+44 909 879 0000';

/** The cases of a protected send (`/v1/sms/send`, `/v1/otp/send`), by status. */
function sendCases(path: string, body: (scenario?: string, extra?: Record<string, unknown>) => Record<string, unknown>) {
  return {
    '200': [when('an allowed send', (w: LambdaWorld) => w.call('POST', path, { key: w.keys.shop, body: body() }))],
    '403': [when('a premium-rate number', (w: LambdaWorld) => w.call('POST', path, { key: w.keys.shop, body: body('login', { phone: PREMIUM }) }))],
    '409': [
      when('the same idempotencyKey while the first is in flight', async (w: LambdaWorld) => {
        const request = body('login', { idempotencyKey: `in-flight-${sequence}` });
        const held = w.sender.hold();
        const first = w.call('POST', path, { key: w.keys.shop, body: request });
        await held.reached;
        const second = await w.call('POST', path, { key: w.keys.shop, body: request });
        held.release();
        expect((await first).status).toBe(200);
        return second;
      }),
    ],
    '422': [
      when('an idempotencyKey reused with another body', async (w: LambdaWorld) => {
        const idempotencyKey = `reused-${sequence}`;
        expect((await w.call('POST', path, { key: w.keys.shop, body: body('login', { idempotencyKey }) })).status).toBe(200);
        return w.call('POST', path, { key: w.keys.shop, body: body('login', { idempotencyKey }) });
      }),
    ],
    '428': [when('a tenant that challenges every register', (w: LambdaWorld) => w.call('POST', path, { key: w.keys.gated, body: body('register') }))],
    '429': [
      when('a second SMS to one number within the minute', async (w: LambdaWorld) => {
        const request = body();
        expect((await w.call('POST', path, { key: w.keys.shop, body: request })).status).toBe(200);
        return w.call('POST', path, { key: w.keys.shop, body: { ...request, ip: '81.2.69.77' } });
      }),
      when('a tenant over its verdicts per minute', async (w: LambdaWorld) => {
        await w.call('POST', path, { key: w.keys.capped, body: body() });
        return w.call('POST', path, { key: w.keys.capped, body: body() });
      }),
    ],
    '502': [when('the provider refuses', (w: LambdaWorld) => w.sender.as('fail', () => w.call('POST', path, { key: w.keys.shop, body: body() })))],
    '503': [
      when('the store is down on a scenario that fails closed', (w: LambdaWorld) =>
        w.storesDown(['counters', 'lists', 'verifications'], () => w.call('POST', path, { key: w.keys.shop, body: body('reset_password') })),
      ),
      when('the idempotencyKey cannot be checked on a scenario that fails closed', (w: LambdaWorld) =>
        w.storesDown(['idempotency'], () => w.call('POST', path, { key: w.keys.shop, body: body('transfer', { idempotencyKey: `down-${sequence}` }) })),
      ),
    ],
    '504': [when('the provider loses its answer', (w: LambdaWorld) => w.sender.as('unknown', () => w.call('POST', path, { key: w.keys.shop, body: body() })))],
  };
}

const HOOK_SECRET = `v1,whsec_${Buffer.alloc(32, 9).toString('base64')}`;
/** The Standard Webhooks headers of a Supabase delivery of `body`, signed now with `HOOK_SECRET`. */
function supabaseSigned(body: string): Record<string, string> {
  const id = `msg_statuses_${++sequence}`;
  const at = new Date();
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(HOOK_SECRET.slice(3)).sign(id, at, body),
  };
}

/** The list-full cases: fill the scope to the world's cap, then one more. */
async function fillThenAdd(w: LambdaWorld, path: string, key: string, extra: Record<string, unknown>): Promise<Res> {
  const countries = ['ZW', 'ZM', 'YE', 'VU', 'TV'];
  for (const value of countries.slice(0, LIST_CAP)) {
    const res = await w.call('POST', path, { key, body: { ...extra, kind: 'country', value, action: 'block' } });
    expect([201, 409]).toContain(res.status);
  }
  return w.call('POST', path, { key, body: { ...extra, kind: 'country', value: countries[LIST_CAP], action: 'block' } });
}
/** Live entries a list may hold in the Lambda world. */
const LIST_CAP = 3;

/**
 * The cases of each operation's own statuses in the Lambda function (the shared ones come from
 * `sharedCases`). A new route documents its statuses and adds its cases here.
 */
const ROUTE_CASES: Cases<LambdaWorld> = {
  'GET /health': { '200': [when('always', (w) => w.call('GET', '/health'))] },
  'GET /openapi.json': { '200': [when('always', (w) => w.call('GET', '/openapi.json'))] },
  'POST /v1/sms/send': sendCases('/v1/sms/send', sms),
  'POST /v1/otp/send': sendCases('/v1/otp/send', attempt),
  'POST /v1/verdicts': {
    '200': [
      when('an allow', (w) => w.call('POST', '/v1/verdicts', { key: w.keys.shop, body: attempt() })),
      when('a block is a 200 too', (w) => w.call('POST', '/v1/verdicts', { key: w.keys.shop, body: attempt('login', { phone: PREMIUM }) })),
    ],
    '429': [
      when('a tenant over its verdicts per minute', async (w) => {
        await w.call('POST', '/v1/verdicts', { key: w.keys.capped, body: attempt() });
        return w.call('POST', '/v1/verdicts', { key: w.keys.capped, body: attempt() });
      }),
    ],
    '503': [
      when('the store is down on a scenario that fails closed', (w) =>
        w.storesDown(['counters', 'lists', 'verifications'], () => w.call('POST', '/v1/verdicts', { key: w.keys.shop, body: attempt('transfer') })),
      ),
    ],
  },
  'POST /v1/otp/verify': {
    '200': [when('a code with none pending', (w) => w.call('POST', '/v1/otp/verify', { key: w.keys.shop, body: { phone: attempt().phone, code: '123456' } }))],
    '503': [
      when('codes cannot be checked', (w) =>
        w.storesDown(['verifications'], () => w.call('POST', '/v1/otp/verify', { key: w.keys.shop, body: { phone: attempt().phone, code: '123456' } })),
      ),
    ],
  },
  'POST /v1/events/verification': {
    '202': [
      when('a reported success', (w) => w.call('POST', '/v1/events/verification', { key: w.keys.shop, body: { phone: attempt().phone, success: true } })),
    ],
    '503': [
      when('the store is down', (w) =>
        w.storesDown(['verifications'], () => w.call('POST', '/v1/events/verification', { key: w.keys.shop, body: { phone: attempt().phone, success: true } })),
      ),
    ],
  },
  'GET /v1/lists': {
    '200': [when('a page', (w) => w.call('GET', '/v1/lists', { key: w.keys.shop }))],
    '400': [
      when('limit 0', (w) => w.call('GET', '/v1/lists', { key: w.keys.shop, query: { limit: '0' } })),
      when('a forged cursor', (w) => w.call('GET', '/v1/lists', { key: w.keys.shop, query: { cursor: 'x'.repeat(40) } })),
    ],
    '503': [when('the list store is down', (w) => w.storesDown(['lists'], () => w.call('GET', '/v1/lists', { key: w.keys.shop })))],
  },
  'POST /v1/lists': {
    '201': [when('an entry', (w) => w.call('POST', '/v1/lists', { key: w.keys.shop, body: { kind: 'number', value: attempt().phone, action: 'block' } }))],
    '400': [when('an unknown kind', (w) => w.call('POST', '/v1/lists', { key: w.keys.shop, body: { kind: 'planet', value: 'x', action: 'block' } }))],
    '409': [when('a full list', (w) => fillThenAdd(w, '/v1/lists', w.keys.lister, {}))],
    '503': [
      when('the list store is down', (w) =>
        w.storesDown(['lists'], () => w.call('POST', '/v1/lists', { key: w.keys.shop, body: { kind: 'number', value: attempt().phone, action: 'block' } })),
      ),
    ],
  },
  'DELETE /v1/lists': {
    '200': [when('an entry, present or not', (w) => w.call('DELETE', '/v1/lists', { key: w.keys.shop, query: { kind: 'number', value: attempt().phone } }))],
    '400': [when('no value', (w) => w.call('DELETE', '/v1/lists', { key: w.keys.shop, query: { kind: 'number' } }))],
  },
  'GET /v1/admin/lists': {
    '200': [when('the global list', (w) => w.call('GET', '/v1/admin/lists', { key: w.keys.admin, query: { scope: 'global' } }))],
    '400': [when('no scope', (w) => w.call('GET', '/v1/admin/lists', { key: w.keys.admin }))],
  },
  'POST /v1/admin/lists': {
    '201': [
      when('a tenant entry', (w) =>
        w.call('POST', '/v1/admin/lists', { key: w.keys.admin, body: { scope: 't:gated', kind: 'number', value: attempt().phone, action: 'block' } }),
      ),
    ],
    '400': [when('no scope', (w) => w.call('POST', '/v1/admin/lists', { key: w.keys.admin, body: { kind: 'country', value: 'ZW', action: 'block' } }))],
    '409': [when('a full global list', (w) => fillThenAdd(w, '/v1/admin/lists', w.keys.admin, { scope: 'global' }))],
  },
  'DELETE /v1/admin/lists': {
    '200': [when('an entry', (w) => w.call('DELETE', '/v1/admin/lists', { key: w.keys.admin, query: { scope: 'global', kind: 'country', value: 'TV' } }))],
    '400': [when('no scope', (w) => w.call('DELETE', '/v1/admin/lists', { key: w.keys.admin, query: { kind: 'country', value: 'TV' } }))],
  },
  'POST /v1/admin/tenants': {
    '201': [when('a new tenant', (w) => w.call('POST', '/v1/admin/tenants', { key: w.keys.admin, body: { id: `made-${++sequence}` } }))],
    '400': [when('a bad id', (w) => w.call('POST', '/v1/admin/tenants', { key: w.keys.admin, body: { id: 'Not An Id' } }))],
    '409': [when('an id in use', (w) => w.call('POST', '/v1/admin/tenants', { key: w.keys.admin, body: { id: 'shop' } }))],
  },
  'GET /v1/admin/tenants/{id}': {
    '200': [when('a tenant', (w) => w.call('GET', '/v1/admin/tenants/shop', { key: w.keys.admin }))],
    '400': [when('a bad id', (w) => w.call('GET', '/v1/admin/tenants/Not_An_Id', { key: w.keys.admin }))],
    '404': [when('no such tenant', (w) => w.call('GET', '/v1/admin/tenants/nobody', { key: w.keys.admin }))],
  },
  'POST /v1/admin/tenants/{id}/keys': {
    '201': [when('a new key', (w) => w.call('POST', '/v1/admin/tenants/lister/keys', { key: w.keys.admin }))],
    '400': [when('a bad revokeKeyId', (w) => w.call('POST', '/v1/admin/tenants/lister/keys', { key: w.keys.admin, body: { revokeKeyId: 'zz' } }))],
    '404': [
      when('no such tenant', (w) => w.call('POST', '/v1/admin/tenants/nobody/keys', { key: w.keys.admin })),
      when('a revokeKeyId of another tenant', (w) =>
        w.call('POST', '/v1/admin/tenants/lister/keys', { key: w.keys.admin, body: { revokeKeyId: hashApiKey(w.keys.shop) } }),
      ),
    ],
  },
  'DELETE /v1/admin/tenants/{id}/keys/{keyId}': {
    '200': [
      when('a key of the tenant', async (w) => {
        const issued = await w.call('POST', '/v1/admin/tenants/lister/keys', { key: w.keys.admin });
        return w.call('DELETE', `/v1/admin/tenants/lister/keys/${issued.body.keyId}`, { key: w.keys.admin });
      }),
    ],
    '400': [when('a bad key id', (w) => w.call('DELETE', '/v1/admin/tenants/lister/keys/zz', { key: w.keys.admin }))],
    '404': [
      when('a key of another tenant', (w) => w.call('DELETE', `/v1/admin/tenants/lister/keys/${hashApiKey(w.keys.shop)}`, { key: w.keys.admin })),
      when('the admin key', (w) => w.call('DELETE', `/v1/admin/tenants/lister/keys/${hashApiKey(w.keys.admin)}`, { key: w.keys.admin })),
    ],
  },
  'GET /v1/admin/tenants/{id}/keys': {
    '200': [when("a tenant's keys", (w) => w.call('GET', '/v1/admin/tenants/shop/keys', { key: w.keys.admin }))],
    '400': [when('a bad id', (w) => w.call('GET', '/v1/admin/tenants/Not_An_Id/keys', { key: w.keys.admin }))],
    '404': [when('no such tenant', (w) => w.call('GET', '/v1/admin/tenants/nobody/keys', { key: w.keys.admin }))],
    '409': [when('more records than a holder keeps', (w) => w.keyListsFull(() => w.call('GET', '/v1/admin/tenants/shop/keys', { key: w.keys.admin })))],
  },
  'GET /v1/admin/keys': {
    '200': [when('the admin keys', (w) => w.call('GET', '/v1/admin/keys', { key: w.keys.admin }))],
    '409': [when('more records than a holder keeps', (w) => w.keyListsFull(() => w.call('GET', '/v1/admin/keys', { key: w.keys.admin })))],
  },
  'POST /v1/admin/keys': {
    '201': [when('a new admin key', (w) => w.call('POST', '/v1/admin/keys', { key: w.keys.admin }))],
    '400': [when('a bad revokeKeyId', (w) => w.call('POST', '/v1/admin/keys', { key: w.keys.admin, body: { revokeKeyId: 'zz' } }))],
    '404': [
      when("a tenant key's id to revoke", (w) => w.call('POST', '/v1/admin/keys', { key: w.keys.admin, body: { revokeKeyId: hashApiKey(w.keys.shop) } })),
    ],
    '409': [when('more records than a holder keeps', (w) => w.keyListsFull(() => w.call('POST', '/v1/admin/keys', { key: w.keys.admin })))],
  },
  'DELETE /v1/admin/keys/{keyId}': {
    '200': [
      when('another admin key', async (w) => {
        const issued = await w.call('POST', '/v1/admin/keys', { key: w.keys.admin });
        return w.call('DELETE', `/v1/admin/keys/${issued.body.keyId}`, { key: w.keys.admin });
      }),
    ],
    '400': [when('a bad key id', (w) => w.call('DELETE', '/v1/admin/keys/zz', { key: w.keys.admin }))],
    '404': [when("a tenant key's id", (w) => w.call('DELETE', `/v1/admin/keys/${hashApiKey(w.keys.shop)}`, { key: w.keys.admin }))],
    '409': [
      when('the last live admin key', async (w) => {
        const listed = await w.call('GET', '/v1/admin/keys', { key: w.keys.admin });
        const own = hashApiKey(w.keys.admin);
        for (const { keyId, revokedAt } of listed.body.keys as { keyId: string; revokedAt?: string }[]) {
          if (keyId !== own && revokedAt === undefined) expect((await w.call('DELETE', `/v1/admin/keys/${keyId}`, { key: w.keys.admin })).status).toBe(200);
        }
        return w.call('DELETE', `/v1/admin/keys/${own}`, { key: w.keys.admin });
      }),
    ],
  },
  'PUT /v1/admin/tenants/{id}/policy': {
    '200': [when('a policy', (w) => w.call('PUT', '/v1/admin/tenants/lister/policy', { key: w.keys.admin, body: { mode: 'enforce' } }))],
    '400': [
      when('challengeAt above blockAt', (w) =>
        w.call('PUT', '/v1/admin/tenants/lister/policy', { key: w.keys.admin, body: { scenarios: { login: { challengeAt: 80, blockAt: 50 } } } }),
      ),
    ],
    '404': [when('no such tenant', (w) => w.call('PUT', '/v1/admin/tenants/nobody/policy', { key: w.keys.admin, body: {} }))],
  },
  'PUT /v1/admin/tenants/{id}/hooks/supabase': {
    '200': [when('a secret', (w) => w.call('PUT', '/v1/admin/tenants/lister/hooks/supabase', { key: w.keys.admin, body: { secret: HOOK_SECRET } }))],
    '400': [when('not a hook secret', (w) => w.call('PUT', '/v1/admin/tenants/lister/hooks/supabase', { key: w.keys.admin, body: { secret: 'whsec_x' } }))],
    '404': [when('no such tenant', (w) => w.call('PUT', '/v1/admin/tenants/nobody/hooks/supabase', { key: w.keys.admin, body: { secret: HOOK_SECRET } }))],
  },
  'DELETE /v1/admin/tenants/{id}/hooks/supabase': {
    '200': [when('a clear', (w) => w.call('DELETE', '/v1/admin/tenants/lister/hooks/supabase', { key: w.keys.admin }))],
    '404': [when('no such tenant', (w) => w.call('DELETE', '/v1/admin/tenants/nobody/hooks/supabase', { key: w.keys.admin }))],
  },
  'POST /v1/hooks/supabase/{tenantId}/send-sms': {
    '200': [
      when('a signed delivery', async (w) => {
        expect((await w.call('PUT', '/v1/admin/tenants/shop/hooks/supabase', { key: w.keys.admin, body: { secret: HOOK_SECRET } })).status).toBe(200);
        const body = JSON.stringify({ user: { id: `u-${sequence}`, phone: ukMobile(++sequence) }, sms: { otp: '123456' } });
        return w.call('POST', '/v1/hooks/supabase/shop/send-sms', { rawBody: body, headers: supabaseSigned(body) });
      }),
    ],
    '401': [when('no signature', (w) => w.call('POST', '/v1/hooks/supabase/shop/send-sms', { body: { user: { id: 'u' }, sms: { otp: '1' } } }))],
  },
  'GET /v1/admin/reputation': {
    '200': [when('the local entries', (w) => w.call('GET', '/v1/admin/reputation', { key: w.keys.admin }))],
    '400': [when('an unknown source', (w) => w.call('GET', '/v1/admin/reputation', { key: w.keys.admin, query: { source: 'mine' } }))],
    '503': [when('the list store is down', (w) => w.storesDown(['lists'], () => w.call('GET', '/v1/admin/reputation', { key: w.keys.admin })))],
  },
  'POST /v1/admin/reputation': {
    '200': [
      when('an empty chunk', (w) =>
        w.call('POST', '/v1/admin/reputation', { key: w.keys.admin, body: { keyId: w.reputationKeyId, source: 'feed:acme', indicators: [] } }),
      ),
    ],
    '409': [
      when('another key id', (w) =>
        w.call('POST', '/v1/admin/reputation', { key: w.keys.admin, body: { keyId: 'other', source: 'feed:acme', indicators: [] } }),
      ),
    ],
  },
  'GET /v1/challenge': {
    '200': [when('a known tenant', (w) => w.call('GET', '/v1/challenge', { query: { tenant: 'shop' } }))],
    '400': [when('no tenant', (w) => w.call('GET', '/v1/challenge'))],
    '404': [when('an unknown tenant', (w) => w.call('GET', '/v1/challenge', { query: { tenant: 'nobody' } }))],
    '503': [
      when('tenants cannot be read', (w) => w.storesDown(['tenants'], () => w.call('GET', '/v1/challenge', { query: { tenant: `unseen-${++sequence}` } }))),
      when('the counters are down', (w) => w.storesDown(['counters'], () => w.call('GET', '/v1/challenge', { query: { tenant: 'shop' } }))),
    ],
  },
  'OPTIONS /v1/challenge': { '204': [when('a preflight', (w) => w.call('OPTIONS', '/v1/challenge'))] },
  'POST /v1/device': {
    '200': [when('a new device', (w) => w.call('POST', '/v1/device', { body: { fingerprint: 'fingerprint-1' } }))],
    '400': [when('a short fingerprint', (w) => w.call('POST', '/v1/device', { body: { fingerprint: 'x' } }))],
    '429': [
      when('a flood of new devices from one address', async (w) => {
        let res: Res | undefined;
        for (let i = 0; i < 200 && res?.status !== 429; i++) {
          res = await w.call('POST', '/v1/device', { body: { fingerprint: `flood-${i}-fingerprint` }, viewerIp: '81.2.69.250' });
        }
        return res!;
      }),
    ],
    '503': [when('the counters are down', (w) => w.storesDown(['counters'], () => w.call('POST', '/v1/device', { body: { fingerprint: 'fingerprint-2' } })))],
  },
  'OPTIONS /v1/device': { '204': [when('a preflight', (w) => w.call('OPTIONS', '/v1/device'))] },
};

/** The cases of the local-only operations' own statuses (local mode serves them; the Lambda function does not). */
const LOCAL_ROUTE_CASES: Cases<LocalWorld> = {
  'GET /v1/outbox': { '200': [when("the tenant's outbox", (w) => w.call('GET', '/v1/outbox', { key: w.keys.shop }))] },
  'GET /v1/sdk.js': { '200': [when('the SDK', (w) => w.call('GET', '/v1/sdk.js'))] },
  'GET /demo': { '200': [when('the page', (w) => w.call('GET', '/demo'))] },
  'POST /demo/send': {
    '200': [when('an allowed send', (w) => w.call('POST', '/demo/send', { body: { phone: attempt().phone, device: `demo-device-${sequence}` } }))],
    '400': [when('no phone', (w) => w.call('POST', '/demo/send', { body: {} }))],
    '401': [
      when("the demo backend's key revoked", async (w) => {
        const revoked = await w.call('DELETE', `/v1/admin/tenants/demo/keys/${hashApiKey(w.demoKey)}`, { key: w.keys.admin });
        expect(revoked.status).toBe(200);
        try {
          return await w.call('POST', '/demo/send', { body: { phone: attempt().phone } });
        } finally {
          // The same key again, live: the demo backend holds it.
          await issueApiKey(w.tenants, 'demo', T0, w.demoKey);
          w.invalidateKeys();
        }
      }),
    ],
    '403': [when('a premium-rate number', (w) => w.call('POST', '/demo/send', { body: { phone: PREMIUM } }))],
    '428': [
      when('a demo tenant that challenges every register', async (w) => {
        const policy = (body: unknown) => w.call('PUT', '/v1/admin/tenants/demo/policy', { key: w.keys.admin, body });
        expect((await policy({ scenarios: { register: { challengeAt: 0 } } })).status).toBe(200);
        try {
          return await w.call('POST', '/demo/send', { body: { phone: attempt().phone } });
        } finally {
          expect((await policy({})).status).toBe(200);
        }
      }),
    ],
    '429': [
      when('a second SMS to one number within the minute', async (w) => {
        const phone = attempt().phone;
        expect((await w.call('POST', '/demo/send', { body: { phone, device: `demo-device-${sequence}` } })).status).toBe(200);
        return w.call('POST', '/demo/send', { body: { phone, device: `demo-device-${sequence}` } });
      }),
    ],
    '502': [when('the outbox cannot be written', (w) => w.outboxBroken(() => w.call('POST', '/demo/send', { body: { phone: attempt().phone } })))],
    '503': [when("the demo backend's key cannot be checked", (w) => w.keysDown(() => w.call('POST', '/demo/send', { body: { phone: attempt().phone } })))],
  },
};

// ---------------------------------------------------------------------------------------------
// The worlds

const ORIGIN_SECRET = 'statuses-origin-secret-0123456789';
const context = { awsRequestId: 'statuses', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

function parse(text: string | undefined, contentType: string | undefined): unknown {
  if (!text) return undefined;
  return contentType?.includes('json') ? JSON.parse(text) : text;
}

/** The Lambda function's handler on memory stores, wrapped in the public-edge guard with the edge on (as `api.ts` wraps it). */
async function lambdaWorld(observed: Observed): Promise<LambdaWorld & { handler: ApiHandler }> {
  const clock = new ManualClock(T0);
  const faults = new StoreFaults();
  let keyListsFull = false;
  const sender = new TestSender();
  const { app, stores } = memoryShield(clock, (s) => ({
    counters: faults.wrap('counters', s.counters),
    lists: faults.wrap('lists', s.lists),
    verifications: faults.wrap('verifications', s.verifications),
    tenants: boundedKeyLists(faults.wrap('tenants', s.tenants), () => keyListsFull),
    idempotency: faults.wrap('idempotency', s.idempotency),
    events: s.events,
    sender,
    maxListEntries: LIST_CAP,
    manMachine: { secret: 'statuses-challenge-secret-0123456789', replays: faults.wrap('replays', s.replays) },
  }));
  const handler = guardPublicOrigin(app.handler, { secret: ORIGIN_SECRET });
  const tenant = async (id: string, policy = {}) => (await createTenant(stores.tenants, { id, policy }, T0)).apiKey;
  const keys: LambdaWorld['keys'] = {
    shop: await tenant('shop'),
    gated: await tenant('gated', { scenarios: { register: { challengeAt: 0 } } }),
    capped: await tenant('capped', { usage: { perMinute: 1 } }),
    lister: await tenant('lister'),
    admin: await issueAdminKey(stores.tenants, T0),
  };
  const call = async (method: string, path: string, o: CallOptions = {}): Promise<Res> => {
    const base = apiEvent(method, path, { key: o.key, query: o.query });
    const edge = o.edge ?? 'through';
    const headers: Record<string, string> = {
      ...(base.headers as Record<string, string>),
      'content-type': o.contentType ?? 'application/json',
      'user-agent': BROWSER_UA,
      ...(edge !== 'direct' && { [ORIGIN_SECRET_HEADER]: ORIGIN_SECRET }),
      ...(edge === 'through' && { [VIEWER_ADDRESS_HEADER]: `${o.viewerIp ?? '81.2.69.10'}:44321` }),
      ...o.headers,
    };
    const body = o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    const result = (await handler({ ...base, headers, body }, context)) as APIGatewayProxyStructuredResultV2;
    const resHeaders = (result.headers ?? {}) as Record<string, string>;
    const res = { status: result.statusCode ?? 200, headers: resHeaders, body: parse(result.body, resHeaders['content-type']) };
    observed.push({ method, path, status: res.status });
    return res;
  };
  return {
    name: 'Lambda function',
    keys,
    call,
    handler: app.handler,
    sender,
    reputationKeyId: app.reputation.keyId,
    keysDown: (run) =>
      faults.during(['tenants'], () => {
        app.directory.invalidate();
        return run();
      }),
    storesDown: (names, run) => faults.during(names, run),
    keyListsFull: async (run) => {
      keyListsFull = true;
      try {
        return await run();
      } finally {
        keyListsFull = false;
      }
    },
  };
}

/** The tenant store with its key listings refused, as a store refuses a holder over its bound, while `full()`. */
function boundedKeyLists(store: TenantStore, full: () => boolean): TenantStore {
  return {
    getTenant: (id) => store.getTenant(id),
    putTenant: (tenant) => store.putTenant(tenant),
    getApiKey: (keyHash) => store.getApiKey(keyHash),
    putApiKey: (record) => store.putApiKey(record),
    listApiKeys: async (tenantId) => {
      if (full()) throw tooManyKeys(tenantId, 0);
      return store.listApiKeys(tenantId);
    },
  };
}

/** Local mode as `npm start` runs it (memory stores), over HTTP on loopback. */
async function localWorld(observed: Observed, dir: string) {
  const server = await startLocalServer({
    port: 0,
    dataDir: dir,
    store: 'memory',
    logger: quiet,
    clock: new ManualClock(T0),
    geo: testGeo,
    jointDefenseEveryMs: 0,
  });
  const tenants = server.tenantStore;
  const shop = (await createTenant(tenants, { id: 'shop' }, T0)).apiKey;
  const outboxFile = join(dir, 'outbox.jsonl');
  const call = async (method: string, path: string, o: CallOptions = {}): Promise<Res> => {
    const url = new URL(path, server.url);
    for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.set(k, v);
    const response = await fetch(url, {
      method,
      headers: {
        'content-type': o.contentType ?? 'application/json',
        'user-agent': BROWSER_UA,
        ...(o.key !== undefined && { authorization: `Bearer ${o.key}` }),
      },
      body: o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body)),
      signal: AbortSignal.timeout(10_000),
    });
    const headers = Object.fromEntries(response.headers.entries());
    const res = { status: response.status, headers, body: parse(await response.text(), headers['content-type']) };
    observed.push({ method, path, status: res.status });
    return res;
  };
  const world: LocalWorld = {
    name: 'local mode',
    keys: { shop, admin: server.adminApiKey },
    demoKey: server.demoApiKey!,
    tenants,
    call,
    invalidateKeys: () => server.app.directory.invalidate(),
    keysDown: async (run) => {
      const getApiKey = tenants.getApiKey;
      tenants.getApiKey = () => Promise.reject(throttled());
      server.app.directory.invalidate();
      try {
        return await run();
      } finally {
        tenants.getApiKey = getApiKey;
      }
    },
    outboxBroken: async (run) => {
      await rm(outboxFile, { force: true });
      await mkdir(outboxFile);
      try {
        return await run();
      } finally {
        await rmdir(outboxFile);
      }
    },
  };
  return { world, server };
}

// ---------------------------------------------------------------------------------------------
// The checks

const dir = await mkdtemp(join(tmpdir(), 'sms-shield-statuses-'));
const lambdaObserved: Observed = [];
const localObserved: Observed = [];
const lambda = await lambdaWorld(lambdaObserved);
const local = await localWorld(localObserved, dir);

afterAll(async () => {
  await local.server.close();
  await rm(dir, { recursive: true, force: true });
});

const lambdaDoc = (await lambda.call('GET', '/openapi.json')).body as Doc;
const localDoc = (await local.world.call('GET', '/openapi.json')).body as Doc;

interface Plan<W extends World> {
  readonly op: string;
  readonly status: string;
  readonly documented: boolean;
  readonly cases: readonly Case<W>[];
}

/**
 * Every (operation, status) to check: the documented ones that a request can get (each with its
 * cases, shared and own, possibly none), and any status a case exists for that the document
 * lacks (its cases run, and what they observe is then undocumented).
 */
function plan<W extends World>(ops: Map<string, DocOperation>, own: Cases<W>, edge: boolean): Plan<W>[] {
  const plans: Plan<W>[] = [];
  for (const [key, op] of ops) {
    const cases: Record<string, Case<W>[]> = sharedCases<W>(key, op, edge);
    for (const [status, list] of Object.entries(own[key] ?? {})) (cases[status] ??= []).push(...list);
    const documented = drivableStatuses(op);
    for (const status of new Set([...documented, ...Object.keys(cases)])) {
      plans.push({ op: key, status, documented: documented.includes(status), cases: cases[status] ?? [] });
    }
  }
  return plans;
}

/** Fails listing every item in the message (a diff of long arrays would hide them behind "…"). */
function expectNone(items: readonly string[], what: string): void {
  expect(items, `${what}:\n  ${items.join('\n  ')}\n`).toEqual([]);
}

/** Served routes against documented operations, both ways, each difference named. */
function expectSameRoutes(documented: readonly string[], handler: ApiHandler): void {
  const served = servedRoutes(handler).map((r) => `${r.method} ${r.path}`);
  expectNone(
    served.filter((op) => !documented.includes(op)),
    'routes served without an operation in the document (add it to openapi-operations.ts)',
  );
  expectNone(
    documented.filter((op) => !served.includes(op)),
    'operations documented that the handler does not serve',
  );
}

function checks<W extends World>(world: () => W, doc: Doc, ops: Map<string, DocOperation>, own: Cases<W>, observed: Observed, edge: boolean): void {
  const plans = plan(ops, own, edge);

  it('has cases for each operation of the document, and no cases for an operation it lacks', () => {
    const missing = plans.filter((p) => p.documented && p.cases.length === 0).map((p) => `${p.op} → ${p.status}`);
    expectNone(
      missing,
      `documented statuses no case drives: add cases for them to ${edge ? 'ROUTE_CASES' : 'LOCAL_ROUTE_CASES'} in test/e2e/openapi-statuses.test.ts`,
    );
    expectNone(
      Object.keys(own).filter((key) => !ops.has(key)),
      'cases for operations the document does not list',
    );
  });

  for (const p of plans) {
    it(`${p.op} → ${p.status}`, async () => {
      // A status nobody can drive is reported by the test above, once per run.
      for (const c of p.cases) {
        const res = await c.run(world());
        expect(res.status, `${p.op} (${c.label}): ${JSON.stringify(res.body)?.slice(0, 300)}`).toBe(Number(p.status));
      }
      expect(p.documented, `${p.op} answers ${p.status}, which the document does not list for it`).toBe(true);
    });
  }

  it('answers no status the document does not list, on any route (set-up calls included)', () => {
    const documented = docOperations(doc);
    const seen = observedStatuses(observed, doc);
    const undocumented: string[] = [];
    for (const [op, statuses] of seen) {
      // The shared Throttled answer is API Gateway's: the function answering that status is undocumented.
      for (const status of statuses) {
        const response = documented.get(op)?.responses[status];
        if (!response || response.$ref === THROTTLED) undocumented.push(`${op} → ${status}`);
      }
    }
    expectNone(undocumented, 'statuses answered that the document does not list for the operation');
    expectNone(
      [...seen.keys()].filter((op) => !documented.has(op)),
      'requests that reached no documented operation',
    );
  });

  it('observed every documented status a request can get', () => {
    const seen = observedStatuses(observed, doc);
    const unseen = plans.filter((p) => p.documented && !seen.get(p.op)?.has(p.status)).map((p) => `${p.op} → ${p.status}`);
    expectNone(unseen, 'documented statuses no request was answered with');
  });
}

describe('OpenAPI statuses, Lambda function (in process, behind the public-edge guard)', () => {
  const ops = docOperations(lambdaDoc);

  it('documents exactly the routes the function serves, and none of the local-only ones', () => {
    expectSameRoutes([...ops.keys()], lambda.handler);
    expectNone(
      [...ops].filter(([, op]) => op['x-sms-shield-local-only']).map(([key]) => key),
      'local-only operations in the document of the Lambda function',
    );
  });

  it("lists API Gateway's throttle on every operation (429, its own or the shared one)", () => {
    expectNone(
      [...ops].filter(([, op]) => !op.responses['429']).map(([key]) => key),
      'operations without a 429',
    );
  });

  checks(() => lambda, lambdaDoc, ops, ROUTE_CASES, lambdaObserved, true);
});

describe('OpenAPI statuses, local mode (its local-only routes, over HTTP)', () => {
  const all = docOperations(localDoc);
  const localOnly = new Map([...all].filter(([, op]) => op['x-sms-shield-local-only']));

  it("is the Lambda function's document plus the local-only operations local mode serves", () => {
    expectSameRoutes([...all.keys()], local.server.app.handler);
    expect([...localOnly.keys()].sort()).toEqual(['GET /demo', 'GET /v1/outbox', 'GET /v1/sdk.js', 'POST /demo/send']);
    const paths = Object.fromEntries(
      Object.entries(localDoc.paths)
        .map(([path, methods]) => [path, Object.fromEntries(Object.entries(methods).filter(([, op]) => !op['x-sms-shield-local-only']))] as const)
        .filter(([, methods]) => Object.keys(methods).length > 0),
    );
    expect({ ...localDoc, paths }).toEqual(lambdaDoc);
  });

  checks(() => local.world, localDoc, localOnly, LOCAL_ROUTE_CASES, localObserved, false);
});
