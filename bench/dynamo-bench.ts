import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createTables } from '../lambdas/adapters/dynamo/create-tables';
import { DynamoCounterStore } from '../lambdas/adapters/dynamo/dynamo-counter-store';
import { DynamoListStore } from '../lambdas/adapters/dynamo/dynamo-list-store';
import { DynamoVerificationStore } from '../lambdas/adapters/dynamo/dynamo-verification-store';
import { loadGeoLookup } from '../lambdas/adapters/geo/geo-lookup';
import { RiskEngine } from '../lambdas/engine/engine';
import { createHasher } from '../lambdas/engine/hasher';
import { DEFAULT_POLICY } from '../lambdas/engine/policy';
import { type Clock, ManualClock, systemClock } from '../lambdas/ports/clock';
import type { GeoLookup } from '../lambdas/ports/geo';
import { JavaNotFoundError, startDynamoDbLocal } from '../test/support/dynamodb-local';
import { startLatencyProxyThread } from './latency-proxy';

/** Milliseconds at the 50th and 99th percentiles. */
export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
}

/** One verdict's and one bare UpdateItem's latency, measured the same way. */
export interface VerdictVsBare {
  readonly verdict: Percentiles;
  readonly bare: Percentiles;
}

export interface DynamoBenchResult {
  readonly firstCalls: number;
  readonly steadyCalls: number;
  readonly singleWave: boolean;
  /** Straight to DynamoDB Local. */
  readonly local: VerdictVsBare;
  /** Capacity units per steady-state verdict, as DynamoDB Local accounts them (`ReturnConsumedCapacity: 'TOTAL'`). */
  readonly capacity: { readonly rcu: number; readonly wcu: number };
  /** The same for settling a verdict as sent (remembering the code for its verification). */
  readonly settleCapacity: { readonly rcu: number; readonly wcu: number };
  /** Through the latency proxy (see `latency-proxy.ts`). */
  readonly model: {
    readonly p50Ms: number;
    readonly p99Ms: number;
    /** `live`: answers at max(DynamoDB Local's answer, the drawn latency). */
    readonly live: VerdictVsBare;
    /** `recorded`: DynamoDB Local's answers of the live run, each at its drawn latency — the AWS model. */
    readonly aws: VerdictVsBare;
    /** Requests the recorded run made that the live run had not (should be 0). */
    readonly misses: number;
  };
}

const NAMES = { Counters: 'counters', Lists: 'lists', Tenants: 'tenants', Verifications: 'verifications', Events: 'events' };
type Names = typeof NAMES;
const tables = (prefix: string): Names => Object.fromEntries(Object.entries(NAMES).map(([k, v]) => [k, `${prefix}-${v}`])) as unknown as Names;

