import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStartError, startLocalServer } from '../../lambdas/local/server';
import type { ServiceLogger } from '../../lambdas/service/shield-service';

// `npm start` (bin/local.ts) that cannot start says why in one line on stderr and exits non-zero:
// no stack trace, nothing else. Each case spawns the real entry point, bounded in time.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const quiet: ServiceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `npm start -- …args` as `node --import tsx bin/local.ts …args`; killed after `timeoutMs`. */
function start(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 30_000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const { SMS_SHIELD_ADMIN_KEY: _a, SMS_SHIELD_DEMO_KEY: _d, SMS_SHIELD_ALLIANCE_KEY: _k, PORT: _p, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts', ...args], { cwd: ROOT, env: { ...inherited, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bin/local.ts ${args.join(' ')} still running after ${timeoutMs} ms; stdout: ${stdout} stderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Exactly one line on stderr, prefixed like every CLI error, and no stack frame anywhere. */
function expectOneLine(exit: Exit, status: number, pattern: RegExp): void {
  expect(exit.code, exit.stderr).toBe(status);
  const lines = exit.stderr.trimEnd().split('\n');
  expect(lines, exit.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^sms-shield: /);
  expect(lines[0]).toMatch(pattern);
  expect(`${exit.stdout}${exit.stderr}`).not.toMatch(/\n\s+at |Error:|node:internal/);
}

let dir: string;
let busy: Server;
let busyPort: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-start-'));
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('npm start that cannot start', () => {
  it('names the busy port in one line and exits 1 (PORT=<taken>)', async () => {
    const exit = await start(['--store', 'memory', '--data-dir', join(dir, 'busy')], { PORT: String(busyPort) });
    expectOneLine(exit, 1, new RegExp(`^sms-shield: port ${busyPort} is already in use on 127\\.0\\.0\\.1 — stop the other process or set PORT=`));
  });

  it('says so when the data folder is a file, or sits under one', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    expectOneLine(await start(['--store', 'memory', '--port', '0', '--data-dir', file]), 1, /cannot use the data folder .*a-file: it is a file, not a folder/);
    expectOneLine(await start(['--store', 'memory', '--port', '0', '--data-dir', join(file, 'sub')]), 1, /a part of its path is a file/);
  });

  it('says so when another process has the persisted data open (--persist twice on one folder)', async () => {
    const dataDir = join(dir, 'persisted');
    const first = await startLocalServer({ port: 0, dataDir, persist: true, logger: quiet, jointDefenseEveryMs: 0 });
    try {
      expectOneLine(await start(['--persist', '--port', '0', '--data-dir', dataDir]), 1, /the data in .*persisted\/db is in use by another sms-shield process/);
    } finally {
      await first.close();
    }
  });

  it('answers bad options and weak or shared keys in one line with exit 2', async () => {
    expectOneLine(await start(['--no-such-option']), 2, /Unknown option '--no-such-option' \(npm start -- --help lists the options\)/);
    expectOneLine(await start([], { PORT: 'http' }), 2, /--port \(or PORT\) must be a port number, got "http"/);
    expectOneLine(await start([], { SMS_SHIELD_ADMIN_KEY: 'admin' }), 2, /SMS_SHIELD_ADMIN_KEY must be 20–200 printable characters/);
    const key = 'ssk_the-same-key-for-both-0123456789';
    expectOneLine(await start([], { SMS_SHIELD_ADMIN_KEY: key, SMS_SHIELD_DEMO_KEY: key }), 2, /must differ/);
  });

  it('lists its options and the variables it reads with --help', async () => {
    const exit = await start(['--help']);
    expect(exit.code).toBe(0);
    for (const name of ['--port', '--store', '--persist', '--shadow', '--data-dir', '--alliance-key', 'PORT', 'SMS_SHIELD_ADMIN_KEY', 'SMS_SHIELD_DEMO_KEY']) {
      expect(exit.stdout).toContain(name);
    }
  });
});

describe('startLocalServer on a busy port', () => {
  it('rejects with a LocalStartError and lets go of the persisted data, so the next start works', async () => {
    const dataDir = join(dir, 'released');
    const failed = startLocalServer({ port: busyPort, dataDir, persist: true, logger: quiet, jointDefenseEveryMs: 0 });
    await expect(failed).rejects.toBeInstanceOf(LocalStartError);
    await expect(failed).rejects.toThrow(`port ${busyPort} is already in use on 127.0.0.1`);
    const next = await startLocalServer({ port: 0, dataDir, persist: true, logger: quiet, jointDefenseEveryMs: 0 });
    await next.close();
  });
});
