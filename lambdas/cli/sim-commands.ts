import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { loadGeoLookup } from '../adapters/geo/geo-lookup';
import { jointDefenseJob } from '../joint-defense/job';
import { formatSummary, replay } from '../replay/replay';
import { evaluate, formatEvaluation, type ReplayDecision } from '../sim/evaluate';
import { formatSimLine, simulateLines, writeSimulation, type SimulateOptions } from '../sim/simulate';
import { openOutput } from './files';

interface SimFlags {
  seed: string;
  days?: string;
  scale?: string;
  start?: string;
}

function simOptions(flags: SimFlags): SimulateOptions {
  const number = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${v}"`);
    return n;
  };
  return { seed: number('seed', flags.seed) ?? 1, days: number('days', flags.days), scale: number('scale', flags.scale), start: flags.start };
}

/** `simulate` writes labelled traffic; `eval` replays it through the engine and prints leak and service rates. */
export function registerSim(program: Command): void {
  const common = (cmd: Command) =>
    cmd
      .option('--seed <n>', 'random seed (same seed, same traffic)', '1')
      .option('--days <n>', 'simulated days (default 2)')
      .option('--scale <n>', 'traffic multiplier (default 1 ≈ 120k lines)')
      .option('--start <iso>', 'simulated start time (default 2026-11-02T00:00:00Z)');

  common(program.command('simulate').description('write labelled legit and attack traffic as replay input (JSON Lines)'))
    .requiredOption('--out <file>', 'output file')
    .action(async (flags: SimFlags & { out: string }) => {
      const out = await openOutput(flags.out, '--out');
      const stats = await writeSimulation(simOptions(flags), out);
      out.end();
      await finished(out);
      console.log(`wrote ${stats.lines} lines (${stats.sends} sends, ${stats.verifies} verifications) to ${flags.out}`);
      for (const [label, n] of Object.entries(stats.byLabel).sort()) console.log(`  ${label.padEnd(20)} ${n}`);
    });

  common(program.command('eval').description('simulate, replay through the engine, and print per class what got through'))
    .option('--since <iso>', 'count only sends from this time on (e.g. day 2, after the cold start)')
    .action(async (flags: SimFlags & { since?: string }) => {
      const options = simOptions(flags);
      const decisions = new Map<string, ReplayDecision>();
      // The simulation streams straight into the replay; verdicts are collected by send id.
      const input = Readable.from(
        (function* () {
          for (const line of simulateLines(options)) yield `${formatSimLine(line)}\n`;
        })(),
      );
      const output = new PassThrough({ objectMode: false });
      let buffered = '';
      output.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        let nl = buffered.indexOf('\n');
        while (nl >= 0) {
          const v = JSON.parse(buffered.slice(0, nl)) as { id: string } & ReplayDecision;
          decisions.set(v.id, v);
          buffered = buffered.slice(nl + 1);
          nl = buffered.indexOf('\n');
        }
      });
      const summary = await replay(input, output, {
        geo: await loadGeoLookup(),
        // Joint defense runs every simulated minute, through the same code as the scheduled Lambda.
        jobs: (_engine, stores) => [jointDefenseJob(stores)],
      });
      output.end();
      console.log(formatSummary(summary));
      console.log('');
      // Second pass over the same seed: the labels to judge each verdict by.
      const evaluation = await evaluate(simulateLines(options), decisions, { since: flags.since });
      console.log(formatEvaluation(evaluation));
    });
}