const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand', 'TransactGetItemsCommand']);
const WRITES = new Set(['UpdateItemCommand', 'PutItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

interface CapacityOut {
  CapacityUnits?: number;
}

/**
 * The engine on the DynamoDB adapters against the real DynamoDB Local engine: calls per verdict
 * (counted by an SDK middleware), whether they form one wave, capacity units per verdict, and
 * verdict latency next to the latency of one bare UpdateItem — the floor for any stateful
 * verdict — straight to DynamoDB Local and through a latency model of DynamoDB in AWS.
 * Undefined without Java.
 */
export async function benchDynamo(opts: { verdicts: number; maxSeconds: number; p50Ms?: number; p99Ms?: number }): Promise<DynamoBenchResult | undefined> {
  let local: Awaited<ReturnType<typeof startDynamoDbLocal>>;
  try {
    local = await startDynamoDbLocal();
  } catch (error) {
    if (error instanceof JavaNotFoundError) return undefined;
    throw error;
  }
  const p50Ms = opts.p50Ms ?? 4;
  const p99Ms = opts.p99Ms ?? 12;
  const proxy = await startLatencyProxyThread({ target: local.endpoint, p50Ms, p99Ms, seed: 1 });
  const clients: DynamoDBClient[] = [];
  const clientOf = (endpoint: string) => {
    const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    clients.push(client);
    return client;
  };
  try {
    const geo = await loadGeoLookup();
    const deadline = Date.now() + opts.maxSeconds * 1000;

    // Straight to DynamoDB Local, on the system clock.
    const client = clientOf(local.endpoint);
    const names = tables('b');
    await createTables(client, names);
    const calls: { start: number; end: number }[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        const call = { start: performance.now(), end: Number.POSITIVE_INFINITY };
        calls.push(call);
        try {
          return await next(args);
        } finally {
          call.end = performance.now();
        }
      },
      { step: 'initialize', name: 'benchCallRecorder' },
    );
    const verdictUnits = { rcu: 0, wcu: 0 };
    const settleUnits = { rcu: 0, wcu: 0 };
    let capacity = verdictUnits;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName ?? '';
        const read = READS.has(command);
        if (!read && !WRITES.has(command)) return next(args);
        (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: CapacityOut | CapacityOut[] }).ConsumedCapacity;
        const units = [consumed ?? []].flat().reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
        if (read) capacity.rcu += units;
        else capacity.wcu += units;
        return result;
      },
      { step: 'initialize', name: 'benchCapacityCounter' },
    );
    const engine = engineOn(client, names, geo, systemClock);

    // Warm-up (JIT, connections), also the verdict that loads the list cache and syncs statistics.
    calls.length = 0;
    await engine.assess(attempt(0), DEFAULT_POLICY);
    const firstCalls = calls.length;
    for (let i = 1; i < 50; i++) await engine.assess(attempt(i), DEFAULT_POLICY);

    const verdictMs: number[] = [];
    let steadyCalls = 0;
    let singleWave = true;
    verdictUnits.rcu = 0;
    verdictUnits.wcu = 0;
    const assessments: Awaited<ReturnType<RiskEngine['assess']>>[] = [];
    for (let i = 0; i < opts.verdicts && Date.now() < deadline; i++) {
      calls.length = 0;
      const t = performance.now();
      const assessment = await engine.assess(attempt(1_000 + i), DEFAULT_POLICY);
      verdictMs.push(performance.now() - t);
      steadyCalls = Math.max(steadyCalls, calls.length);
      const firstEnd = Math.min(...calls.map((c) => c.end));
      if (calls.some((c) => c.start > firstEnd)) singleWave = false;
      assessments.push(assessment);
    }
    // After the timed loop: each verdict settled as sent (the code remembered for its verification).
    capacity = settleUnits;
    for (const assessment of assessments) await engine.settle(assessment, true);
    capacity = verdictUnits;
    const per = (units: { rcu: number; wcu: number }, n: number) => ({ rcu: units.rcu / Math.max(1, n), wcu: units.wcu / Math.max(1, n) });
    const bareMs = await bare(client, names.Counters, opts.verdicts, deadline + 30_000);

    // Through the latency proxy: the same deterministic workload (manual clock, fresh tables,
    // same secret) twice — live, then from the recording. Each run: warm-up, verdicts, bare calls.
    const modelNames = tables('m');
    await createTables(client, modelNames);
    // The live run stops at the count or the time limit; the recorded run repeats exactly as many.
    const run = async (limit: { verdicts: number; bare: number; deadline: number }) => {
      await proxy.reseed();
      const viaProxy = clientOf(proxy.endpoint);
      const clock = new ManualClock(Date.UTC(2026, 10, 2, 8));
      const modelEngine = engineOn(viaProxy, modelNames, geo, clock);
      for (let i = 0; i < 50; i++) {
        clock.advance(50);
        await modelEngine.assess(attempt(i), DEFAULT_POLICY);
      }
      const ms: number[] = [];
      for (let i = 0; i < limit.verdicts && Date.now() < limit.deadline; i++) {
        clock.advance(50);
        const t = performance.now();
        await modelEngine.assess(attempt(1_000 + i), DEFAULT_POLICY);
        ms.push(performance.now() - t);
      }
      // Bare calls get time of their own after the verdicts, as in the direct run.
      const bareMs = await bare(viaProxy, modelNames.Counters, limit.bare, limit.deadline + 30_000);
      return { result: { verdict: percentiles(ms), bare: percentiles(bareMs) }, verdicts: ms.length, bare: bareMs.length };
    };
    await proxy.setMode('live');
    const liveRun = await run({ verdicts: opts.verdicts, bare: opts.verdicts, deadline: Date.now() + opts.maxSeconds * 1000 });
    await proxy.setMode('recorded');
    const awsRun = await run({ verdicts: liveRun.verdicts, bare: liveRun.bare, deadline: Number.POSITIVE_INFINITY });
    const live = liveRun.result;
    const aws = awsRun.result;

    return {
      firstCalls,
      steadyCalls,
      singleWave,
      local: { verdict: percentiles(verdictMs), bare: percentiles(bareMs) },
      capacity: per(verdictUnits, verdictMs.length),
      settleCapacity: per(settleUnits, assessments.length),
      model: { p50Ms, p99Ms, live, aws, misses: (await proxy.stats()).misses },
    };
  } finally {
    for (const c of clients) c.destroy();
    await proxy.close();
    await local.stop();
  }
}

function engineOn(client: DynamoDBClient, names: Names, geo: GeoLookup, clock: Clock): RiskEngine {
  return new RiskEngine({
    counters: new DynamoCounterStore(client, names.Counters),
    lists: new DynamoListStore(client, names.Lists),
    verifications: new DynamoVerificationStore(client, names.Verifications),
    geo,
    hasher: createHasher('bench-secret-bench-secret-bench'),
    clock,
  });
}

const attempt = (i: number) => ({
  tenant: 'bench',
  phone: `+44 7400 ${String(200_000 + i).slice(-6)}`,
  scenario: 'login' as const,
  ip: `81.2.69.${i % 250}`,
  device: `device-${i}`,
  account: `account-${i}`,
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  challenge: 'absent' as const,
});

/** `count` UpdateItems one after another (or until `deadline`), ms each. */
async function bare(client: DynamoDBClient, table: string, count: number, deadline: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < count && Date.now() < deadline; i++) {
    const t = performance.now();
    await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: `bare#${i % 50}` } },
        UpdateExpression: 'ADD #v :one',
        ExpressionAttributeNames: { '#v': 'v' },
        ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    ms.push(performance.now() - t);
  }
  return ms;
}

function percentiles(xs: readonly number[]): Percentiles {
  const sorted = [...xs].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { p50: q(0.5), p99: q(0.99) };
}
