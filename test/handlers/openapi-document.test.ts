/**
 * The OpenAPI document the Lambda function serves, read from its own handler: the routes it
 * serves and none of the local-only ones, every operation described, shared answers written
 * once, request schemas from the zod schemas, and a document that holds together. What each
 * operation answers is checked against the handler in test/e2e/openapi-statuses.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { servedRoutes } from '../../lambdas/handlers/http-api';
import { jsonSchemaOf, openApiDocument } from '../../lambdas/handlers/openapi';
import { ManualClock } from '../../lambdas/ports/clock';
import { sendRequestSchema } from '../../lambdas/service/schemas';
import { createTenant, issueAdminKey } from '../../lambdas/service/tenant-admin';
import { invoke } from '../support/api-event';
import { T0 } from '../support/engine';
import { memoryShield } from '../support/shield';

interface DocOperation {
  readonly operationId: string;
  readonly summary?: string;
  readonly description?: string;
  readonly security: Record<string, unknown>[];
  readonly parameters?: { name: string; in: string; required: boolean }[];
  readonly requestBody?: { content: Record<string, { schema: unknown }> };
  readonly responses: Record<string, { $ref?: string; description?: string }>;
  readonly 'x-sms-shield-local-only'?: boolean;
}
interface Doc {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, DocOperation>>;
  readonly components: { schemas: Record<string, any>; responses: Record<string, unknown> };
}

const CHALLENGE_SECRET = 'openapi-document-secret-0123456789';
const { app, stores } = memoryShield(new ManualClock(T0), (s) => ({ manMachine: { secret: CHALLENGE_SECRET, replays: s.replays } }));
const served = (await invoke(app.handler, 'GET', '/openapi.json')) as { status: number; body: Doc };
const doc = served.body;
const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as const),
);

describe("the Lambda function's OpenAPI document", () => {
  it('is served at /openapi.json without a key, and is the default document', () => {
    expect(served.status).toBe(200);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('documents exactly the routes the function serves: none of the local-only ones', () => {
    const routes = servedRoutes(app.handler).map((r) => `${r.method} ${r.path}`);
    expect(routes.length).toBeGreaterThan(20);
    expect(operations.map(([key]) => key).sort()).toEqual([...routes].sort());
    for (const local of ['GET /v1/outbox', 'GET /v1/sdk.js', 'GET /demo', 'POST /demo/send']) expect(routes).not.toContain(local);
    expect(operations.filter(([, op]) => op['x-sms-shield-local-only'])).toEqual([]);
  });

  it('does not serve the local-only routes it leaves out (404), so it advertises nothing it lacks', async () => {
    for (const [method, path] of [
      ['GET', '/v1/outbox'],
      ['GET', '/v1/sdk.js'],
      ['GET', '/demo'],
      ['POST', '/demo/send'],
    ] as const) {
      expect((await invoke(app.handler, method, path, { body: method === 'POST' ? { phone: '+447400123456' } : undefined })).status, path).toBe(404);
    }
  });

  it('is the same for every caller and holds nothing of the deployment: no tenant, key or secret', async () => {
    const { tenant, apiKey } = await createTenant(stores.tenants, { id: 'acme-secretive', name: 'Acme Secretive', policy: { mode: 'shadow' } }, T0);
    const admin = await issueAdminKey(stores.tenants, T0);
    const answers = [
      await invoke(app.handler, 'GET', '/openapi.json', { key: apiKey }),
      await invoke(app.handler, 'GET', '/openapi.json', { key: admin }),
      await invoke(app.handler, 'GET', '/openapi.json', { query: { served: 'GET /v1/outbox', tenant: tenant.id } }),
      await invoke(app.handler, 'GET', '/openapi.json/'),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(doc);
    }
    const text = JSON.stringify(doc);
    for (const secret of [apiKey, admin, tenant.id, tenant.name, CHALLENGE_SECRET]) expect(text).not.toContain(secret);
  });

  it('adds a local-only operation only when it is served', () => {
    const withOutbox = openApiDocument({ served: ['GET /v1/outbox', 'GET /nowhere'] }) as unknown as Doc;
    expect(withOutbox.paths['/v1/outbox']?.get?.['x-sms-shield-local-only']).toBe(true);
    expect(withOutbox.paths['/demo']).toBeUndefined();
    expect(withOutbox.paths['/nowhere']).toBeUndefined();
    expect({ ...withOutbox, paths: { ...withOutbox.paths, '/v1/outbox': undefined } }).toEqual({ ...doc, paths: { ...doc.paths, '/v1/outbox': undefined } });
  });

  it('describes every operation: a one-line summary and a description that says more', () => {
    for (const [key, op] of operations) {
      expect(op.summary, key).toMatch(/\S/);
      expect(op.summary, key).not.toContain('\n');
      expect(op.description, key).toMatch(/\S.{40,}/);
      expect(op.description, key).not.toBe(op.summary);
    }
    for (const key of ['POST /v1/sms/send', 'POST /v1/otp/send']) {
      const description = operations.find(([k]) => k === key)?.[1].description;
      expect(description, key).toMatch(/idempotencyKey/);
      expect(description, key).toMatch(/shadow mode/);
    }
  });

  it('gives every route of a kind the answers the middleware gives it, from the shared responses', () => {
    const shared = (name: string) => ({ $ref: `#/components/responses/${name}` });
    for (const [key, op] of operations) {
      const auth = op.security.flatMap((s) => Object.keys(s));
      if (op.requestBody) {
        expect(op.responses['413'], key).toEqual(shared('PayloadTooLarge'));
        expect(op.responses['415'], key).toEqual(shared('UnsupportedMediaType'));
        expect(op.responses, key).toHaveProperty('400');
      }
      if (auth.includes('adminKey') || auth.includes('tenantKey')) {
        expect(op.responses['401'], key).toEqual(shared('Unauthorized'));
        expect(op.responses, key).toHaveProperty('503');
      }
      // A signed hook answers in its caller's shape: a 401 of its own, and no 503 (Supabase reads only a 200).
      if (auth.includes('supabaseHookSignature')) expect(op.responses, key).not.toHaveProperty('503');
      if (auth.includes('adminKey')) expect(op.responses['403'], key).toEqual(shared('Forbidden'));
      // API Gateway throttles every route of the stage.
      expect(op.responses, key).toHaveProperty('429');
    }
    // Each shared answer is written once, in components.
    expect(Object.keys(doc.components.responses).sort()).toEqual(
      ['BadRequest', 'Forbidden', 'PayloadTooLarge', 'StoreUnavailable', 'Throttled', 'Unauthorized', 'UnsupportedMediaType'].sort(),
    );
  });

  it('lists the statuses that were missing: 409, 422, 413, 415, 503 and the admin 404 and 409', () => {
    const statuses = (key: string) => Object.keys(operations.find(([k]) => k === key)?.[1].responses ?? {});
    expect(statuses('POST /v1/sms/send')).toEqual(expect.arrayContaining(['409', '413', '415', '422', '503', '504']));
    expect(statuses('POST /v1/otp/send')).toEqual(expect.arrayContaining(['409', '413', '415', '422', '503', '504']));
    expect(statuses('GET /v1/admin/tenants/{id}')).toContain('404');
    expect(statuses('POST /v1/admin/tenants')).toContain('409');
    expect(statuses('POST /v1/admin/reputation')).toContain('409');
    // 202 is what the route answers; it never answers 200.
    expect(statuses('POST /v1/events/verification')).toContain('202');
    expect(statuses('POST /v1/events/verification')).not.toContain('200');
  });

  it('derives request bodies from the zod schemas the handlers validate with', () => {
    const send = doc.paths['/v1/sms/send']?.post;
    expect(send?.requestBody?.content['application/json']?.schema).toEqual(jsonSchemaOf(sendRequestSchema));
    expect(send?.requestBody?.content['application/json']?.schema).toMatchObject({
      required: ['phone', 'scenario', 'ip', 'message'],
      additionalProperties: false,
    });
    expect(send?.security).toEqual([{ tenantKey: [] }]);
    expect(doc.paths['/health']?.get?.security).toEqual([]);
  });

  it('documents the paging of list reads: limit, cursor and nextCursor', () => {
    const params = (path: string) => doc.paths[path]?.get?.parameters ?? [];
    expect(params('/v1/lists').map((p) => [p.name, p.required])).toEqual([
      ['limit', false],
      ['cursor', false],
    ]);
    expect(params('/v1/admin/lists').map((p) => [p.name, p.required])).toEqual([
      ['scope', true],
      ['limit', false],
      ['cursor', false],
    ]);
    expect(doc.components.schemas.ListEntries.properties).toHaveProperty('nextCursor');
    expect(doc.paths['/v1/lists']?.post?.responses).toHaveProperty('409');
    expect(doc.paths['/v1/admin/lists']?.post?.responses).toHaveProperty('409');
  });

  it('is internally consistent: unique operation ids, declared path parameters, resolvable $refs, statuses in order', () => {
    const ids: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      const placeholders = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const op of Object.values(ops)) {
        ids.push(op.operationId);
        expect(
          (op.parameters ?? [])
            .filter((p) => p.in === 'path')
            .map((p) => p.name)
            .sort(),
          path,
        ).toEqual(placeholders);
        const statuses = Object.keys(op.responses);
        expect(statuses, path).toEqual([...statuses].sort());
        for (const status of statuses) expect(status, path).toMatch(/^[1-5]\d\d$/);
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(schemas|responses)\/(\w+)"/g)].map(
      (m) => [m[1] as 'schemas' | 'responses', m[2] as string] as const,
    );
    expect(refs.filter(([kind]) => kind === 'responses').length).toBeGreaterThan(0);
    for (const [kind, name] of refs) expect(doc.components[kind], name).toHaveProperty(name);
    expect(JSON.stringify(doc).match(/"\$ref":"(?!#\/components\/(schemas|responses)\/)/g)).toBeNull();
  });
});
