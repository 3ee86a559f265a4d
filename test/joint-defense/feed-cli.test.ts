import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerFeed } from '../../lambdas/cli/feed-command';
import { allianceKeys, canonicalJson } from '../../lambdas/joint-defense/feed';
import { runCli } from '../support/cli';

// `sms-shield feed keygen | export | import` against a stand-in for the admin API (the real
// server round trip is test/e2e/joint-defense.test.ts): issuer-bound signatures end to end.

const ALLIANCE = 'alliance-secret-shared-by-acme-and-mallory';
const keys = allianceKeys(ALLIANCE);
const ADMIN = 'admin-key-for-the-fake-api';
const nowS = () => Math.floor(Date.now() / 1000);

/** What the fake admin API was sent. */
const posted: { keyId: string; source: string; indicators: { confidence: number }[] }[] = [];
let server: Server;
let url: string;
let dir: string;
/** Everything any command printed or threw, to check that no private key ever shows. */
const output: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-feed-cli-'));
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.headers.authorization !== `Bearer ${ADMIN}`) return void res.writeHead(401).end('{}');
      if (req.method === 'GET' && req.url === '/v1/admin/reputation?source=local') {
        const indicator = {
          kind: 'number',
          value: keys.indicatorHasher('+447400123456'),
          reason: 'JOINT_DEFENSE_VICTIM',
          confidence: 0.9,
          evidence: 14,
          expiresAt: nowS() + 900,
          source: 'local',
        };
        return void res.end(JSON.stringify({ keyId: keys.keyId, indicators: [indicator] }));
      }
      if (req.method === 'POST' && req.url === '/v1/admin/reputation') {
        const parsed = JSON.parse(body) as (typeof posted)[number];
        posted.push(parsed);
        return void res.end(JSON.stringify({ merged: parsed.indicators.length, unchanged: 0, expired: 0 }));
      }
      res.writeHead(404).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** Run a command; every line it logs (any console method) and its error message go to `output`. */
async function cli(...args: string[]): Promise<string[]> {
  const errors: string[] = [];
  for (const method of ['error', 'warn', 'info', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...parts: unknown[]) => void errors.push(parts.join(' ')));
  }
  try {
    const lines = await runCli(registerFeed, ['feed', ...args]);
    output.push(...lines, ...errors);
    return lines;
  } catch (error) {
    output.push(...errors, String(error), (error as Error).stack ?? '');
    throw error;
  }
}

const connection = () => ['--url', url, '--key', ADMIN, '--alliance-key', ALLIANCE];
const file = (name: string) => join(dir, name);

/** `feed keygen`, returning the members-file entry it printed. */
async function keygen(issuer: string): Promise<Record<string, string>> {
  const lines = await cli('keygen', '--issuer', issuer, '--out', file(`${issuer}.pem`));
  expect(lines[0]).toBe(`wrote the private feed-signing key of ${issuer} to ${file(`${issuer}.pem`)}: keep it here, never share it`);
  return JSON.parse(lines[1]!.slice(lines[1]!.indexOf('{'))) as Record<string, string>;
}

