import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShieldClient } from '../../client/src/index';
import { registerLists } from '../../lambdas/cli/lists-command';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import { createTenant } from '../../lambdas/service/tenant-admin';
import type { ServiceLogger } from '../../lambdas/service/shield-service';
import { runCli } from '../support/cli';
import { T0, testGeo } from '../support/engine';
import { callJson } from '../support/http-call';

const quiet: ServiceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const clock = new ManualClock(T0);
let server: LocalServer;
let dir: string;
let demo: string;
let other: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-list-pages-'));
  server = await startLocalServer({ port: 0, dataDir: dir, logger: quiet, clock, geo: testGeo, jointDefenseEveryMs: 0 });
  demo = server.demoApiKey ?? '';
  other = (await createTenant(server.tenantStore, { id: 'other' }, T0)).apiKey;
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const call = (method: string, path: string, key: string, body?: unknown) => callJson(server.url, method, path, key, body);

describe('paged list reads', () => {
  let pager: string;
  const values: string[] = [];
  const read = (path: string, key = pager) => call('GET', path, key);

  beforeAll(async () => {
    pager = (await createTenant(server.tenantStore, { id: 'pager' }, T0)).apiKey;
    for (let i = 0; i < 105; i++) {
      const value = `10.${Math.floor(i / 250)}.${i % 250}.0/24`;
      values.push(value);
      expect((await call('POST', '/v1/lists', pager, { kind: 'cidr', value, action: 'block' })).status).toBe(201);
    }
  });

  it('answers 100 entries and a nextCursor by default; the cursor gets the rest', async () => {
    const first = await read('/v1/lists');
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(100);
    expect(first.body.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await read(`/v1/lists?cursor=${first.body.nextCursor}`);
    expect(second.status).toBe(200);
    expect(second.body.entries).toHaveLength(5);
    expect(second.body).not.toHaveProperty('nextCursor');
    const seen = [...first.body.entries, ...second.body.entries].map((e: { value: string }) => e.value);
    expect(seen.sort()).toEqual([...values].sort());
  });

  it('takes ?limit= up to 500, and every entry comes once across pages', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await read(`/v1/lists?limit=40${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.entries.length).toBeLessThanOrEqual(40);
      seen.push(...page.body.entries.map((e: { value: string }) => e.value));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...values].sort());
    expect((await read('/v1/lists?limit=500')).body.entries).toHaveLength(105);
  });

  it('refuses a bad limit or cursor with 400 naming the parameter, never a 500', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
      ['limit=-1', 'limit'],
      ['cursor=not%20a%20cursor', 'cursor'],
      ['cursor=AAAA', 'cursor'],
      [`cursor=${'A'.repeat(2_000)}`, 'cursor'],
      [`cursor=${Buffer.from('t:pager#cidr#10.0.0.0/24').toString('base64url')}`, 'cursor'],
      ['colour=blue', 'colour'],
    ] as const) {
      const res = await read(`/v1/lists?${query}`);
      expect(res.status, query).toBe(400);
      expect(Object.keys(res.body.error.details.fields), query).toEqual([field]);
    }
  });

  it("never lets one tenant's cursor read another tenant's list", async () => {
    const cursor = (await read('/v1/lists?limit=2')).body.nextCursor as string;
    expect(cursor).toBeTruthy();
    const res = await read(`/v1/lists?cursor=${cursor}`, demo);
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toHaveProperty('cursor');
    expect(JSON.stringify(res.body)).not.toContain('10.0.');
  });

  it('hides stored keys: a cursor reveals no entry value or hash', async () => {
    await call('POST', '/v1/lists', other, { kind: 'number', value: '+44 7400 123123', action: 'block' });
    await call('POST', '/v1/lists', other, { kind: 'device', value: 'device-secret-id', action: 'block' });
    const page = await read('/v1/lists?limit=1', other);
    const cursor = page.body.nextCursor as string;
    const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
    for (const plain of ['t:other', '#device#', '#number#']) expect(decoded).not.toContain(plain);
    // Sealed with a fresh nonce: the same position reads as a different cursor each time.
    expect((await read('/v1/lists?limit=1', other)).body.nextCursor).not.toBe(cursor);
  });

  it('pages the admin route the same way, per scope', async () => {
    const admin = server.adminApiKey;
    const first = await read('/v1/admin/lists?scope=t:pager&limit=60', admin);
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(60);
    const second = await read(`/v1/admin/lists?scope=t:pager&limit=60&cursor=${first.body.nextCursor}`, admin);
    expect(second.body.entries).toHaveLength(45);
    expect(second.body).not.toHaveProperty('nextCursor');
    const elsewhere = await read(`/v1/admin/lists?scope=global&cursor=${first.body.nextCursor}`, admin);
    expect(elsewhere.status).toBe(400);
    expect((await read('/v1/admin/lists?scope=t:pager&limit=9999', admin)).status).toBe(400);
  });

  it('the CLI lists every page', async () => {
    const lines = await runCli(registerLists, ['lists', 'ls', '--url', server.url, '--key', pager]);
    expect(lines).toHaveLength(105);
    expect(lines.every((line) => line.startsWith('block  cidr  10.0.'))).toBe(true);
  });

  it('the typed client lists every page, or one page with its cursor', async () => {
    const client = new ShieldClient({ baseUrl: server.url, apiKey: pager });
    expect((await client.lists.list()).map((e) => e.value).sort()).toEqual([...values].sort());
    const page = await client.lists.page({ limit: 100 });
    expect(page.entries).toHaveLength(100);
    const rest = await client.lists.page({ cursor: page.nextCursor });
    expect(rest.entries).toHaveLength(5);
    expect(rest.nextCursor).toBeUndefined();
  });
});
