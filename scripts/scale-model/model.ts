/**
 * A scale model of one deployment, runnable without AWS: for a verdict rate, the writes a second
 * of the busiest DynamoDB partition key of each kind, the joint-defense job's reads and run time
 * per minute, and what a million verdicts cost next to the SMS they guard. Pure arithmetic: the
 * per-verdict store calls come in as `WaveCounts`, measured from the engine (`wave.ts`), and
 * every other input is a named assumption below, printed with the results.
 */
import { DEFAULT_PEAK_VERDICTS_PER_SECOND, eventShardsFor, PARTITION_WRITES_PER_SECOND } from '../../lambdas/adapters/dynamo/schema';
import { eventsPerMinuteFor, jobMemoryFor, PARTIAL_BYTES_PER_EVENT } from '../../lambdas/shared/job-sizing';
import { BURST_SLOT_SECONDS, costGuardShards } from '../../lambdas/engine/cost-guard';
import { smsPriceUsd } from '../../lambdas/shared/sms-prices';

/**
 * Prices, us-east-1, as published on the AWS pricing pages (DynamoDB on-demand after the
 * 1 November 2024 reduction; Lambda arm64; API Gateway HTTP API first tier), read 2026-12-03.
 * Rounded list prices: a model, not a bill.
 */
export const PRICES_USD = {
  /** DynamoDB on-demand, per write request unit (1 KB). */
  writeRequestUnit: 0.625 / 1e6,
  /** DynamoDB on-demand, per read request unit (4 KB strongly consistent, 8 KB eventually). */
  readRequestUnit: 0.125 / 1e6,
  /** DynamoDB standard table storage, per GB-month. */
  storageGbMonth: 0.25,
  /** Lambda arm64 (the shield's architecture), per GB-second. */
  lambdaGbSecond: 0.0000133334,
  /** Lambda, per request. */
  lambdaRequest: 0.2 / 1e6,
  /** API Gateway HTTP API, per request (first 300 million a month; 0.90 per million after). */
  httpApiRequest: 1.0 / 1e6,
} as const;

/** DynamoDB's documented per-partition limits. */
export const PARTITION_LIMITS = { writesPerSecond: PARTITION_WRITES_PER_SECOND, readUnitsPerSecond: 3_000 } as const;
/** DynamoDB's default per-table throughput quota of an on-demand table (a service quota AWS can raise). */
export const TABLE_WRITE_QUOTA_PER_SECOND = 40_000;

/** What one verdict asks of the store, measured from the engine's own wave (see `wave.ts`). */
export interface WaveCounts {
  /** UpdateItem requests on the Counters table in the verdict's wave (one per key written, one per set add). */
  readonly counterWrites: number;
  /** Counter keys only read (BatchGetItem, eventually consistent). */
  readonly counterReads: number;
  /** List keys read (BatchGetItem on the Lists table). */
  readonly listReads: number;
  /** Writes when the SMS is sent: the pending verification (Verifications table). */
  readonly sentWrites: number;
  /** Writes when it is not: quota given back (UpdateItem on Counters, one per quota key). */
  readonly refusedWrites: number;
  /** Verdict events written (Events table, one PutItem). */
  readonly eventWrites: number;
  /** Size of one event item in DynamoDB (bytes, attribute names included). */
  readonly eventItemBytes: number;
  /** Writes of one attempt to each of the tenant's country cost-guard keys (burst slot, day spend), sent and refused. */
  readonly costGuardKeyWrites: { readonly sent: number; readonly refused: number };
  /** Writes of one attempt to the number's cross-tenant counter when sent, and when refused (reserve, then give back). */
  readonly globalNumberWrites: { readonly sent: number; readonly refused: number };
  /** Tenant- and country-wide statistics a verdict keeps in memory (synced, not written per verdict). */
  readonly statKeys: number;
}

