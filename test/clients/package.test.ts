/**
 * The published package as a user gets it: built, packed with npm, installed from the tarball
 * into an empty project without network, and loaded by plain Node (no TypeScript loader). Then
 * one real call through each entry point against a stub server on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLIENT_DIR = join(import.meta.dirname, '../../client');
/** Every wait in this file is bounded. */
const STEP_TIMEOUT_MS = 120_000;
/** The packed tarball stays small: the client is a few kilobytes of code and declarations. */
const MAX_TARBALL_BYTES = 40_000;

let dir: string;
/** npm, isolated from the user's cache and settings, never asking the network. */
const npm = (args: string[], cwd: string) =>
  run('npm', args, {
    cwd,
    timeout: STEP_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
    env: {
      ...process.env,
      npm_config_cache: join(dir, 'npm-cache'),
      npm_config_userconfig: join(dir, 'npmrc'),
      npm_config_update_notifier: 'false',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_offline: 'true',
    },
  });

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}
let packed: Packed;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-client-package-'));
  await writeFile(join(dir, 'npmrc'), '');
  // `prepack` builds dist from clean with the repository's TypeScript.
  const { stdout } = await npm(['pack', '--json', '--pack-destination', dir], CLIENT_DIR);
  const [first] = JSON.parse(stdout) as Packed[];
  if (!first) throw new Error(`npm pack printed no package: ${stdout}`);
  packed = first;
  console.log(`@sms-shield/client tarball: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${packed.files.length} files`);
}, STEP_TIMEOUT_MS * 2);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('@sms-shield/client as published', () => {
  it('packs only the build output, the README and package.json, and stays small', async () => {
    const paths = packed.files.map((f) => f.path).sort();
    expect(paths).toContain('package.json');
    expect(paths).toContain('README.md');
    for (const entry of ['index', 'sns']) {
      expect(paths).toContain(`dist/${entry}.js`);
      expect(paths).toContain(`dist/${entry}.d.ts`);
    }
    const unexpected = paths.filter((p) => !(p === 'package.json' || p === 'README.md' || /^dist\/[a-z-]+\.(?:js|d\.ts)$/.test(p)));
    expect(unexpected).toEqual([]);
    expect(paths.some((p) => /src\/|\.test\.|tsconfig|\.ts$/.test(p) && !p.endsWith('.d.ts'))).toBe(false);
    expect(packed.size).toBeLessThan(MAX_TARBALL_BYTES);

    const manifest = JSON.parse(await readFile(join(CLIENT_DIR, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: '@sms-shield/client', version: '0.1.0', type: 'module', license: 'Apache-2.0', sideEffects: false });
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependenciesMeta).toEqual({ '@aws-sdk/client-sns': { optional: true } });
    for (const target of Object.values(manifest.exports as Record<string, string | Record<string, string>>).flatMap((t) =>
      typeof t === 'string' ? [t] : Object.values(t),
    )) {
      expect(paths, target).toContain(target.replace(/^\.\//, ''));
    }
  });

  it('installs offline into an empty project and works under plain Node, without the AWS SDK', { timeout: STEP_TIMEOUT_MS * 2 }, async () => {
    const app = join(dir, 'app');
    await mkdir(app);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    await npm(['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, packed.filename)], app);
    await writeFile(join(app, 'check.mjs'), CHECK_SCRIPT);
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: app, timeout: 30_000 });
    const result = JSON.parse(stdout);
    expect(result.main).toEqual([
      'ShieldAdminClient',
      'ShieldBase',
      'ShieldBlockedError',
      'ShieldClient',
      'ShieldClientError',
      'ShieldHttpError',
      'ShieldNetworkError',
      'ShieldOutcomeUnknownError',
      'ShieldPublicClient',
      'ShieldTimeoutError',
    ]);
    expect(result.sns).toEqual(['SHIELD_ATTRIBUTES', 'SMS_SHIELD_MIDDLEWARE_NAME', 'ShieldContextError', 'toShieldRequest', 'withSmsShield']);
    expect(result.awsSdk).toBe('ERR_MODULE_NOT_FOUND');
    expect(result.sent).toEqual({ messageId: 'stub-1', path: '/v1/sms/send', authorization: 'Bearer ssk_package_test', idempotencyKey: 'pkg-1' });
    expect(result.health).toEqual({ status: 'ok' });
    expect(result.timeout).toEqual({ name: 'ShieldOutcomeUnknownError', code: 'CLIENT_TIMEOUT', idempotencyKey: 'pkg-2', isHttpError: true });
    expect(result.viaSns).toEqual({ MessageId: 'stub-1', scenario: 'login' });
  });
});

/** Runs in the consumer project: imports both entries, then calls a stub shield on 127.0.0.1. */
const CHECK_SCRIPT = `
import { createServer } from 'node:http';
import * as main from '@sms-shield/client';
import * as sns from '@sms-shield/client/sns';

let awsSdk = 'found';
try {
  await import('@aws-sdk/client-sns');
} catch (error) {
  awsSdk = error.code;
}

const requests = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    requests.push({ path: req.url, authorization: req.headers.authorization, body: body ? JSON.parse(body) : undefined });
    if (req.url === '/health') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    if (requests.at(-1).body?.idempotencyKey === 'pkg-2') return; // never answers
    const verdict = { decision: 'allow', score: 0, level: 'low', reasons: [] };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ decision: 'allow', sent: true, messageId: 'stub-1', verdict }));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = 'http://127.0.0.1:' + server.address().port;
const shield = new main.ShieldClient({ baseUrl, apiKey: 'ssk_package_test', timeoutMs: 300 });
const attempt = { phone: '+44 7400 123456', scenario: 'login', ip: '81.2.69.142', message: 'Your code is 123456' };

const sent = await shield.send({ ...attempt, idempotencyKey: 'pkg-1' });
const first = requests.at(-1);
const health = await new main.ShieldPublicClient({ baseUrl }).health();
const timedOut = await shield.send({ ...attempt, idempotencyKey: 'pkg-2' }).catch((error) => error);

// The SNS drop-in on a stand-in client: the middleware stack is all it touches.
let middleware;
const fakeSns = { middlewareStack: { add: (mw) => (middleware = mw) } };
sns.withSmsShield(fakeSns, { shield, context: () => ({ scenario: 'login', ip: '81.2.69.142' }) });
const next = () => { throw new Error('reached SNS'); };
const viaSns = await middleware(next, { commandName: 'PublishCommand' })({ input: { PhoneNumber: '+44 7400 123456', Message: 'hi' } });

server.closeAllConnections();
server.close();
console.log(JSON.stringify({
  main: Object.keys(main).sort(),
  sns: Object.keys(sns).sort(),
  awsSdk,
  sent: { messageId: sent.messageId, path: first.path, authorization: first.authorization, idempotencyKey: first.body.idempotencyKey },
  health,
  timeout: { name: timedOut.name, code: timedOut.code, idempotencyKey: timedOut.idempotencyKey, isHttpError: timedOut instanceof main.ShieldHttpError },
  viaSns: { MessageId: viaSns.output.MessageId, scenario: requests.at(-1).body.scenario },
}));
`;
