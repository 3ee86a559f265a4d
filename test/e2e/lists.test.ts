import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import { createTenant } from '../../lambdas/service/tenant-admin';
import type { ServiceLogger } from '../../lambdas/service/shield-service';
import { T0, testGeo } from '../support/engine';
import { callJson } from '../support/http-call';

const quiet: ServiceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const clock = new ManualClock(T0);
let server: LocalServer;
let dir: string;
let demo: string;
let other: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-lists-'));
  server = await startLocalServer({ port: 0, dataDir: dir, logger: quiet, clock, geo: testGeo });
  demo = server.demoApiKey ?? '';
  other = (await createTenant(server.tenantStore, { id: 'other' }, T0)).apiKey;
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const call = (method: string, path: string, key: string, body?: unknown) => callJson(server.url, method, path, key, body);

const verdict = async (key: string, phone: string, over: Record<string, unknown> = {}) =>
  (await call('POST', '/v1/verdicts', key, { phone, scenario: 'login', ip: '81.2.69.142', device: 'd-lists', userAgent: browser, ...over })).body.verdict;

describe('block and allow lists', () => {
  it('blocks every spelling of a tenant-blocked number, for that tenant only', async () => {
    const added = await call('POST', '/v1/lists', demo, { kind: 'number', value: '+44 7400 555666', action: 'block', reason: 'abuse report' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ scope: 't:demo', kind: 'number', value: '+44 74** ***666', action: 'block' });
    expect((await verdict(demo, '07400 555666', { country: 'GB' })).reasons).toContain('BLOCKLISTED_NUMBER');
    expect((await verdict(other, '+447400555666')).reasons).not.toContain('BLOCKLISTED_NUMBER');
  });

  it("keeps tenants from reading or removing each other's entries", async () => {
    expect((await call('GET', '/v1/lists', other)).body.entries).toEqual([]);
    const removed = await call('DELETE', '/v1/lists?kind=number&value=%2B447400555666', other);
    expect(removed.status).toBe(200);
    expect((await call('GET', '/v1/lists', demo)).body.entries).toHaveLength(1);
    clock.advance(61_000);
    expect((await verdict(demo, '+447400555666')).reasons).toContain('BLOCKLISTED_NUMBER');
  });

  it('lets an allow entry beat the rules, but never open a premium-rate number', async () => {
    await call('POST', '/v1/lists', demo, { kind: 'number', value: '+44 7400 600601', action: 'allow', reason: 'QA test number' });
    expect(await verdict(demo, '+44 7400 600601', { userAgent: 'curl/8.0', ip: '3.1.2.3' })).toMatchObject({
      decision: 'allow',
      reasons: ['ALLOWLISTED_NUMBER'],
    });
    expect((await verdict(demo, '+44 909 879 0001')).decision).toBe('block');
    await call('POST', '/v1/lists', demo, { kind: 'number', value: '+44 909 879 0001', action: 'allow', reason: 'QA test number' });
    expect(await verdict(demo, '+44 909 879 0001')).toMatchObject({ decision: 'block', reasons: ['PREMIUM_RATE_NUMBER', 'ALLOWLISTED_NUMBER'] });
  });

  it('applies global prefix and CIDR entries set by an admin to every tenant', async () => {
    const admin = server.adminApiKey;
    expect((await call('POST', '/v1/admin/lists', admin, { scope: 'global', kind: 'prefix', value: '+44 7400 9', action: 'block' })).status).toBe(201);
    expect((await call('POST', '/v1/admin/lists', admin, { scope: 'global', kind: 'cidr', value: '90.1.0.0/16', action: 'block' })).status).toBe(201);
    expect((await verdict(other, '+44 7400 912345')).reasons).toContain('BLOCKLISTED_PREFIX');
    expect((await verdict(demo, '+44 7400 812345', { ip: '90.1.2.3' })).reasons).toContain('BLOCKLISTED_IP');
    expect((await verdict(demo, '+44 7400 812346', { ip: '90.2.2.3' })).reasons).not.toContain('BLOCKLISTED_IP');
    const listed = await call('GET', '/v1/admin/lists?scope=global', admin);
    expect(listed.body.entries.map((e: { value: string }) => e.value).sort()).toEqual(['+4474009', '90.1.0.0/16']);
  });

  it('refuses IPv6 ranges that carry IPv4 addresses: they are checked as the IPv4 address inside', async () => {
    for (const value of ['2002::/16', '2001::/32', '64:ff9b::cb00:7100/120']) {
      const res = await call('POST', '/v1/lists', demo, { kind: 'cidr', value, action: 'block' });
      expect(res.status, value).toBe(400);
      expect(res.body.error.details.fields.value).toMatch(/IPv4/);
    }
    expect((await call('POST', '/v1/lists', demo, { kind: 'cidr', value: '2a00:1450::/32', action: 'block' })).status).toBe(201);
    await call('DELETE', '/v1/lists?kind=cidr&value=2a00%3A1450%3A%3A%2F32', demo);
  });

  it('expires entries with a TTL', async () => {
    await call('POST', '/v1/lists', demo, { kind: 'ip', value: '81.2.69.142', action: 'block', ttlSeconds: 120 });
    expect((await verdict(demo, '+44 7400 700001')).reasons).toContain('BLOCKLISTED_IP');
    clock.advance(121_000);
    expect((await verdict(demo, '+44 7400 700002')).reasons).not.toContain('BLOCKLISTED_IP');
  });

  it('keeps admin and tenant keys apart', async () => {
    expect((await call('GET', '/v1/admin/lists?scope=global', demo)).status).toBe(403);
    expect((await call('GET', '/v1/lists', server.adminApiKey)).status).toBe(401);
    expect((await call('GET', '/v1/admin/lists?scope=global', 'ssk_not_a_real_key')).status).toBe(401);
  });

  it('explains bad entries field by field', async () => {
    const res = await call('POST', '/v1/lists', demo, { kind: 'cidr', value: '10.0.0.0/40', action: 'block' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.value).toMatch(/CIDR/);
    const res2 = await call('POST', '/v1/lists', demo, { kind: 'colour', value: 'x', action: 'maybe' });
    expect(Object.keys(res2.body.error.details.fields).sort()).toEqual(['action', 'kind']);
  });
});
