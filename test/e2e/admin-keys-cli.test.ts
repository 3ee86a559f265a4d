import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerAdminKeys } from '../../lambdas/cli/admin-keys-command';
import { registerTenants } from '../../lambdas/cli/tenants-command';
import { type LocalServer, startLocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import { hashApiKey } from '../../lambdas/service/api-keys';
import { issueAdminKey } from '../../lambdas/service/tenant-admin';
import { runCli } from '../support/cli';
import { T0, testGeo } from '../support/engine';
import { callJson } from '../support/http-call';
import { quiet } from '../support/shield';

/*
 * The key commands against local mode on dynalite: the DynamoDB adapter's byTenant index answers
 * the listings, as in AWS.
 */
const clock = new ManualClock(T0);
const ISO_T0 = new Date(T0).toISOString();
let server: LocalServer;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-admin-keys-'));
  server = await startLocalServer({ port: 0, dataDir: dir, logger: quiet, clock, geo: testGeo, jointDefenseEveryMs: 0 });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

const adminKeys = (key: string, ...args: string[]) => runCli(registerAdminKeys, ['admin-keys', ...args, '--url', server.url, '--key', key]);
const tenants = (key: string, ...args: string[]) => runCli(registerTenants, ['tenants', ...args, '--url', server.url, '--key', key]);
const keyFrom = (lines: string[]) => /API key \(shown once, stored only hashed\): (\S+)/.exec(lines.join('\n'))?.[1] ?? '';
const isAdmin = async (key: string) => (await callJson(server.url, 'GET', '/v1/admin/keys', key)).status === 200;

describe('sms-shield admin-keys', () => {
  it('lists, rotates and revokes admin keys; never prints a key it did not just issue', async () => {
    const first = server.adminApiKey;
    // Local mode issued it at start (dated by the wall clock).
    expect(await adminKeys(first, 'list')).toEqual([expect.stringMatching(new RegExp(`^${hashApiKey(first)}  created \\S+Z  live$`))]);

    const issuedLines = await adminKeys(first, 'rotate');
    const second = keyFrom(issuedLines);
    expect(second).toMatch(/^ssk_/);
    expect(issuedLines).toContain(`key id (to revoke it later): ${hashApiKey(second)}`);
    expect(await isAdmin(second)).toBe(true);

    // Rotate away the key the command runs with: the new one is shown, the old one stops at once.
    const rotated = await adminKeys(second, 'rotate', '--revoke', second);
    const third = keyFrom(rotated);
    expect(rotated).toContain(`revoked key ${hashApiKey(second)}`);
    expect(rotated.at(-1)).toBe('the key this command used is revoked: use the new one from now on');
    expect(await isAdmin(second)).toBe(false);
    expect(await isAdmin(third)).toBe(true);

    // Revoke by key id.
    expect(await adminKeys(third, 'revoke', '--revoke', hashApiKey(first))).toEqual([`revoked key ${hashApiKey(first)}`]);
    const listed = await adminKeys(third, 'list');
    expect(listed).toHaveLength(3);
    expect(listed).toContainEqual(expect.stringMatching(new RegExp(`^${hashApiKey(first)}  created \\S+Z  revoked ${ISO_T0}$`)));
    expect(listed).toContain(`${hashApiKey(third)}  created ${ISO_T0}  live`);
    for (const key of [first, second, third]) expect(listed.join('\n')).not.toContain(key);

    // The last live one stays: a clear error, and it still works.
    await expect(adminKeys(third, 'revoke', '--revoke', third)).rejects.toThrow(/^409 This is the last live admin key/);
    expect(await isAdmin(third)).toBe(true);
  });

  it('reads $SMS_SHIELD_ADMIN_KEY and $SMS_SHIELD_URL when --key and --url are left out', async () => {
    const key = keyFrom(await adminKeys(await liveAdminKey(), 'rotate'));
    vi.stubEnv('SMS_SHIELD_ADMIN_KEY', key);
    vi.stubEnv('SMS_SHIELD_URL', server.url);
    const lines = await runCli(registerAdminKeys, ['admin-keys', 'list']);
    expect(lines).toContain(`${hashApiKey(key)}  created ${ISO_T0}  live`);
  });

  it('answers a tenant key 403 and an unknown admin key id 404, in one line each', async () => {
    const admin = await liveAdminKey();
    const tenantKey = keyFrom(await tenants(admin, 'create', '--id', 'cli-shop'));
    await expect(adminKeys(tenantKey, 'list')).rejects.toThrow(/^403 /);
    await expect(adminKeys(admin, 'revoke', '--revoke', tenantKey)).rejects.toThrow(/^404 /);
    expect((await callJson(server.url, 'POST', '/v1/verdicts', tenantKey, {})).status).toBe(400);
  });
});

describe('sms-shield tenants keys', () => {
  it("lists a tenant's keys with their revocation; unknown tenant: 404", async () => {
    const admin = await liveAdminKey();
    const old = keyFrom(await tenants(admin, 'create', '--id', 'cli-rotor'));
    const fresh = keyFrom(await tenants(admin, 'rotate-key', '--id', 'cli-rotor', '--revoke', old));
    const lines = await tenants(admin, 'keys', '--id', 'cli-rotor');
    expect(lines.sort()).toEqual([`${hashApiKey(old)}  created ${ISO_T0}  revoked ${ISO_T0}`, `${hashApiKey(fresh)}  created ${ISO_T0}  live`].sort());
    expect(lines.join('\n')).not.toContain(old);
    await expect(tenants(admin, 'keys', '--id', 'cli-nobody')).rejects.toThrow(/^404 /);
  });
});

/** A live admin key for the next test (the first test may have rotated the start key away). */
async function liveAdminKey(): Promise<string> {
  if (await isAdmin(server.adminApiKey)) return server.adminApiKey;
  return issueAdminKey(server.tenantStore, T0);
}
