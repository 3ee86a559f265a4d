import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lambdas/ports/clock';
import { MAX_KEYS_PER_TENANT } from '../../lambdas/ports/tenant-store';
import { hashApiKey } from '../../lambdas/service/api-keys';
import { createTenant, issueAdminKey } from '../../lambdas/service/tenant-admin';
import { ADMIN_TENANT_ID } from '../../lambdas/service/tenant-directory';
import { invoke } from '../support/api-event';
import { T0 } from '../support/engine';
import { memoryShield } from '../support/shield';

const ISO_T0 = new Date(T0).toISOString();

/** The shield on memory stores with one admin key and one tenant (`shop`). */
async function world() {
  const clock = new ManualClock(T0);
  const { app, stores } = memoryShield(clock);
  const admin = await issueAdminKey(stores.tenants, T0);
  const { apiKey: tenantKey } = await createTenant(stores.tenants, { id: 'shop' }, T0);
  const call = (method: string, path: string, key: string | undefined, body?: unknown) => invoke(app.handler, method, path, { key, body });
  /** Whether `key` is (still) accepted as an admin key. */
  const isAdmin = async (key: string) => (await call('GET', '/v1/admin/keys', key)).status === 200;
  return { clock, app, stores, admin, tenantKey, call, isAdmin };
}

let w: Awaited<ReturnType<typeof world>>;
beforeEach(async () => {
  w = await world();
});

describe('admin keys: list, issue, rotate, revoke', () => {
  it('lists the admin keys by id and dates, never a key', async () => {
    const second = (await w.call('POST', '/v1/admin/keys', w.admin)).body.apiKey as string;
    const listed = await w.call('GET', '/v1/admin/keys', w.admin);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      keys: [
        { keyId: hashApiKey(w.admin), createdAt: ISO_T0 },
        { keyId: hashApiKey(second), createdAt: ISO_T0 },
      ].sort((a, b) => a.keyId.localeCompare(b.keyId)),
    });
    const text = JSON.stringify(listed.body);
    for (const key of [w.admin, second, w.tenantKey]) expect(text).not.toContain(key);
    // A tenant's key never shows up among the admin keys.
    expect(text).not.toContain(hashApiKey(w.tenantKey));
  });

  it('issues a key answered once that works as an admin key at once', async () => {
    const issued = await w.call('POST', '/v1/admin/keys', w.admin);
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({ apiKey: expect.stringMatching(/^ssk_/), keyId: hashApiKey(issued.body.apiKey) });
    expect(await w.isAdmin(issued.body.apiKey)).toBe(true);
    // An admin key is no tenant key.
    expect((await w.call('POST', '/v1/verdicts', issued.body.apiKey, {})).status).toBe(401);
  });

  it('rotates in one call: the new key is stored first, the old one stops at once', async () => {
    expect(await w.isAdmin(w.admin)).toBe(true); // cached by the directory
    const rotated = await w.call('POST', '/v1/admin/keys', w.admin, { revokeKeyId: hashApiKey(w.admin) });
    expect(rotated.status).toBe(201);
    expect(rotated.body.revokedKeyId).toBe(hashApiKey(w.admin));
    expect(await w.isAdmin(rotated.body.apiKey)).toBe(true);
    expect(await w.isAdmin(w.admin)).toBe(false);
    const keys = (await w.call('GET', '/v1/admin/keys', rotated.body.apiKey)).body.keys;
    expect(keys).toContainEqual({ keyId: hashApiKey(w.admin), createdAt: ISO_T0, revokedAt: ISO_T0 });
  });

  it('revokes an admin key by id, at once in this process; a second revocation answers the same date', async () => {
    const other = (await w.call('POST', '/v1/admin/keys', w.admin)).body.apiKey as string;
    expect(await w.isAdmin(other)).toBe(true);
    w.clock.advance(5_000);
    const revoked = await w.call('DELETE', `/v1/admin/keys/${hashApiKey(other)}`, w.admin);
    expect(revoked).toMatchObject({ status: 200, body: { revokedKeyId: hashApiKey(other), revokedAt: new Date(T0 + 5_000).toISOString() } });
    expect(await w.isAdmin(other)).toBe(false);
    w.clock.advance(5_000);
    expect((await w.call('DELETE', `/v1/admin/keys/${hashApiKey(other)}`, w.admin)).body.revokedAt).toBe(new Date(T0 + 5_000).toISOString());
  });

  it('keeps the routes for admin keys: a tenant key gets 403, no key or a revoked admin key 401', async () => {
    const routes = [
      ['GET', '/v1/admin/keys'],
      ['POST', '/v1/admin/keys'],
      ['DELETE', `/v1/admin/keys/${hashApiKey(w.admin)}`],
      ['GET', '/v1/admin/tenants/shop/keys'],
    ] as const;
    for (const [method, path] of routes) {
      const body = method === 'POST' ? {} : undefined;
      expect((await w.call(method, path, w.tenantKey, body)).status, `${method} ${path}`).toBe(403);
      expect((await w.call(method, path, undefined, body)).status, `${method} ${path}`).toBe(401);
    }
    expect(await w.isAdmin(w.admin)).toBe(true);
  });

  it('answers 400 for a malformed key id or body, and writes nothing', async () => {
    expect((await w.call('DELETE', '/v1/admin/keys/not-a-key-id', w.admin)).status).toBe(400);
    expect((await w.call('DELETE', `/v1/admin/keys/${hashApiKey(w.admin).toUpperCase()}`, w.admin)).status).toBe(400);
    expect((await w.call('POST', '/v1/admin/keys', w.admin, { revokeKeyId: 'abc' })).status).toBe(400);
    expect((await w.call('POST', '/v1/admin/keys', w.admin, { tenantId: 'shop' })).status).toBe(400);
    expect((await w.call('GET', '/v1/admin/keys', w.admin)).body.keys).toHaveLength(1);
  });
});

