import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, type Option } from 'commander';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLI_ENV, DEFAULT_URL } from '../../lambdas/cli/http-client';
import { allianceKeys, FEED_FORMAT, generateIssuerKey, loadIssuerKey, signFeed } from '../../lambdas/joint-defense/feed';
import { runCli } from '../support/cli';

// Every command's help names the environment variable each option falls back to, and the
// command reads exactly that one. The commands are the ones main.ts registers (a command file
// added there is checked too); each runs in-process against a stand-in `fetch`, with every
// variable the CLI knows set to a value of its own, so the key and URL that arrive tell which
// variable was read.

const CLI_DIR = new URL('../../lambdas/cli/', import.meta.url);

/** The `register…` functions main.ts calls, loaded from the files it imports them from. */
async function registrations(): Promise<((program: Command) => void)[]> {
  const main = readFileSync(new URL('main.ts', CLI_DIR), 'utf8');
  const imports = [...main.matchAll(/import \{ (register\w+) \} from '\.\/([\w-]+)';/g)];
  const called = new Set([...main.matchAll(/^(register\w+)\(program\);$/gm)].map((m) => m[1]));
  const imported = imports.map((m) => m[1]).sort();
  if (imported.length === 0 || imported.join() !== [...called].sort().join()) throw new Error(`main.ts imports ${imported} but calls ${[...called]}`);
  return Promise.all(imports.map(async ([, name, file]) => (await import(fileURLToPath(new URL(`${file}.ts`, CLI_DIR))))[name!] as (program: Command) => void));
}

const registerAll = (all: ((program: Command) => void)[]) => (program: Command) => {
  for (const register of all) register(program);
};

/** Leaf commands with their path of names (`['tenants', 'create']`). */
function leaves(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  if (command.commands.length === 0) return [{ path, command }];
  return command.commands.flatMap((sub) => leaves(sub, [...path, sub.name()]));
}

const VARIABLE = /\b(SMS_SHIELD_[A-Z0-9_]+|PORT)\b/g;
/** The variables an option's help line names, in order (its whole description as `--help` prints it, unwrapped). */
const namedIn = (command: Command, option: Option) => [...command.createHelp().optionDescription(option).matchAll(VARIABLE)].map((m) => m[1]!);