/** Everything else the model assumes; each is printed with the results. */
export interface Assumptions {
  /** The peak the construct was sized for (`peakVerdictsPerSecond`). */
  readonly peakVerdictsPerSecond: number;
  /** Event partitions per minute before the peak sizing (a fixed 4). */
  readonly legacyEventShards: number;
  /** Share of verdicts whose SMS is sent. */
  readonly sentShare: number;
  /** Share of sent codes verified (each verification is an event of its own). */
  readonly verifiedShare: number;
  /** Billed Lambda time of one verdict, ms (the wave plus, for sends, the SNS publish). */
  readonly billedMsPerVerdict: number;
  /** API function memory, MiB. */
  readonly apiMemoryMib: number;
  /** Job function memory, MiB. */
  readonly jobMemoryMib: number;
  /** How often each instance syncs its statistics, seconds (`statsSyncMs`). */
  readonly statsSyncSeconds: number;
  /** Share of all verdicts that go to the busiest tenant's busiest country (1: one tenant, one country). */
  readonly busiestCountryShare: number;
  /** A bomb on one number: attempts a second at that number, as a share of the verdict rate. */
  readonly bombShare: number;
  /** Events the job reads per run at most (`JointDefenseTruncated` beyond). */
  readonly jobEventLimit: number;
  /** Window the job reads, minutes. */
  readonly jobWindowMinutes: number;
  /** Minutes the raw-events job reads in parallel (`DynamoEventStore` `parallelMinutes`). */
  readonly jobParallelMinutes: number;
  /** One Query page (up to 1 MB) round trip, ms. */
  readonly queryPageMs: number;
  /** What the job function downloads at most, MB a second (a run takes the longer of its round trips and its bytes). */
  readonly jobMegabytesPerSecond: number;
  /** CPU time to parse and aggregate one event in the job, µs. */
  readonly jobEventMicros: number;
  /** With per-minute partials: the size of one minute's stored partial, bytes. */
  readonly partialBytes: number;
  /** With per-minute partials: events folded per minute at most (`maxEventsPerMinute`); past it, the alarm. */
  readonly jobEventsPerMinuteLimit: number;
  /** With per-minute partials: job memory per event in the window (the partials it keeps warm), bytes. */
  readonly partialMemoryBytesPerEvent: number;
  /** Days an event is kept (TTL). */
  readonly eventRetentionDays: number;
  /** Destination mix of the SMS spend: country → weight. */
  readonly countryMix: Readonly<Record<string, number>>;
}

export const DEFAULT_ASSUMPTIONS: Omit<Assumptions, 'countryMix'> = {
  peakVerdictsPerSecond: 10_000,
  legacyEventShards: 4,
  sentShare: 0.9,
  verifiedShare: 0.8,
  billedMsPerVerdict: 30,
  apiMemoryMib: 1024,
  jobMemoryMib: jobMemoryFor(DEFAULT_PEAK_VERDICTS_PER_SECOND).mib,
  statsSyncSeconds: 10,
  busiestCountryShare: 1,
  bombShare: 1,
  jobEventLimit: 200_000,
  jobWindowMinutes: 60,
  jobParallelMinutes: 6,
  queryPageMs: 30,
  jobMegabytesPerSecond: 50,
  jobEventMicros: 5,
  partialBytes: 100_000,
  // The job's own cut: what its memory holds for the window (past it, the dropped-evidence alarm).
  jobEventsPerMinuteLimit: eventsPerMinuteFor(jobMemoryFor(DEFAULT_PEAK_VERDICTS_PER_SECOND).mib),
  partialMemoryBytesPerEvent: PARTIAL_BYTES_PER_EVENT,
  eventRetentionDays: 2,
};

/** One rate's results. */
export interface ScaleRow {
  readonly verdictsPerSecond: number;
  /** Writes a second on the busiest key of each kind. */
  readonly busiest: {
    readonly eventsLegacy: number;
    readonly events: number;
    readonly statCounter: number;
    /** The busiest country's cost-guard burst counter, its cap sized for the traffic (split into sub-counters). */
    readonly costGuardCounter: number;
    /** The same with one unsplit counter (caps under 20,000 SMS, the defaults among them). */
    readonly costGuardUnsplit: number;
    readonly bombedNumberGlobal: number;
  };
  /** Writes a second on the Counters table (all keys). */
  readonly counterTableWrites: number;
  /** Lambda instances busy at once (Little's law: rate × billed time). */
  readonly concurrency: number;
  readonly job: { readonly raw: JobRun; readonly partials: JobRun };
  /** USD per million verdicts. */
  readonly costPerMillion: { readonly dynamodb: number; readonly lambda: number; readonly apiGateway: number; readonly total: number };
  /** SMS spend per million verdicts, USD, and the shield's cost as a share of it. */
  readonly smsSpendPerMillion: number;
  readonly shareOfSmsSpend: number;
}

