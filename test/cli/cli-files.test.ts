import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registerReplay } from '../../lambdas/cli/replay-command';
import { registerSim } from '../../lambdas/cli/sim-commands';
import { runCli } from '../support/cli';

// Files the CLI cannot read or write are one clear error (main.ts prints it as one line), thrown
// before any work, never an 'error' event on a stream that crashes the process with a stack trace.

const dir = mkdtempSync(join(tmpdir(), 'sms-shield-cli-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const input = join(dir, 'in.jsonl');
const line = { type: 'send', id: 's1', ts: '2026-11-02T10:00:00.000Z', tenant: 'shop', phone: '+44 7400 123456', scenario: 'login', ip: '81.2.69.142' };
writeFileSync(input, `${JSON.stringify(line)}\n`);

const replay = (...args: string[]) => runCli(registerReplay, ['replay', ...args, '--quiet']);

describe('replay and simulate with files they cannot use', () => {
  it('replay: an --out in a folder that does not exist, or that is a folder', async () => {
    await expect(replay(input, '--out', join(dir, 'missing', 'out.jsonl'))).rejects.toThrow(/^--out .*out\.jsonl: cannot write there \(no folder .*missing\)$/);
    await expect(replay(input, '--out', dir)).rejects.toThrow(/^--out .*: cannot write there \(it is a folder\)$/);
  });

  it('replay: an input that does not exist, or is a folder', async () => {
    await expect(replay(join(dir, 'nope.jsonl'), '--out', join(dir, 'o.jsonl'))).rejects.toThrow(/nope\.jsonl: cannot read it \(no such file\)$/);
    await expect(replay(dir, '--out', join(dir, 'o.jsonl'))).rejects.toThrow(/: cannot read it \(it is a folder\)$/);
    expect(existsSync(join(dir, 'o.jsonl'))).toBe(false);
  });

  it('replay: --out naming the input file, which it would erase', async () => {
    await expect(replay(input, '--out', join(dir, '.', 'in.jsonl'))).rejects.toThrow(/is the input file/);
    expect(readFileSync(input, 'utf8')).toContain('"s1"');
  });

  it('simulate: an --out it cannot write', async () => {
    await expect(runCli(registerSim, ['simulate', '--out', join(dir, 'missing', 'sim.jsonl')])).rejects.toThrow(
      /^--out .*sim\.jsonl: cannot write there \(no folder/,
    );
  });

  it('still writes a verdict per send when the paths are fine', async () => {
    const out = join(dir, 'verdicts.jsonl');
    await replay(input, '--out', out);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ id: 's1', decision: 'allow' });
  });
});
