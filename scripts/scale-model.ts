/**
 * `npm run scale-model`: the scale model (scripts/scale-model/model.ts) at 100, 1,000 and 10,000
 * verdicts a second, with the engine's own per-verdict store calls (measured in process, no AWS)
 * and every assumption printed next to the results.
 *
 *   npm run scale-model [-- <rate> ...]
 */
import { tenantCountries } from '../lambdas/sim/world';
import { SIM_CONFIG, type TenantId } from '../lambdas/sim/profiles/sim-config';
import {
  type Assumptions,
  DEFAULT_ASSUMPTIONS,
  PARTITION_LIMITS,
  PRICES_USD,
  TABLE_WRITE_QUOTA_PER_SECOND,
  mixPriceUsd,
  scaleRow,
  shardsFor,
} from './scale-model/model';
import { measureWave } from './scale-model/wave';

/** The simulator's tenants' destination countries, each tenant weighted equally. */
function simulatorCountryMix(): Record<string, number> {
  const mix: Record<string, number> = {};
  for (const tenant of Object.keys(SIM_CONFIG.tenants) as TenantId[]) {
    const weights = tenantCountries(tenant);
    const total = Object.values(weights).reduce((a: number, b) => a + (b ?? 0), 0);
    for (const [country, w] of Object.entries(weights)) mix[country] = (mix[country] ?? 0) + (w ?? 0) / total;
  }
  return mix;
}

