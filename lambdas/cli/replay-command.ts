import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { loadGeoLookup } from '../adapters/geo/geo-lookup';
import { jointDefenseJob } from '../joint-defense/job';
import { formatSummary, replay, replayConfigSchema, type ReplayConfig } from '../replay/replay';
import { REASON_DESCRIPTIONS } from '../engine/reason-descriptions';
import type { ReasonCode } from '../domain/reasons';
import { renderReportHtml } from '../replay/report-html';
import { ReportStats } from '../replay/report-stats';
import { assertWritable, inputSize, openOutput } from './files';

/** `sms-shield replay IN.jsonl --out OUT.jsonl [--config FILE] [--report FILE.html]` — the backtest contract. */
export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('replay historical sends and verifications through the engine and write what it would have decided')
    .argument('<input>', 'JSON Lines of send and verify lines, sorted by ts (format: docs/replay-format.md)')
    .requiredOption('--out <file>', 'where to write one verdict line per send')
    .option('--config <file>', 'JSON file with policies per tenant and starting lists')
    .option('--report <file>', 'also write a self-contained HTML report (charts, top reasons, countries, ranges)')
    .option('--quiet', 'no progress output on stderr')
    .action(async (input: string, opts: { out: string; config?: string; report?: string; quiet?: boolean }) => {
      const config = opts.config ? await readConfig(opts.config) : undefined;
      // Checked before a replay that may take minutes, not after it.
      if (opts.report) await assertWritable(opts.report, '--report');
      const size = await inputSize(input);
      if (resolve(opts.out) === resolve(input)) throw new Error(`--out ${opts.out} is the input file: writing the verdicts there would erase it`);
      const out = await openOutput(opts.out, '--out');
      const report = opts.report ? new ReportStats() : undefined;
      const geo = await loadGeoLookup();
      const source = createReadStream(input);
      const progress = opts.quiet || !process.stderr.isTTY ? undefined : progressPrinter(source, size);
      const summary = await replay(source, out, {
        geo,
        config,
        onProgress: progress,
        progressEvery: 50_000,
        report,
        // Joint defense runs every simulated minute, through the same code as the scheduled Lambda.
        jobs: (_engine, stores) => [jointDefenseJob(stores)],
      });
      out.end();
      await finished(out);
      if (progress) process.stderr.write('\n');
      console.log(formatSummary(summary));
      if (opts.report && report) {
        const html = renderReportHtml(summary, report.result(), { source: basename(input), describeReason: (code) => REASON_DESCRIPTIONS[code as ReasonCode] });
        try {
          await writeFile(opts.report, html);
        } catch (error) {
          throw new Error(`--report ${opts.report}: cannot write the report (${(error as Error).message})`, { cause: error });
        }
        console.log(`\nReport written to ${opts.report}`);
      }
      if (summary.errors.count > 0) process.exitCode = 1;
    });
}

async function readConfig(file: string): Promise<ReplayConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`--config ${file}: ${(error as Error).message}`);
  }
  const parsed = replayConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`--config ${file} is not a valid replay config:\n${issues}`);
  }
  return parsed.data;
}

/** A one-line progress bar on stderr, from the bytes read so far. */
function progressPrinter(source: NodeJS.ReadableStream & { bytesRead?: number }, total: number): (lines: number) => void {
  const started = Date.now();
  return (lines) => {
    const done = Math.min(1, (source.bytesRead ?? 0) / Math.max(1, total));
    const width = 30;
    const bar = '#'.repeat(Math.round(done * width)).padEnd(width, '.');
    const rate = Math.round(lines / Math.max(0.001, (Date.now() - started) / 1000));
    process.stderr.write(`\r[${bar}] ${(done * 100).toFixed(0)}%  ${lines} lines  ${rate} lines/s`);
  };
}