describe('sms-shield feed with issuer keys', () => {
  let membersFile: string;

  beforeAll(async () => {
    const entries = { ...(await keygen('acme')), ...(await keygen('mallory')) };
    membersFile = file('members.json');
    await writeFile(membersFile, JSON.stringify(entries));
  });

  it('keygen writes the private key with mode 600, never overwrites it, and prints only the public key', async () => {
    const pem = await readFile(file('acme.pem'), 'utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect((await stat(file('acme.pem'))).mode & 0o777).toBe(0o600);
    await expect(cli('keygen', '--issuer', 'acme', '--out', file('acme.pem'))).rejects.toThrow(/exists: not overwriting a signing key/);
    expect(await readFile(file('acme.pem'), 'utf8')).toBe(pem);
    await expect(cli('keygen', '--issuer', 'Not Valid', '--out', file('bad.pem'))).rejects.toThrow(/--issuer must be/);
  });

  it('exports a feed signed by its issuer and imports it where the members file lists that issuer', async () => {
    const feedFile = file('acme-feed.json');
    const exported = await cli('export', ...connection(), '--issuer', 'acme', '--signing-key', file('acme.pem'), '--members', membersFile, '--out', feedFile);
    expect(exported).toEqual([`wrote 1 indicator(s) signed as acme to ${feedFile}`]);
    const feed = JSON.parse(await readFile(feedFile, 'utf8'));
    expect(feed).toMatchObject({
      format: 'sms-shield-feed/2',
      issuer: 'acme',
      signature: expect.stringMatching(/^ed25519:/),
      allianceMac: expect.stringMatching(/^hmac-sha256:/),
    });

    posted.length = 0;
    const imported = await cli('import', feedFile, ...connection(), '--members', membersFile, '--trust', '0.5');
    expect(imported).toEqual(['feed of acme: 1 live indicator(s), 1 merged, 0 unchanged']);
    expect(posted).toEqual([expect.objectContaining({ keyId: keys.keyId, source: 'feed:acme', indicators: [expect.objectContaining({ confidence: 0.45 })] })]);
  });

  it("refuses a feed another member signed with its own key under acme's name, and imports nothing", async () => {
    const forged = file('forged.json');
    // mallory holds the alliance key and its own key pair, and claims to be acme.
    await cli('export', ...connection(), '--issuer', 'acme', '--signing-key', file('mallory.pem'), '--out', forged);
    posted.length = 0;
    await expect(cli('import', forged, ...connection(), '--members', membersFile)).rejects.toThrow(/bad signature: not signed with the key of acme/);
    expect(posted).toEqual([]);
    // With the members file at hand, export itself says so.
    await expect(
      cli('export', ...connection(), '--issuer', 'acme', '--signing-key', file('mallory.pem'), '--members', membersFile, '--out', forged),
    ).rejects.toThrow(/the members file lists another key for acme/);
    await expect(
      cli('export', ...connection(), '--issuer', 'initech', '--signing-key', file('mallory.pem'), '--members', membersFile, '--out', forged),
    ).rejects.toThrow(/does not list initech/);
  });

  it('refuses a tampered feed, a version 1 feed and an unlisted issuer, and imports nothing', async () => {
    const feed = JSON.parse(await readFile(file('acme-feed.json'), 'utf8'));
    posted.length = 0;
    const tampered = file('tampered.json');
    await writeFile(tampered, JSON.stringify({ ...feed, indicators: [{ ...feed.indicators[0], expiresAt: feed.indicators[0].expiresAt + 86_400 }] }));
    await expect(cli('import', tampered, ...connection(), '--members', membersFile)).rejects.toThrow(/bad signature/);

    const v1 = file('v1.json');
    const { signature: _s, allianceMac: _m, ...rest } = feed;
    await writeFile(v1, JSON.stringify({ ...rest, format: 'sms-shield-feed/1', signature: `hmac-sha256:${'0'.repeat(64)}` }));
    await expect(cli('import', v1, ...connection(), '--members', membersFile)).rejects.toThrow(/sms-shield-feed\/1 is no longer accepted/);

    const onlyMallory = file('only-mallory.json');
    const members = JSON.parse(await readFile(membersFile, 'utf8'));
    await writeFile(onlyMallory, JSON.stringify({ mallory: members.mallory }));
    await expect(cli('import', file('acme-feed.json'), ...connection(), '--members', onlyMallory)).rejects.toThrow(/unknown issuer "acme"/);
    expect(posted).toEqual([]);
    expect(canonicalJson(feed)).not.toBe('');
  });

  it('needs a signing key to export and a members file to import', async () => {
    vi.stubEnv('SMS_SHIELD_FEED_SIGNING_KEY', '');
    vi.stubEnv('SMS_SHIELD_FEED_MEMBERS', '');
    await expect(cli('export', ...connection(), '--issuer', 'acme', '--out', file('x.json'))).rejects.toThrow(/a signing key: --signing-key/);
    await expect(cli('import', file('acme-feed.json'), ...connection())).rejects.toThrow(/the members file: --members/);
    vi.unstubAllEnvs();
  });

  it('never shows a private key, even when one is passed where a members file, a feed or a public key belongs', async () => {
    await expect(cli('import', file('acme-feed.json'), ...connection(), '--members', file('acme.pem'))).rejects.toThrow(
      /this is a private key, not a members file/,
    );
    await expect(cli('import', file('acme.pem'), ...connection(), '--members', membersFile)).rejects.toThrow(/this is a private key, not a feed/);
    const pem = await readFile(file('acme.pem'), 'utf8');
    const mangled = file('mangled.json');
    await writeFile(mangled, `{"acme": ${JSON.stringify(pem)}}`);
    await expect(cli('import', file('acme-feed.json'), ...connection(), '--members', mangled)).rejects.toThrow(/this is a private key, not a members file/);
    const notJson = file('not-json.json');
    await writeFile(notJson, pem.replace('-----BEGIN PRIVATE KEY-----', '').replace('-----END PRIVATE KEY-----', ''));
    await expect(cli('import', notJson, ...connection(), '--members', membersFile)).rejects.toThrow(/not valid JSON/);
    await writeFile(file('bad.pem'), 'not a key at all');
    await expect(cli('export', ...connection(), '--issuer', 'acme', '--signing-key', file('bad.pem'), '--out', file('x.json'))).rejects.toThrow(
      /not a private key in PEM form/,
    );

    // Nothing any command printed or threw, in this file, holds a line of either private key.
    const secrets = (await Promise.all(['acme.pem', 'mallory.pem'].map((name) => readFile(file(name), 'utf8'))))
      .flatMap((text) => text.split('\n'))
      .filter((line) => line && !line.startsWith('-----'))
      .flatMap((line) => [line, line.slice(0, 16), line.slice(-16)]);
    expect(secrets.length).toBeGreaterThan(0);
    expect(output.length).toBeGreaterThan(10);
    for (const text of output) for (const secret of secrets) expect(text).not.toContain(secret);
    for (const text of output) expect(text).not.toContain(ALLIANCE);
  });
});