function parseRates(args: readonly string[]): number[] {
  if (args.length === 0) return [100, 1_000, 10_000];
  return args.map((a) => {
    const n = Number(a);
    if (!Number.isFinite(n) || n <= 0 || n > 10_000_000)
      throw new Error(`a rate must be a positive number of verdicts a second (at most 10,000,000), got '${a}'`);
    return n;
  });
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const usd = (n: number) => `$${n < 10 ? n.toFixed(2) : int(n)}`;
const pct = (n: number) => `${(n * 100).toFixed(n < 0.001 ? 4 : 3)}%`;
const share = (n: number) => `${Number((n * 100).toFixed(1))}%`;
/** A key's writes a second, flagged against the per-partition limit and the planned half of it. */
function keyLoad(writes: number): string {
  const flag =
    writes > PARTITION_LIMITS.writesPerSecond ? '  OVER LIMIT: throttled' : writes > PARTITION_LIMITS.writesPerSecond / 2 ? '  over half the limit' : '';
  return `${int(writes)}/s${flag}`;
}

async function main(): Promise<void> {
  const rates = parseRates(process.argv.slice(2));
  const wave = await measureWave();
  const a: Assumptions = { ...DEFAULT_ASSUMPTIONS, countryMix: simulatorCountryMix() };
  const lines: string[] = [];
  const out = (line = '') => lines.push(line);

  out('SMS Shield scale model (no AWS; per-verdict calls measured from the engine)');
  out();
  out('Per verdict (a login code: valid mobile, residential address, device, account):');
  out(`  Counters: ${wave.counterWrites} UpdateItem, ${wave.counterReads} keys read; Lists: ${wave.listReads} keys read`);
  out(`  settle: sent ${wave.sentWrites} PutItem (pending code); refused ${wave.refusedWrites} UpdateItem (quota back)`);
  out(`  event: ${wave.eventWrites} PutItem of ${wave.eventItemBytes} bytes; statistics: ${wave.statKeys} keys in memory, synced per instance`);
  out(`  one tenant-country cost-guard key: ${wave.costGuardKeyWrites.sent} write sent, ${wave.costGuardKeyWrites.refused} refused`);
  out(`  the number's cross-tenant counter: ${wave.globalNumberWrites.sent} write sent, ${wave.globalNumberWrites.refused} refused`);
  out();
  out('Assumptions:');
  out(
    `  peak the construct is sized for ${int(a.peakVerdictsPerSecond)}/s → ${shardsFor(a.peakVerdictsPerSecond)} event partitions a minute (before: ${a.legacyEventShards})`,
  );
  out(
    `  ${share(a.sentShare)} of verdicts sent, ${share(a.verifiedShare)} of sent codes verified (an event each); ${a.billedMsPerVerdict} ms billed a verdict at ${a.apiMemoryMib} MiB arm64; statistics synced every ${a.statsSyncSeconds} s`,
  );
  out(`  busiest tenant-country takes ${share(a.busiestCountryShare)} of verdicts; a bomb aims ${share(a.bombShare)} of the rate at one number`);
  out(
    `  job: ${a.jobWindowMinutes}-minute window, ${int(a.jobEventLimit)} events at most, ${a.queryPageMs} ms a Query page, ${a.jobMegabytesPerSecond} MB/s, ${a.jobEventMicros} µs an event; partial of ${int(a.partialBytes)} bytes a minute, ${int(a.jobEventsPerMinuteLimit)} events folded a minute at most, ${int(a.partialMemoryBytesPerEvent)} bytes of memory per event in the window`,
  );
  out('  every counter write 1 WRU (items under 1 KB; a full 200-member set, ≈ 3 KB, costs 3); reads eventually consistent');
  out(`  SMS mix: the simulator's tenants (equal weight), ${usd(mixPriceUsd(a.countryMix) * 1000)} per 1,000 SMS (bundled price table)`);
  out(
    `  prices (us-east-1, read 2026-12-03): WRU $${(PRICES_USD.writeRequestUnit * 1e6).toFixed(3)}/M, RRU $${(PRICES_USD.readRequestUnit * 1e6).toFixed(3)}/M, ` +
      `Lambda $${PRICES_USD.lambdaGbSecond}/GB-s + $${(PRICES_USD.lambdaRequest * 1e6).toFixed(2)}/M, HTTP API $${(PRICES_USD.httpApiRequest * 1e6).toFixed(2)}/M`,
  );
  for (const rate of rates) {
    const r = scaleRow(rate, wave, a);
    out();
    out(`== ${int(rate)} verdicts/s (≈ ${int(r.concurrency)} busy instances)`);
    out('  busiest partition key, writes/s (limit 1,000; planned ≤ 500):');
    const key = (label: string, writes: number, note = '') => out(`    ${label.padEnd(38)}${keyLoad(writes)}${note}`);
    key(`events, ${a.legacyEventShards} partitions (before)`, r.busiest.eventsLegacy);
    key('events, partitions from the peak', r.busiest.events);
    key('tenant/country statistic', r.busiest.statCounter);
    key('cost guard, cap sized to the traffic', r.busiest.costGuardCounter);
    key('cost guard, unsplit (caps < 20,000)', r.busiest.costGuardUnsplit);
    key('bombed number, cross-tenant', r.busiest.bombedNumberGlobal, '  (fails closed when throttled)');
    const quota =
      r.counterTableWrites > TABLE_WRITE_QUOTA_PER_SECOND ? `  OVER the default table quota (${int(TABLE_WRITE_QUOTA_PER_SECOND)}/s): ask AWS to raise it` : '';
    out(`  Counters table: ${int(r.counterTableWrites)} writes/s${quota}`);
    const job = (name: string, j: typeof r.job.raw) =>
      out(
        `  job ${name}: ${int(j.events)} events (${int(j.fetched)} fetched)${j.truncated ? ` (TRUNCATED: ${j.minutesCovered.toFixed(1)} of ${a.jobWindowMinutes} minutes)` : ''}, ${int(j.queries)} Query pages, ${int(j.readUnits)} RRU, ≈ ${j.seconds.toFixed(1)} s a run${j.seconds > 50 ? ' (over the 50 s timeout)' : ''}${j.memoryMb === undefined ? '' : `, ≈ ${int(j.memoryMb)} MB of partials in memory${j.memoryMb > a.jobMemoryMib ? ` (OVER the job's ${int(a.jobMemoryMib)} MiB)` : ''}`}`,
      );
    job('reading the raw hour (today)', r.job.raw);
    job('reading per-minute partials', r.job.partials);
    const c = r.costPerMillion;
    out(`  per million verdicts: DynamoDB ${usd(c.dynamodb)}, Lambda ${usd(c.lambda)}, API Gateway ${usd(c.apiGateway)}: ${usd(c.total)}`);
    out(`  SMS spend per million verdicts ${usd(r.smsSpendPerMillion)}; the shield costs ${pct(r.shareOfSmsSpend)} of it`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`scale-model: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