/** One joint-defense run. */
export interface JobRun {
  /** Events a run works on. */
  readonly events: number;
  /** Events it fetches from the store for that (whole partitions, whole groups of minutes). */
  readonly fetched: number;
  /** True when the run stops at the event limit (a sample). */
  readonly truncated: boolean;
  /** Minutes of the window the events read cover (the newest first). */
  readonly minutesCovered: number;
  readonly queries: number;
  readonly readUnits: number;
  readonly seconds: number;
  /** Memory the run needs for the window, MB (the partial job; the raw job reads at most its limit). */
  readonly memoryMb?: number;
}

/** Event partitions per minute for a peak: the construct's own rule. */
export const shardsFor = eventShardsFor;

/** Write units of one item write: 1 per started KB. */
export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

/** Read units of an eventually consistent read of `bytes` (Query sums its items): 0.5 per started 4 KB. */
export function readUnits(bytes: number): number {
  return Math.ceil(bytes / 4096) * 0.5;
}

/** The weighted SMS price of a country mix (bundled price table). */
export function mixPriceUsd(mix: Readonly<Record<string, number>>): number {
  const total = Object.values(mix).reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error('country mix has no weight');
  return Object.entries(mix).reduce((sum, [country, weight]) => sum + (weight / total) * smsPriceUsd(country), 0);
}

/** Events a verdict brings: its own, and its code's verification when sent and verified. */
export function eventsPerVerdict(wave: WaveCounts, a: Assumptions): number {
  return wave.eventWrites + a.sentShare * a.verifiedShare;
}

/** The job reading raw events: one Query per minute and partition, pages of ≤ 1 MB, `parallelMinutes` minutes at a time. */
export function rawJobRun(rate: number, shards: number, wave: WaveCounts, a: Assumptions): JobRun {
  const perMinute = rate * 60 * eventsPerVerdict(wave, a);
  const inWindow = perMinute * a.jobWindowMinutes;
  const events = Math.min(inWindow, a.jobEventLimit);
  const perPartitionMinute = perMinute / shards;
  const pagesPerPartition = Math.max(1, Math.ceil((perPartitionMinute * wave.eventItemBytes) / 1_000_000));
  // Newest minutes first, `parallelMinutes` at a time, each partition read whole: it stops at the
  // limit only after the group that reached it, so it fetches whole groups of minutes.
  const rounds = Math.ceil(Math.ceil(events / perMinute) / a.jobParallelMinutes);
  const minutesRead = Math.min(a.jobWindowMinutes, rounds * a.jobParallelMinutes);
  const fetched = minutesRead * perMinute;
  return {
    events,
    fetched,
    truncated: inWindow > a.jobEventLimit,
    minutesCovered: Math.min(a.jobWindowMinutes, events / perMinute),
    queries: minutesRead * shards * pagesPerPartition,
    readUnits: minutesRead * shards * readUnits(perPartitionMinute * wave.eventItemBytes),
    seconds:
      Math.max((rounds * pagesPerPartition * a.queryPageMs) / 1000, (fetched * wave.eventItemBytes) / 1e6 / a.jobMegabytesPerSecond) +
      (fetched * a.jobEventMicros) / 1e6,
  };
}

/**
 * The job reading per-minute partials (the incremental design): a warm run folds the newest
 * closed minute from its raw events (one Query per partition, up to `jobEventsPerMinuteLimit`;
 * more is dropped and alarmed) and reads one stored partial; the window's other partials stay in
 * the function's memory, which grows with the hour's events (`partialMemoryBytesPerEvent`).
 */
export function partialJobRun(rate: number, shards: number, wave: WaveCounts, a: Assumptions): JobRun {
  const events = rate * 60 * eventsPerVerdict(wave, a);
  const folded = Math.min(events, a.jobEventsPerMinuteLimit);
  const perPartition = events / shards;
  const pagesPerPartition = Math.max(1, Math.ceil((perPartition * wave.eventItemBytes) / 1_000_000));
  const partialPages = Math.max(1, Math.ceil(a.partialBytes / 1_000_000));
  return {
    events: folded,
    fetched: events,
    truncated: events > a.jobEventsPerMinuteLimit,
    minutesCovered: a.jobWindowMinutes - 1 + Math.min(1, a.jobEventsPerMinuteLimit / events),
    queries: shards * pagesPerPartition + partialPages,
    readUnits: shards * readUnits(perPartition * wave.eventItemBytes) + readUnits(a.partialBytes),
    seconds:
      Math.max(((pagesPerPartition + partialPages) * a.queryPageMs) / 1000, (events * wave.eventItemBytes + a.partialBytes) / 1e6 / a.jobMegabytesPerSecond) +
      (folded * a.jobEventMicros) / 1e6,
    memoryMb: (folded * a.jobWindowMinutes * a.partialMemoryBytesPerEvent) / 1e6,
  };
}

