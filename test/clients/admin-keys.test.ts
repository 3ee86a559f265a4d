/**
 * The key routes of the admin client, on a stub `fetch`: what goes on the wire and how answers
 * and refusals come back. (`GET` of a tenant's keys and the `/v1/admin/keys` routes follow the
 * API's spec for them; the local-server tests cover the routes it serves.)
 */
import { describe, expect, it } from 'vitest';
import { ShieldAdminClient, ShieldClientError, ShieldHttpError } from '../../client/src/index';
import { stubFetch } from '../support/stub-fetch';

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);
const admin = (fetch: typeof globalThis.fetch) => new ShieldAdminClient({ baseUrl: 'https://shield.test/prod/', adminKey: 'ssk_admin_1', fetch });

describe('admin client: keys', () => {
  it("lists a tenant's keys, and the admin keys, with the admin key as bearer", async () => {
    const keys = [
      { keyId: KEY_A, createdAt: '2026-01-02T03:04:05.000Z' },
      { keyId: KEY_B, createdAt: '2026-01-01T00:00:00.000Z', revokedAt: '2026-01-02T00:00:00.000Z' },
    ];
    const { fetch, requests } = stubFetch(() => ({ status: 200, body: { keys } }));
    const client = admin(fetch);
    expect(await client.tenants.keys.list('acme')).toEqual({ keys });
    expect(await client.keys.list()).toEqual({ keys });
    expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual(['GET /prod/v1/admin/tenants/acme/keys', 'GET /prod/v1/admin/keys']);
    for (const r of requests) {
      expect(r.headers.get('authorization')).toBe('Bearer ssk_admin_1');
      expect(r.body).toBeUndefined();
      expect(r.redirect).toBe('manual');
    }
  });

  it('issues an admin key, and rotates one in the same call', async () => {
    const { fetch, requests } = stubFetch((r) => ({
      status: 201,
      body: { apiKey: 'ssk_new', keyId: KEY_B, ...((r.body as { revokeKeyId?: string }).revokeKeyId && { revokedKeyId: KEY_A }) },
    }));
    const client = admin(fetch);
    expect(await client.keys.issue()).toEqual({ apiKey: 'ssk_new', keyId: KEY_B });
    expect(await client.keys.issue({ revokeKeyId: KEY_A })).toEqual({ apiKey: 'ssk_new', keyId: KEY_B, revokedKeyId: KEY_A });
    expect(requests.map((r) => [r.method, r.url.pathname, r.body, r.headers.get('content-type')])).toEqual([
      ['POST', '/prod/v1/admin/keys', {}, 'application/json'],
      ['POST', '/prod/v1/admin/keys', { revokeKeyId: KEY_A }, 'application/json'],
    ]);
  });

  it("issues and revokes a tenant's keys", async () => {
    const { fetch, requests } = stubFetch((r) =>
      r.method === 'DELETE'
        ? { status: 200, body: { revokedKeyId: KEY_A, revokedAt: '2026-01-02T03:04:05.000Z' } }
        : { status: 201, body: { apiKey: 'ssk_t', keyId: KEY_B } },
    );
    const client = admin(fetch);
    expect(await client.tenants.keys.issue('acme', { revokeKeyId: KEY_A })).toEqual({ apiKey: 'ssk_t', keyId: KEY_B });
    expect(await client.tenants.keys.revoke('acme', KEY_A)).toEqual({ revokedKeyId: KEY_A, revokedAt: '2026-01-02T03:04:05.000Z' });
    expect(requests.map((r) => [r.method, r.url.pathname, r.body])).toEqual([
      ['POST', '/prod/v1/admin/tenants/acme/keys', { revokeKeyId: KEY_A }],
      ['DELETE', `/prod/v1/admin/tenants/acme/keys/${KEY_A}`, undefined],
    ]);
  });

  it('revokes an admin key; the last live one comes back as 409 LAST_ADMIN_KEY', async () => {
    const lastKey = { error: { code: 'LAST_ADMIN_KEY', message: 'Revoking this key would leave no live admin key' } };
    const { fetch, requests } = stubFetch((r) =>
      r.url.pathname.endsWith(KEY_A) ? { status: 200, body: { revokedKeyId: KEY_A, revokedAt: '2026-01-02T03:04:05.000Z' } } : { status: 409, body: lastKey },
    );
    const client = admin(fetch);
    expect(await client.keys.revoke(KEY_A)).toEqual({ revokedKeyId: KEY_A, revokedAt: '2026-01-02T03:04:05.000Z' });
    const error = await client.keys.revoke(KEY_B).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShieldHttpError);
    expect(error).toMatchObject({ status: 409, code: 'LAST_ADMIN_KEY', message: lastKey.error.message, body: lastKey });
    expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([`DELETE /prod/v1/admin/keys/${KEY_A}`, `DELETE /prod/v1/admin/keys/${KEY_B}`]);
  });

  it('refuses a key id or tenant id that is not one before any request, so no value can reach another route', async () => {
    const { fetch, requests } = stubFetch();
    const client = admin(fetch);
    const attempts: (() => Promise<unknown>)[] = [
      () => client.keys.revoke('../tenants/acme'),
      () => client.keys.revoke(KEY_A.toUpperCase()),
      () => client.keys.issue({ revokeKeyId: 'ssk_the_key_itself' }),
      () => client.tenants.keys.revoke('acme', `${KEY_A}/..`),
      () => client.tenants.keys.list('..'),
      () => client.tenants.keys.issue('acme/../../keys'),
      () => client.tenants.get('acme?scope=global'),
      () => client.tenants.setPolicy('Acme', {}),
    ];
    for (const attempt of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ShieldClientError);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((error as Error).message).not.toContain('ssk_the_key_itself');
    }
    expect(requests).toHaveLength(0);
  });
});