describe('admin keys: threats', () => {
  it('answers an admin key id from a tenant key 404, like an unknown one, and leaves the tenant key alone', async () => {
    const tenantKeyId = hashApiKey(w.tenantKey);
    const viaTenantKey = await w.call('DELETE', `/v1/admin/keys/${tenantKeyId}`, w.admin);
    const unknown = await w.call('DELETE', `/v1/admin/keys/${'0'.repeat(64)}`, w.admin);
    expect(viaTenantKey.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(viaTenantKey.body.error.code).toBe(unknown.body.error.code);
    // Rotation through a tenant key's id is refused before any key is issued.
    expect((await w.call('POST', '/v1/admin/keys', w.admin, { revokeKeyId: tenantKeyId })).status).toBe(404);
    expect((await w.call('GET', '/v1/admin/keys', w.admin)).body.keys).toHaveLength(1);
    expect((await w.stores.tenants.getApiKey(tenantKeyId))?.revokedAt).toBeUndefined();
  });

  it('lets a leaked admin key revoke every other admin key but never the last one (409 LAST_ADMIN_KEY)', async () => {
    const leaked = (await w.call('POST', '/v1/admin/keys', w.admin)).body.apiKey as string;
    const spare = (await w.call('POST', '/v1/admin/keys', w.admin)).body.apiKey as string;
    for (const victim of [w.admin, spare]) expect((await w.call('DELETE', `/v1/admin/keys/${hashApiKey(victim)}`, leaked)).status).toBe(200);
    const last = await w.call('DELETE', `/v1/admin/keys/${hashApiKey(leaked)}`, leaked);
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('LAST_ADMIN_KEY');
    expect(await w.isAdmin(leaked)).toBe(true);
    // The way back (the construct's adminKeyGeneration) writes a fresh admin key record; then the leaked key can go.
    const recovered = await issueAdminKey(w.stores.tenants, T0);
    expect((await w.call('DELETE', `/v1/admin/keys/${hashApiKey(leaked)}`, recovered)).status).toBe(200);
    expect(await w.isAdmin(leaked)).toBe(false);
  });

  it('keeps one admin key live when two revocations race for the last two', async () => {
    const second = (await w.call('POST', '/v1/admin/keys', w.admin)).body.apiKey as string;
    const answers = await Promise.all([
      w.call('DELETE', `/v1/admin/keys/${hashApiKey(w.admin)}`, w.admin),
      w.call('DELETE', `/v1/admin/keys/${hashApiKey(second)}`, second),
    ]);
    expect(answers.map((a) => a.status)).toContain(409);
    const live = (await w.stores.tenants.listApiKeys(ADMIN_TENANT_ID)).filter((r) => r.revokedAt === undefined);
    expect(live.length).toBeGreaterThanOrEqual(1);
  });

  it(`refuses a key beyond ${MAX_KEYS_PER_TENANT} records (409 TOO_MANY_KEYS) while listing and revoking still work`, async () => {
    for (let i = 1; i < MAX_KEYS_PER_TENANT; i++) {
      await w.stores.tenants.putApiKey({ keyHash: i.toString(16).padStart(64, '0'), tenantId: ADMIN_TENANT_ID, createdAt: T0 / 1000 });
    }
    const refused = await w.call('POST', '/v1/admin/keys', w.admin);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('TOO_MANY_KEYS');
    expect((await w.call('GET', '/v1/admin/keys', w.admin)).body.keys).toHaveLength(MAX_KEYS_PER_TENANT);
    expect((await w.call('DELETE', `/v1/admin/keys/${'1'.padStart(64, '0')}`, w.admin)).status).toBe(200);
  });
});

describe("a tenant's keys", () => {
  it('lists them with their revocation, never a key; 404 for an unknown tenant, 400 for the admin id', async () => {
    const issued = await w.call('POST', '/v1/admin/tenants/shop/keys', w.admin, { revokeKeyId: hashApiKey(w.tenantKey) });
    const listed = await w.call('GET', '/v1/admin/tenants/shop/keys', w.admin);
    expect(listed.status).toBe(200);
    expect(listed.body.keys).toHaveLength(2);
    expect(listed.body.keys).toContainEqual({ keyId: hashApiKey(w.tenantKey), createdAt: ISO_T0, revokedAt: ISO_T0 });
    expect(listed.body.keys).toContainEqual({ keyId: issued.body.keyId, createdAt: ISO_T0 });
    for (const key of [w.tenantKey, issued.body.apiKey, w.admin]) expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(JSON.stringify(listed.body)).not.toContain(hashApiKey(w.admin));
    expect((await w.call('GET', '/v1/admin/tenants/nobody/keys', w.admin)).status).toBe(404);
    expect((await w.call('GET', `/v1/admin/tenants/${ADMIN_TENANT_ID}/keys`, w.admin)).status).toBe(400);
  });

  it('refuses a tenant key beyond the bound too', async () => {
    for (let i = 1; i < MAX_KEYS_PER_TENANT; i++) {
      await w.stores.tenants.putApiKey({ keyHash: i.toString(16).padStart(64, '0'), tenantId: 'shop', createdAt: T0 / 1000, revokedAt: T0 / 1000 });
    }
    expect((await w.call('POST', '/v1/admin/tenants/shop/keys', w.admin)).body.error.code).toBe('TOO_MANY_KEYS');
  });
});
