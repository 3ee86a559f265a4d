import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFeed } from '../../lambdas/cli/feed-command';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import { runCli } from '../support/cli';
import { testGeo } from '../support/engine';
import { quiet } from '../support/joint-defense';

const START = Math.floor(Date.now() / 60_000) * 60_000 + 5_000;
const ALLIANCE = 'alliance-secret-shared-by-alpha-and-beta';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const TENANTS = ['shop', 'social', 'saas', 'bank', 'news', 'games'];
const SPELLINGS = [
  { phone: '+44 7400 123456' },
  { phone: '07400 123456', country: 'GB' },
  { phone: '0044 7400 123456' },
  { phone: '447400123456' },
  { phone: '+44 (0)7400-123-456' },
  { phone: '+44.7400.123.456' },
];

interface Deployment {
  readonly server: LocalServer;
  readonly clock: ManualClock;
  readonly keys: Map<string, string>;
}
const dirs: string[] = [];
const deployments: Deployment[] = [];

/** An independent local deployment: its own data dir (own hashing key, own store), the shared alliance key, six tenants. */
async function deployment(allianceKey: string | undefined): Promise<Deployment> {
  const dir = await mkdtemp(join(tmpdir(), 'sms-shield-jd-'));
  dirs.push(dir);
  // Real time (the CLI signs and checks feeds against the real clock), moved by hand within it.
  const clock = new ManualClock(START);
  const server = await startLocalServer({ port: 0, dataDir: dir, logger: quiet, clock, geo: testGeo, allianceKey, jointDefenseEveryMs: 0 });
  const keys = new Map<string, string>();
  for (const id of TENANTS) {
    const created = await call(server, 'POST', '/v1/admin/tenants', server.adminApiKey, { id });
    expect(created.status).toBe(201);
    keys.set(id, created.body.apiKey);
  }
  const d = { server, clock, keys };
  deployments.push(d);
  return d;
}

