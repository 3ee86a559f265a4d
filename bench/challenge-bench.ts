/**
 * Proof-of-work cost per difficulty level in Node: median time to solve a fresh challenge
 * with the reference solver (the browser SDK's search, one thread), per level.
 *
 *   npx tsx bench/challenge-bench.ts [--samples N] [--altcha]
 *
 * `--altcha` also times altcha-lib's own solver (one awaited crypto.subtle digest per
 * candidate) at level 1, to show why the SDK does not use it.
 */
import { parseArgs } from 'node:util';
import { solveChallenge as altchaSolve } from 'altcha-lib/v1';
import { MemoryReplayGuard } from '../lambdas/adapters/memory/memory-replay-guard';
import { DIFFICULTY_LEVELS, ProofOfWork } from '../lambdas/challenge/proof-of-work';
import { solveChallenge } from '../lambdas/challenge/solve';
import { systemClock } from '../lambdas/ports/clock';

export interface LevelResult {
  readonly level: number;
  readonly maxnumber: number;
  readonly samples: number;
  readonly medianMs: number;
  readonly hashesPerSecond: number;
}

/** Fewer samples at the expensive levels keep the whole run near a minute. */
export async function benchChallenges(samples = 9): Promise<LevelResult[]> {
  const pow = new ProofOfWork({ hmacKey: 'bench-key-bench-key-bench', replays: new MemoryReplayGuard(), clock: systemClock });
  const results: LevelResult[] = [];
  for (let level = 1; level <= DIFFICULTY_LEVELS.length; level++) {
    const count = Math.max(3, Math.round(samples / 2 ** (level - 1)));
    const times: number[] = [];
    let tried = 0;
    let spent = 0;
    for (let i = 0; i < count; i++) {
      const solved = solveChallenge(await pow.issue('bench', level));
      if (!solved) throw new Error('unsolvable challenge');
      times.push(solved.tookMs);
      tried += solved.number + 1;
      spent += solved.tookMs;
    }
    times.sort((a, b) => a - b);
    results.push({
      level,
      maxnumber: DIFFICULTY_LEVELS[level - 1]!,
      samples: count,
      medianMs: times[Math.floor(count / 2)]!,
      hashesPerSecond: tried / (spent / 1000),
    });
  }
  return results;
}

async function benchAltchaLevel1(samples: number): Promise<number> {
  const pow = new ProofOfWork({ hmacKey: 'bench-key-bench-key-bench', replays: new MemoryReplayGuard(), clock: systemClock });
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const c = await pow.issue('bench', 1);
    const started = performance.now();
    await altchaSolve(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(samples / 2)]!;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { samples: { type: 'string', default: '9' }, altcha: { type: 'boolean', default: false } } });
  const samples = Math.min(101, Math.max(1, Number(values.samples) || 9));
  console.log(`Proof of work in Node ${process.version} (reference solver, one thread)`);
  console.log('| level | maxnumber | samples | median solve | hashes/s |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of await benchChallenges(samples)) {
    console.log(
      `| ${r.level} | ${r.maxnumber.toLocaleString('en')} | ${r.samples} | ${r.medianMs.toFixed(0)} ms | ${(r.hashesPerSecond / 1e6).toFixed(2)} M |`,
    );
  }
  if (values.altcha) console.log(`altcha-lib solveChallenge (crypto.subtle per candidate), level 1: median ${(await benchAltchaLevel1(3)).toFixed(0)} ms`);
}
