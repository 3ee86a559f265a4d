import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTenants } from '../../lambdas/cli/tenants-command';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import { hashApiKey } from '../../lambdas/service/api-keys';
import { runCli } from '../support/cli';
import { T0, testGeo } from '../support/engine';
import { quiet } from '../support/joint-defense';
import { callJson } from '../support/http-call';

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const clock = new ManualClock(T0);
let server: LocalServer;
let dir: string;
let admin: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-tenants-'));
  server = await startLocalServer({ port: 0, dataDir: dir, logger: quiet, clock, geo: testGeo, jointDefenseEveryMs: 0 });
  admin = server.adminApiKey;
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const call = (method: string, path: string, key: string | undefined, body?: unknown) => callJson(server.url, method, path, key, body);

const attempt = (phone: string, extra: Record<string, unknown> = {}) => ({
  phone,
  scenario: 'login',
  ip: '81.2.69.142',
  userAgent: BROWSER,
  device: 'd-1',
  ...extra,
});
const cli = (...args: string[]) => runCli(registerTenants, ['tenants', ...args, '--url', server.url, '--key', admin]);
const keyFrom = (lines: string[]) => /API key \(shown once, stored only hashed\): (\S+)/.exec(lines.join('\n'))?.[1] ?? '';

describe('tenants admin: API and CLI', () => {
  it('creates a tenant with the CLI; its key works, is shown once and stored only hashed', async () => {
    const lines = await cli('create', '--id', 'acme', '--name', 'Acme Ltd');
    expect(lines[0]).toBe('created tenant acme');
    const key = keyFrom(lines);
    expect(key).toMatch(/^ssk_/);
    expect(lines[2]).toBe(`key id (to revoke it later): ${hashApiKey(key)}`);
    expect((await call('POST', '/v1/verdicts', key, attempt('+44 7400 100001'))).status).toBe(200);
    const shown = await call('GET', '/v1/admin/tenants/acme', admin);
    expect(shown.body).toEqual({
      id: 'acme',
      name: 'Acme Ltd',
      createdAt: new Date(T0).toISOString(),
      policy: {},
      supabaseHook: { configured: false, rotating: false },
    });
    expect(JSON.stringify(shown.body)).not.toContain(key);
    expect((await call('POST', '/v1/admin/tenants', admin, { id: 'acme' })).status).toBe(409);
  });

  it('rotates a key: the new one works at once, the old one stops', async () => {
    const old = keyFrom(await cli('create', '--id', 'rotor'));
    const lines = await cli('rotate-key', '--id', 'rotor', '--revoke', old);
    const fresh = keyFrom(lines);
    expect(lines.at(-1)).toBe(`revoked key ${hashApiKey(old)}`);
    expect((await call('POST', '/v1/verdicts', fresh, attempt('+44 7400 100002'))).status).toBe(200);
    expect((await call('POST', '/v1/verdicts', old, attempt('+44 7400 100003'))).status).toBe(401);
    // Revoke the new one too, by key id.
    expect(await cli('revoke-key', '--id', 'rotor', '--revoke', hashApiKey(fresh))).toEqual([`revoked key ${hashApiKey(fresh)}`]);
    expect((await call('POST', '/v1/verdicts', fresh, attempt('+44 7400 100004'))).status).toBe(401);
  });

  it("sets a tenant's policy from a file, for that tenant only", async () => {
    const loose = keyFrom(await cli('create', '--id', 'loose'));
    const strict = keyFrom(await cli('create', '--id', 'strict'));
    const file = join(dir, 'policy.json');
    await writeFile(file, JSON.stringify({ numberLimits: { minute: 2 } }));
    const printed = JSON.parse((await cli('set-policy', '--id', 'loose', '--file', file)).join('\n'));
    expect(printed).toMatchObject({ id: 'loose', policy: { numberLimits: { minute: 2 } } });
    const twice = async (key: string, phone: string) => {
      const out: string[] = [];
      for (let i = 0; i < 2; i++) out.push((await call('POST', '/v1/verdicts', key, attempt(phone, { device: `p-${phone}` }))).body.verdict.decision);
      return out;
    };
    expect(await twice(loose, '+44 7400 100005')).toEqual(['allow', 'allow']);
    expect(await twice(strict, '+44 7400 100006')).toEqual(['allow', 'block']);
  });

  it("sets, rotates and clears a tenant's Supabase hook secret from a file, never printing it", async () => {
    await cli('create', '--id', 'supa');
    const secret = `v1,whsec_${Buffer.alloc(32, 3).toString('base64')}`;
    const next = `v1,whsec_${Buffer.alloc(32, 4).toString('base64')}`;
    const file = join(dir, 'hook-secret');
    await writeFile(file, `${secret}\n`);
    const set = await cli('set-supabase-hook', '--id', 'supa', '--secret-file', file);
    expect(set).toEqual(['Supabase hook secret set for tenant supa', 'hook URL: <API URL>/v1/hooks/supabase/supa/send-sms']);
    await writeFile(file, next);
    const rotated = await cli('set-supabase-hook', '--id', 'supa', '--secret-file', file, '--keep-previous', '--code-template', 'Supa code {code}');
    expect(rotated[0]).toBe('Supabase hook secret set for tenant supa (the previous one is still accepted)');
    const shown = JSON.parse((await cli('show', '--id', 'supa')).join('\n'));
    expect(shown.supabaseHook).toMatchObject({ configured: true, rotating: true, codeTemplate: 'Supa code {code}' });
    expect(await cli('clear-supabase-hook', '--id', 'supa')).toEqual(['Supabase hook secret cleared for tenant supa']);
    expect(JSON.parse((await cli('show', '--id', 'supa')).join('\n')).supabaseHook).toEqual({ configured: false, rotating: false });
    expect(JSON.stringify([set, rotated, shown])).not.toMatch(/whsec_/);
  });

  it('explains a bad policy field by field and writes nothing', async () => {
    await cli('create', '--id', 'picky');
    const unknown = await call('PUT', '/v1/admin/tenants/picky/policy', admin, { numberLimits: { minute: -1 }, colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body.error.details.fields).sort()).toEqual(['colour', 'numberLimits.minute']);
    const inverted = await call('PUT', '/v1/admin/tenants/picky/policy', admin, { scenarios: { login: { challengeAt: 80, blockAt: 50 } } });
    expect(inverted.status).toBe(400);
    expect(inverted.body.error.details.fields.policy).toMatch(/challengeAt/);
    expect((await call('GET', '/v1/admin/tenants/picky', admin)).body.policy).toEqual({});
    expect((await call('POST', '/v1/admin/tenants', admin, { id: 'Bad Id!' })).status).toBe(400);
    expect((await call('GET', '/v1/admin/tenants/nobody', admin)).status).toBe(404);
  });
});

