/**
 * The OpenAPI document local mode serves: the Lambda function's document plus the local-only
 * routes `npm start` serves. The Lambda function's own document is checked in
 * test/handlers/openapi-document.test.ts, the statuses in test/e2e/openapi-statuses.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedRoutes } from '../../lambdas/handlers/http-api';
import { openApiDocument } from '../../lambdas/handlers/openapi';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
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
  paths: Record<string, Record<string, { 'x-sms-shield-local-only'?: boolean }>>;
};
const specOperations = (doc: Doc) => Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
const LOCAL_ONLY = ['GET /demo', 'GET /v1/outbox', 'GET /v1/sdk.js', 'POST /demo/send'];

describe('OpenAPI document of local mode', () => {
  let doc: Doc;

  beforeAll(async () => {
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
  });

  it('is served at /openapi.json without a key', () => {
    expect(doc.openapi).toBe('3.1.0');
    const served = servedRoutes(server.app.handler).map((r) => `${r.method} ${r.path}`);
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument({ served }))));
  });

  it('documents exactly the routes the router serves, the local-only ones included', () => {
    const served = servedRoutes(server.app.handler).map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(20);
    expect(new Set(served).size).toBe(served.length);
    expect(specOperations(doc).sort()).toEqual([...served].sort());
  });

  it("marks the local-only routes; the rest is the Lambda function's document", () => {
    const localOnly = specOperations(doc).filter((op) => {
      const [method, path] = op.split(' ') as [string, string];
      return doc.paths[path]?.[method.toLowerCase()]?.['x-sms-shield-local-only'];
    });
    expect(localOnly.sort()).toEqual(LOCAL_ONLY);
    const lambda = openApiDocument() as unknown as Doc;
    expect(specOperations(lambda).sort()).toEqual(
      specOperations(doc)
        .filter((op) => !LOCAL_ONLY.includes(op))
        .sort(),
    );
  });
});
