import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalServerOptions, startLocalServer } from '../../lambdas/local/server';
import { hashApiKey } from '../../lambdas/service/api-keys';
import { ADMIN_TENANT_ID } from '../../lambdas/service/tenant-directory';
import { testGeo } from '../support/engine';
import { callJson } from '../support/http-call';
import { quiet } from '../support/shield';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-local-admin-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Start local mode on `dir`, run `use` against it, stop it. */
async function start<T>(options: Partial<LocalServerOptions>, use: (server: Awaited<ReturnType<typeof startLocalServer>>) => Promise<T>): Promise<T> {
  const server = await startLocalServer({ port: 0, dataDir: dir, logger: quiet, geo: testGeo, jointDefenseEveryMs: 0, ...options });
  try {
    return await use(server);
  } finally {
    await server.close();
  }
}
const adminRecords = (server: Awaited<ReturnType<typeof startLocalServer>>) => server.tenantStore.listApiKeys(ADMIN_TENANT_ID);
const keyFile = () => join(dir, 'admin-key');

describe('local mode admin key with --persist', () => {
  it('reuses the saved admin key across starts: same key, one admin key record, file mode 600', async () => {
    const first = await start({ persist: true }, async (server) => server.adminApiKey);
    expect((await stat(keyFile())).mode & 0o777).toBe(0o600);
    expect((await readFile(keyFile(), 'utf8')).trim()).toBe(first);
    await start({ persist: true }, async (server) => {
      expect(server.adminApiKey).toBe(first);
      expect((await callJson(server.url, 'GET', '/v1/admin/keys', first)).status).toBe(200);
      expect(await adminRecords(server)).toEqual([expect.objectContaining({ keyHash: hashApiKey(first) })]);
    });
  });

  it('issues and saves a new key once the saved one was revoked, and the revoked one stays revoked', async () => {
    const first = await start({ persist: true }, async (server) => {
      // Rotate the start key away through the API, as an operator would.
      const rotated = await callJson(server.url, 'POST', '/v1/admin/keys', server.adminApiKey, { revokeKeyId: hashApiKey(server.adminApiKey) });
      expect(rotated.status).toBe(201);
      return server.adminApiKey;
    });
    const second = await start({ persist: true }, async (server) => {
      expect(server.adminApiKey).not.toBe(first);
      expect((await callJson(server.url, 'GET', '/v1/admin/keys', first)).status).toBe(401);
      expect((await callJson(server.url, 'GET', '/v1/admin/keys', server.adminApiKey)).status).toBe(200);
      expect(await adminRecords(server)).toHaveLength(3);
      return server.adminApiKey;
    });
    expect((await readFile(keyFile(), 'utf8')).trim()).toBe(second);
    expect((await stat(keyFile())).mode & 0o777).toBe(0o600);
  });

  it('lets SMS_SHIELD_ADMIN_KEY (adminApiKey) win over the saved key, and leaves the file alone', async () => {
    const saved = await start({ persist: true }, async (server) => server.adminApiKey);
    const asked = `ssk_${randomBytes(32).toString('base64url')}`;
    await start({ persist: true, adminApiKey: asked }, async (server) => {
      expect(server.adminApiKey).toBe(asked);
      expect((await callJson(server.url, 'GET', '/v1/admin/keys', asked)).status).toBe(200);
    });
    expect((await readFile(keyFile(), 'utf8')).trim()).toBe(saved);
  });

  it('ignores a saved key that is not an admin key of this data (e.g. a tenant key written there)', async () => {
    const tenantKey = await start({ persist: true }, async (server) => {
      const created = await callJson(server.url, 'POST', '/v1/admin/tenants', server.adminApiKey, { id: 'shop' });
      return created.body.apiKey as string;
    });
    await writeFile(keyFile(), `${tenantKey}\n`);
    await start({ persist: true }, async (server) => {
      expect(server.adminApiKey).not.toBe(tenantKey);
      expect((await callJson(server.url, 'GET', '/v1/admin/keys', server.adminApiKey)).status).toBe(200);
    });
  });
});

describe('local mode admin key without --persist', () => {
  it('issues a new key each start and saves none', async () => {
    const first = await start({}, async (server) => server.adminApiKey);
    const second = await start({}, async (server) => server.adminApiKey);
    expect(second).not.toBe(first);
    await expect(stat(keyFile())).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