describe('tenant isolation', () => {
  let a: string;
  let b: string;
  beforeAll(async () => {
    a = (await call('POST', '/v1/admin/tenants', admin, { id: 'tenant-a' })).body.apiKey;
    b = (await call('POST', '/v1/admin/tenants', admin, { id: 'tenant-b' })).body.apiKey;
  });

  it("never lets one tenant's id reach another tenant's keys, nor the admin key", async () => {
    expect((await call('DELETE', `/v1/admin/tenants/tenant-a/keys/${hashApiKey(b)}`, admin)).status).toBe(404);
    expect((await call('DELETE', `/v1/admin/tenants/tenant-a/keys/${hashApiKey(admin)}`, admin)).status).toBe(404);
    expect((await call('POST', '/v1/admin/tenants/tenant-a/keys', admin, { revokeKeyId: hashApiKey(b) })).status).toBe(404);
    expect((await call('POST', '/v1/verdicts', b, attempt('+44 7400 100007'))).status).toBe(200);
  });

  it('keeps the admin routes for admin keys: tenant keys get 403, no key 401', async () => {
    for (const [method, path] of [
      ['POST', '/v1/admin/tenants'],
      ['GET', '/v1/admin/tenants/tenant-b'],
      ['POST', '/v1/admin/tenants/tenant-b/keys'],
      ['PUT', '/v1/admin/tenants/tenant-b/policy'],
    ] as const) {
      const body = method === 'GET' ? undefined : {};
      expect((await call(method, path, a, body)).status, `${method} ${path}`).toBe(403);
      expect((await call(method, path, undefined, body)).status, `${method} ${path}`).toBe(401);
    }
  });

  it('keeps lists, outbox and one-time codes apart', async () => {
    await call('POST', '/v1/lists', a, { kind: 'number', value: '+44 7400 100008', action: 'block' });
    expect((await call('GET', '/v1/lists', b)).body.entries).toEqual([]);
    expect((await call('POST', '/v1/verdicts', b, attempt('+44 7400 100008'))).body.verdict.reasons).not.toContain('BLOCKLISTED_NUMBER');

    const phone = '+44 7400 100009';
    expect((await call('POST', '/v1/otp/send', a, attempt(phone, { template: 'A code: {code}' }))).status).toBe(200);
    const outboxA = (await call('GET', '/v1/outbox', a)).body.messages as { body: string }[];
    const code = /A code: (\d{6})/.exec(outboxA.at(-1)?.body ?? '')?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify((await call('GET', '/v1/outbox', b)).body.messages)).not.toContain('A code');
    // B cannot redeem (or burn) A's code.
    expect((await call('POST', '/v1/otp/verify', b, { phone, code })).body).toEqual({ verified: false, reason: 'NO_PENDING_CODE' });
    expect((await call('POST', '/v1/otp/verify', a, { phone, code })).body).toEqual({ verified: true });
  });
});