async function call(server: LocalServer, method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const verdict = async (d: Deployment, tenant: string, spelling: { phone: string; country?: string }, n: number) =>
  (
    await call(d.server, 'POST', '/v1/verdicts', d.keys.get(tenant)!, {
      ...spelling,
      scenario: 'register',
      ip: `62.1.${n & 255}.${(n >> 8) + 1}`,
      userAgent: BROWSER,
      device: `dev-${n}`,
    })
  ).body.verdict as { decision: string; reasons: string[] };

/** A bombing tool on datacenter addresses sends through `tenant`: refused for what its requests show (evidence). */
const bomb = async (d: Deployment, tenant: string, spelling: { phone: string; country?: string }, n: number) =>
  call(d.server, 'POST', '/v1/sms/send', d.keys.get(tenant)!, {
    ...spelling,
    scenario: 'register',
    ip: `3.1.${n & 255}.${(n >> 8) + 1}`,
    userAgent: 'python-requests/2.31.0',
    device: `bot-${n}`,
    message: 'Your code is 123456',
  });

let alpha: Deployment;
let beta: Deployment;
let dir: string;
/** The alliance's members file: alpha's public feed key. */
let members: string;

beforeAll(async () => {
  [alpha, beta] = await Promise.all([deployment(ALLIANCE), deployment(ALLIANCE)]);
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-feed-'));
  dirs.push(dir);
  const printed = await runCli(registerFeed, ['feed', 'keygen', '--issuer', 'alpha', '--out', join(dir, 'alpha.pem')]);
  members = join(dir, 'members.json');
  await writeFile(members, printed[1]!.slice(printed[1]!.indexOf('{')));
});

afterAll(async () => {
  await Promise.all(deployments.map((d) => d.server.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('joint defense between two independent local deployments', () => {
  it('shares a bombing victim through a signed feed: export from one, import into the other, defused there', async () => {
    // Alpha: the victim is bombed through its six tenants for a minute; its job promotes the number.
    let n = 0;
    for (let tick = 0; tick < 6; tick++) {
      for (const [i, tenant] of TENANTS.entries()) await bomb(alpha, tenant, SPELLINGS[(tick + i) % 6]!, n++);
      alpha.clock.advance(10_000);
    }
    expect(await alpha.server.runJointDefense()).toMatchObject({ byReason: { JOINT_DEFENSE_VICTIM: 1 } });
    for (const tenant of TENANTS) expect((await verdict(alpha, tenant, SPELLINGS[0]!, n++)).reasons).toContain('JOINT_DEFENSE_VICTIM');
    // Beta has seen nothing: the number is fine there.
    expect((await verdict(beta, 'shop', SPELLINGS[1]!, 0)).reasons).not.toContain('JOINT_DEFENSE_VICTIM');

    // sms-shield feed export (alpha) → file → sms-shield feed import (beta).
    const feedFile = join(dir, 'alpha.json');
    const common = ['--alliance-key', ALLIANCE];
    const exported = await runCli(registerFeed, [
      'feed',
      'export',
      '--url',
      alpha.server.url,
      '--key',
      alpha.server.adminApiKey,
      ...common,
      '--issuer',
      'alpha',
      '--signing-key',
      join(dir, 'alpha.pem'),
      '--out',
      feedFile,
    ]);
    expect(exported).toEqual([`wrote 1 indicator(s) signed as alpha to ${feedFile}`]);
    const text = await readFile(feedFile, 'utf8');
    // Only hashed indicators leave the deployment: no number in any spelling.
    expect(text).not.toMatch(/7400|123456/);
    expect(JSON.parse(text)).toMatchObject({ format: 'sms-shield-feed/2', issuer: 'alpha', indicators: [{ kind: 'number', reason: 'JOINT_DEFENSE_VICTIM' }] });

    beta.clock.set(alpha.clock.now());
    const imported = await runCli(registerFeed, [
      'feed',
      'import',
      feedFile,
      '--url',
      beta.server.url,
      '--key',
      beta.server.adminApiKey,
      ...common,
      '--members',
      members,
    ]);
    expect(imported).toEqual(['feed of alpha: 1 live indicator(s), 1 merged, 0 unchanged']);
    // Beta now defuses the victim, in another spelling, at every tenant: no SMS without a challenge.
    for (const tenant of TENANTS) {
      const v = await verdict(beta, tenant, SPELLINGS[3]!, n++);
      expect(v.decision).toBe('challenge');
      expect(v.reasons).toContain('JOINT_DEFENSE_VICTIM');
    }
    const listed = await call(beta.server, 'GET', '/v1/admin/reputation?source=all', beta.server.adminApiKey);
    expect(listed.body.indicators).toEqual([
      expect.objectContaining({ source: 'feed:alpha', confidence: expect.closeTo(0.8 * JSON.parse(text).indicators[0].confidence, 2) }),
    ]);
    // An imported entry is not re-exported (no echo between partners).
    expect((await call(beta.server, 'GET', '/v1/admin/reputation', beta.server.adminApiKey)).body.indicators).toEqual([]);
  });

  it('rejects a tampered feed and imports nothing', async () => {
    const gamma = await deployment(ALLIANCE);
    const feedFile = join(dir, 'alpha.json');
    const feed = JSON.parse(await readFile(feedFile, 'utf8'));
    feed.indicators[0].expiresAt += 86_400; // a longer block than alpha signed
    const tampered = join(dir, 'tampered.json');
    await writeFile(tampered, JSON.stringify(feed));
    gamma.clock.set(alpha.clock.now());
    await expect(
      runCli(registerFeed, [
        'feed',
        'import',
        tampered,
        '--url',
        gamma.server.url,
        '--key',
        gamma.server.adminApiKey,
        '--alliance-key',
        ALLIANCE,
        '--members',
        members,
      ]),
    ).rejects.toThrow(/bad signature/);
    expect((await call(gamma.server, 'GET', '/v1/admin/reputation?source=all', gamma.server.adminApiKey)).body.indicators).toEqual([]);
  });

  it('keeps deployments outside the alliance out: no export with their key, no import into them', async () => {
    const loner = await deployment(undefined);
    const common = ['--url', loner.server.url, '--key', loner.server.adminApiKey, '--alliance-key', ALLIANCE];
    await expect(
      runCli(registerFeed, ['feed', 'export', ...common, '--issuer', 'loner', '--signing-key', join(dir, 'alpha.pem'), '--out', join(dir, 'loner.json')]),
    ).rejects.toThrow(/same alliance key/);
    const feed = JSON.parse(await readFile(join(dir, 'alpha.json'), 'utf8'));
    const direct = await call(loner.server, 'POST', '/v1/admin/reputation', loner.server.adminApiKey, {
      keyId: feed.keyId,
      source: 'feed:alpha',
      indicators: feed.indicators,
    });
    expect(direct.status).toBe(409);
    // Tenant keys never reach shared reputation.
    expect((await call(alpha.server, 'GET', '/v1/admin/reputation', alpha.keys.get('shop')!)).status).toBe(403);
  });
});