const dir = mkdtempSync(join(tmpdir(), 'sms-shield-cli-env-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A consistent little alliance: acme's key pair, a members file that lists it, a feed acme signed.
const ALLIANCE = 'cli-env-alliance-secret';
const keys = allianceKeys(ALLIANCE);
const acme = generateIssuerKey();
const signingKeyFile = file('acme.pem', acme.privateKeyPem);
const membersFile = file('members.json', JSON.stringify({ acme: acme.publicKey }));
const feedFile = file(
  'feed.json',
  JSON.stringify(
    signFeed(
      {
        format: FEED_FORMAT,
        issuer: 'acme',
        keyId: keys.keyId,
        issuedAt: new Date().toISOString(),
        indicators: [
          {
            kind: 'number',
            value: keys.indicatorHasher('+447400123456'),
            reason: 'JOINT_DEFENSE_VICTIM',
            confidence: 0.9,
            evidence: 14,
            expiresAt: Math.floor(Date.now() / 1000) + 900,
          },
        ],
      },
      keys,
      loadIssuerKey(acme.privateKeyPem),
    ),
  ),
);

/** What each variable holds in the runs: every key variable a value of its own. */
const GOOD: Record<string, string> = {
  [CLI_ENV.url]: 'https://shield-from-env.test',
  [CLI_ENV.adminKey]: 'admin-key-from-env',
  [CLI_ENV.tenantKey]: 'tenant-key-from-env',
  [CLI_ENV.allianceKey]: ALLIANCE,
  [CLI_ENV.feedSigningKey]: signingKeyFile,
  [CLI_ENV.feedMembers]: membersFile,
};
/** A value the command must refuse when it reads it: proof that it does. */
const BAD: Record<string, string> = {
  [CLI_ENV.allianceKey]: 'another-alliance-secret',
  [CLI_ENV.feedSigningKey]: file('not-a-key.pem', 'not a key'),
  [CLI_ENV.feedMembers]: file('others.json', JSON.stringify({ acme: generateIssuerKey().publicKey })),
};

/** Values for required options and arguments; a new command needs its own here. */
let outs = 0;
const REQUIRED: Record<string, () => string> = {
  '--id': () => 'shop',
  '--kind': () => 'number',
  '--value': () => '+447400123456',
  '--file': () => file('policy.json', '{}'),
  '--secret-file': () => file('hook-secret', `v1,whsec_${Buffer.alloc(32, 1).toString('base64')}`),
  '--revoke': () => 'f'.repeat(64),
  '--issuer': () => 'acme',
  '--out': () => join(dir, `out-${++outs}`),
  '<file>': () => feedFile,
};

function argsFor(path: string[], command: Command): string[] {
  const args = [...path];
  for (const argument of command.registeredArguments) {
    if (!argument.required) continue;
    const value = REQUIRED[`<${argument.name()}>`];
    if (!value) throw new Error(`sms-shield ${path.join(' ')}: add a value for <${argument.name()}> to REQUIRED`);
    args.push(value());
  }
  for (const option of command.options) {
    if (!option.mandatory) continue;
    const value = REQUIRED[option.long!];
    if (!value) throw new Error(`sms-shield ${path.join(' ')}: add a value for ${option.long} to REQUIRED`);
    args.push(option.long!, value());
  }
  return args;
}

/** The requests the commands sent: the stand-in `fetch` answers every one with one body that fits them all. */
const sent: { url: string; authorization: string }[] = [];
const ANSWER = {
  tenant: { id: 'shop' },
  apiKey: 'ssk_new',
  keyId: keys.keyId,
  revokedKeyId: 'f'.repeat(64),
  keys: [],
  entries: [],
  indicators: [],
  merged: 1,
  unchanged: 0,
  expired: 0,
  action: 'block',
  kind: 'number',
  value: '+447400123456',
  scope: 't:shop',
};

beforeEach(() => {
  sent.length = 0;
  vi.stubGlobal('fetch', async (url: URL | string, init: RequestInit) => {
    sent.push({ url: String(url), authorization: (init.headers as Record<string, string>).authorization ?? '' });
    return new Response(JSON.stringify(ANSWER), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  for (const [name, value] of Object.entries(GOOD)) vi.stubEnv(name, value);
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const all = await registrations();
const program = new Command('sms-shield');
registerAll(all)(program);
const commands = leaves(program);
const run = (args: string[]) => runCli(registerAll(all), args);
const keyed = commands.filter(({ command }) => command.options.some((o) => o.long === '--key'));

describe('CLI help names the variables the commands read', () => {
  it('finds the commands main.ts registers', () => {
    expect(commands.map((c) => c.path.join(' '))).toEqual(expect.arrayContaining(['tenants create', 'lists ls', 'feed export', 'feed import', 'replay']));
    expect(keyed.length).toBeGreaterThanOrEqual(10);
  });

  it('names in help only variables the CLI knows, and on every --url and --key a variable', () => {
    const known = new Set<string>(Object.values(CLI_ENV));
    for (const { path, command } of commands) {
      for (const option of command.options) {
        const named = namedIn(command, option);
        for (const name of named) expect(known, `sms-shield ${path.join(' ')} ${option.long} names ${name}`).toContain(name);
        // `audit --url` is the endpoint under test, not the shield: it falls back to nothing.
        if (option.long === '--key' || (option.long === '--url' && path[0] !== 'audit')) {
          expect(named.length, `sms-shield ${path.join(' ')} ${option.long} names no variable`).toBeGreaterThan(0);
        }
      }
    }
  });

  describe.each(keyed.map(({ path, command }) => [path.join(' '), path, command] as const))('sms-shield %s', (_name, path, command) => {
    const option = (long: string) => command.options.find((o) => o.long === long)!;
    const keyVariable = namedIn(command, option('--key'))[0]!;

    it('sends the key of the variable its --key help names first, to the URL of the one --url names', async () => {
      expect(namedIn(command, option('--url'))).toEqual([CLI_ENV.url]);
      await run(argsFor(path, command));
      expect(sent.length).toBeGreaterThan(0);
      for (const request of sent) {
        expect(request.url.startsWith(`${GOOD[CLI_ENV.url]}/`)).toBe(true);
        expect(request.authorization).toBe(`Bearer ${GOOD[keyVariable]}`);
      }
    });

    it('without that variable it sends nothing (no other key), and says which variable it wanted', async () => {
      vi.stubEnv(keyVariable, undefined);
      await expect(run(argsFor(path, command))).rejects.toThrow(`$${keyVariable}`);
      expect(sent).toEqual([]);
    });

    it(`falls back to ${DEFAULT_URL} without $${CLI_ENV.url}`, async () => {
      vi.stubEnv(CLI_ENV.url, undefined);
      await run(argsFor(path, command));
      expect(sent.length).toBeGreaterThan(0);
      for (const request of sent) expect(request.url.startsWith(`${DEFAULT_URL}/`)).toBe(true);
    });

    const others = command.options.filter((o) => o.long !== '--key' && o.long !== '--url' && namedIn(command, o).length > 0);
    it.each(others.map((o) => [o.long!, namedIn(command, o)[0]!] as const))('reads %s from $%s', async (_long, variable) => {
      const bad = BAD[variable];
      if (!bad) throw new Error(`add a value for $${variable} that sms-shield ${path.join(' ')} refuses to BAD`);
      vi.stubEnv(variable, bad);
      await expect(run(argsFor(path, command))).rejects.toThrow();
    });
  });

  it('lists --scope sends the admin key of $SMS_SHIELD_ADMIN_KEY, as its help says, and never the tenant key', async () => {
    const lists = commands.find((c) => c.path.join(' ') === 'lists ls')!;
    expect(namedIn(lists.command, lists.command.options.find((o) => o.long === '--key')!)).toEqual([CLI_ENV.tenantKey, CLI_ENV.adminKey]);
    await run(['lists', 'ls', '--scope', 'global']);
    expect(sent.map((r) => r.authorization)).toEqual([`Bearer ${GOOD[CLI_ENV.adminKey]}`]);
    sent.length = 0;
    vi.stubEnv(CLI_ENV.adminKey, undefined);
    await expect(run(['lists', 'ls', '--scope', 'global'])).rejects.toThrow(`$${CLI_ENV.adminKey}`);
    expect(sent).toEqual([]);
  });

  it('a flag wins over its variable', async () => {
    await run(['tenants', 'show', '--id', 'shop', '--url', 'https://flag.test', '--key', 'key-from-flag']);
    expect(sent).toEqual([{ url: 'https://flag.test/v1/admin/tenants/shop', authorization: 'Bearer key-from-flag' }]);
  });
});

describe('a key never crosses the network in clear text', () => {
  it.each(['http://shield.example.com', 'http://10.0.0.5:8787', 'ftp://shield.example.com', 'not a url'])('refuses --url %s before sending', async (url) => {
    await expect(run(['tenants', 'show', '--id', 'shop', '--url', url])).rejects.toThrow(/--url/);
    expect(sent).toEqual([]);
  });

  it.each(['http://127.0.0.1:8787', 'http://localhost:8787', 'http://[::1]:8787', 'https://shield.example.com'])('accepts --url %s', async (url) => {
    await run(['tenants', 'show', '--id', 'shop', '--url', url]);
    expect(sent).toHaveLength(1);
  });
});
