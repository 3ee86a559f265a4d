import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registerReplay } from '../../lambdas/cli/replay-command';
import { replayConfigSchema } from '../../lambdas/replay/replay';
import { runCli } from '../support/cli';

// docs/replay-format.md shows an input, the output it gives and the end of the summary: the
// example is replayed here through the real command, so the page stays true.

const doc = readFileSync(new URL('../../docs/replay-format.md', import.meta.url), 'utf8');
const section = (heading: string) => doc.slice(doc.indexOf(`\n## ${heading}\n`), doc.indexOf('\n## ', doc.indexOf(`\n## ${heading}\n`) + 1));
const blocks = (text: string, lang: string) => [...text.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);

const dir = mkdtempSync(join(tmpdir(), 'sms-shield-replay-doc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/replay-format.md', () => {
  it('gives the output and summary it shows for its example input', async () => {
    const [input, output] = blocks(section('Example'), 'jsonl');
    const [summaryEnd] = blocks(section('Example'), 'text');
    writeFileSync(join(dir, 'in.jsonl'), input!);
    try {
      const printed = await runCli(registerReplay, ['replay', join(dir, 'in.jsonl'), '--out', join(dir, 'out.jsonl'), '--quiet']);
      expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toBe(output);
      expect(`${printed.join('\n')}\n`.endsWith(`\n${summaryEnd}`)).toBe(true);
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = undefined;
    }
  });

  it('shows a config file the replay accepts', () => {
    const [config] = blocks(section('Config file'), 'json');
    expect(replayConfigSchema.safeParse(JSON.parse(config!)).success).toBe(true);
  });

  it('documents every field of both line types', () => {
    for (const field of ['type', 'id', 'ts', 'tenant', 'phone', 'country', 'scenario', 'ip', 'userAgent', 'device', 'challengePassed', 'account', 'success']) {
      expect(section('Input')).toContain(`| \`${field}\` |`);
    }
  });
});
