import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedRoutes } from '../../lambdas/handlers/http-api';
import { jsonSchemaOf, openApiDocument } from '../../lambdas/handlers/openapi';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
import { sendRequestSchema } from '../../lambdas/service/schemas';
import type { ServiceLogger } from '../../lambdas/service/shield-service';

const logger: ServiceLogger = { info: () => {}, warn: () => {}, error: () => {} };
let server: LocalServer;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-openapi-'));
  server = await startLocalServer({ port: 0, dataDir: dir, logger, jointDefenseEveryMs: 0 });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { security: unknown[]; requestBody?: { content: Record<string, { schema: unknown }> }; 'x-sms-shield-local-only'?: boolean }>
  >;
};
const specOperations = (doc: Doc) => Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));

describe('OpenAPI document', () => {
  it('is served at /openapi.json without a key', async () => {
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('documents exactly the routes the router serves (local mode serves them all)', () => {
    const served = servedRoutes(server.app.handler).map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(20);
    expect(new Set(served).size).toBe(served.length);
    expect(specOperations(openApiDocument() as Doc).sort()).toEqual([...served].sort());
  });

  it('marks the local-only routes, and every other one is served by the Lambda handler', () => {
    const doc = openApiDocument() as Doc;
    const localOnly = specOperations(doc).filter((op) => {
      const [method, path] = op.split(' ') as [string, string];
      return doc.paths[path]?.[method.toLowerCase()]?.['x-sms-shield-local-only'];
    });
    expect(localOnly.sort()).toEqual(['GET /demo', 'GET /v1/outbox', 'GET /v1/sdk.js', 'POST /demo/send']);
  });

  it('derives request bodies from the zod schemas the handlers validate with', () => {
    const doc = openApiDocument() as Doc;
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
    const doc = openApiDocument() as Doc & { components: { schemas: Record<string, any> } };
    const params = (path: string) => (doc.paths[path]?.get as unknown as { parameters?: { name: string; required: boolean }[] } | undefined)?.parameters ?? [];
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
    expect(doc.paths['/v1/lists']?.post as unknown).toHaveProperty(['responses', '409']);
    expect(doc.paths['/v1/admin/lists']?.post as unknown).toHaveProperty(['responses', '409']);
  });

  it('is internally consistent: unique operation ids, declared path parameters, resolvable $refs', () => {
    const doc = openApiDocument() as Doc & { components: { schemas: Record<string, unknown> } };
    const ids: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      const placeholders = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const op of Object.values(ops) as unknown as { operationId: string; parameters?: { name: string; in: string }[] }[]) {
        ids.push(op.operationId);
        expect(
          (op.parameters ?? [])
            .filter((p) => p.in === 'path')
            .map((p) => p.name)
            .sort(),
          path,
        ).toEqual(placeholders);
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1] as string);
    expect(refs.length).toBeGreaterThan(0);
    for (const name of refs) expect(doc.components.schemas, name).toHaveProperty(name);
  });
});