/** The model at one verdict rate. */
export function scaleRow(rate: number, wave: WaveCounts, a: Assumptions): ScaleRow {
  if (!(rate > 0)) throw new Error(`verdict rate must be positive, got ${rate}`);
  const shards = shardsFor(a.peakVerdictsPerSecond);
  const concurrency = Math.max(1, (rate * a.billedMsPerVerdict) / 1000);
  const refusedShare = 1 - a.sentShare;
  const settleCounterWrites = refusedShare * wave.refusedWrites;
  const counterTableWrites = rate * (wave.counterWrites + settleCounterWrites);
  const bomb = rate * a.bombShare;
  // A tenant that sends `countryRate` a second to one country allows at least that many per burst slot.
  const countryRate = rate * a.busiestCountryShare;
  const costGuardWrites = countryRate * (a.sentShare * wave.costGuardKeyWrites.sent + refusedShare * wave.costGuardKeyWrites.refused);
  // A bomb is refused almost whole: each attempt reserves and gives back.
  const bombedNumberGlobal = bomb * wave.globalNumberWrites.refused;

  // DynamoDB per verdict: every counter write is one unit (items stay under 1 KB), reads half a unit each.
  const events = eventsPerVerdict(wave, a);
  const writesPerVerdict = wave.counterWrites + settleCounterWrites + a.sentShare * wave.sentWrites + events * writeUnits(wave.eventItemBytes);
  // Statistics are not written per verdict: each instance writes each of its keys once a sync.
  const statSyncWritesPerSecond = (concurrency * wave.statKeys) / a.statsSyncSeconds;
  const readsPerVerdict = (wave.counterReads + wave.listReads) * 0.5;
  const partials = partialJobRun(rate, shards, wave, a);
  const raw = rawJobRun(rate, shards, wave, a);
  const jobReadUnitsPerVerdict = partials.readUnits / (rate * 60);
  const storagePerVerdict = (((events * wave.eventItemBytes) / 1e9) * PRICES_USD.storageGbMonth * a.eventRetentionDays) / 30.4;
  const dynamodbPerVerdict =
    (writesPerVerdict + statSyncWritesPerSecond / rate) * PRICES_USD.writeRequestUnit +
    (readsPerVerdict + jobReadUnitsPerVerdict) * PRICES_USD.readRequestUnit +
    storagePerVerdict;
  const lambdaPerVerdict =
    (a.apiMemoryMib / 1024) * (a.billedMsPerVerdict / 1000) * PRICES_USD.lambdaGbSecond +
    PRICES_USD.lambdaRequest +
    ((a.jobMemoryMib / 1024) * partials.seconds * PRICES_USD.lambdaGbSecond + PRICES_USD.lambdaRequest) / (rate * 60);
  const million = 1e6;
  const cost = {
    dynamodb: dynamodbPerVerdict * million,
    lambda: lambdaPerVerdict * million,
    apiGateway: PRICES_USD.httpApiRequest * million,
  };
  const total = cost.dynamodb + cost.lambda + cost.apiGateway;
  const smsSpendPerMillion = million * a.sentShare * mixPriceUsd(a.countryMix);
  return {
    verdictsPerSecond: rate,
    busiest: {
      eventsLegacy: (rate * events) / a.legacyEventShards,
      events: (rate * events) / shards,
      statCounter: concurrency / a.statsSyncSeconds,
      costGuardCounter: costGuardWrites / costGuardShards(countryRate * BURST_SLOT_SECONDS),
      costGuardUnsplit: costGuardWrites,
      bombedNumberGlobal,
    },
    counterTableWrites: counterTableWrites + statSyncWritesPerSecond,
    concurrency,
    job: { raw, partials },
    costPerMillion: { ...cost, total },
    smsSpendPerMillion,
    shareOfSmsSpend: total / smsSpendPerMillion,
  };
}
