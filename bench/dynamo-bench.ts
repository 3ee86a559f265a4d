import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createTables } from '../lambdas/adapters/dynamo/create-tables';
import { DynamoCounterStore } from '../lambdas/adapters/dynamo/dynamo-counter-store';
import { DynamoListStore } from '../lambdas/adapters/dynamo/dynamo-list-store';
import { DynamoVerificationStore } from '../lambdas/adapters/dynamo/dynamo-verification-store';
import { loadGeoLookup } from '../lambdas/adapters/geo/geo-lookup';
import { RiskEngine } from '../lambdas/engine/engine';
import { createHasher } from '../lambdas/engine/hasher';
import { DEFAULT_POLICY } from '../lambdas/engine/policy';
import { systemClock } from '../lambdas/ports/clock';
import { JavaNotFoundError, startDynamoDbLocal } from '../test/support/dynamodb-local';

export interface DynamoBenchResult {
  readonly firstCalls: number;
  readonly steadyCalls: number;
  readonly singleWave: boolean;
  readonly verdictP50Ms: number;
  readonly verdictP99Ms: number;
  readonly bareP50Ms: number;
  readonly bareP99Ms: number;
}

/**
 * The engine on the DynamoDB adapters against the real DynamoDB Local engine: calls per verdict
 * (counted by an SDK middleware), whether they form one wave, and verdict latency next to the
 * latency of one bare UpdateItem — the floor for any stateful verdict. Undefined without Java.
 */
export async function benchDynamo(opts: { verdicts: number; maxSeconds: number }): Promise<DynamoBenchResult | undefined> {
  let local: Awaited<ReturnType<typeof startDynamoDbLocal>>;
  try {
    local = await startDynamoDbLocal();
  } catch (error) {
    if (error instanceof JavaNotFoundError) return undefined;
    throw error;
  }
  try {
    const client = new DynamoDBClient({
      endpoint: local.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    const names = { Counters: 'b-counters', Lists: 'b-lists', Tenants: 'b-tenants', Verifications: 'b-verifications', Events: 'b-events' };
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
    const engine = new RiskEngine({
      counters: new DynamoCounterStore(client, names.Counters),
      lists: new DynamoListStore(client, names.Lists),
      verifications: new DynamoVerificationStore(client, names.Verifications),
      geo: await loadGeoLookup(),
      hasher: createHasher('bench-secret-bench-secret-bench'),
      clock: systemClock,
    });
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

    // Warm-up (JIT, connections), also the verdict that loads the list cache and syncs statistics.
    calls.length = 0;
    await engine.assess(attempt(0), DEFAULT_POLICY);
    const firstCalls = calls.length;
    for (let i = 1; i < 50; i++) await engine.assess(attempt(i), DEFAULT_POLICY);

    const deadline = Date.now() + opts.maxSeconds * 1000;
    const verdictMs: number[] = [];
    let steadyCalls = 0;
    let singleWave = true;
    for (let i = 0; i < opts.verdicts && Date.now() < deadline; i++) {
      calls.length = 0;
      const t = performance.now();
      await engine.assess(attempt(1_000 + i), DEFAULT_POLICY);
      verdictMs.push(performance.now() - t);
      steadyCalls = Math.max(steadyCalls, calls.length);
      const firstEnd = Math.min(...calls.map((c) => c.end));
      if (calls.some((c) => c.start > firstEnd)) singleWave = false;
    }

    const bareMs: number[] = [];
    for (let i = 0; i < opts.verdicts && Date.now() < deadline + 30_000; i++) {
      const t = performance.now();
      await client.send(
        new UpdateItemCommand({
          TableName: names.Counters,
          Key: { pk: { S: `bare#${i % 50}` } },
          UpdateExpression: 'ADD #v :one',
          ExpressionAttributeNames: { '#v': 'v' },
          ExpressionAttributeValues: { ':one': { N: '1' } },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      bareMs.push(performance.now() - t);
    }
    client.destroy();
    const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;
    return {
      firstCalls,
      steadyCalls,
      singleWave,
      verdictP50Ms: q(verdictMs, 0.5),
      verdictP99Ms: q(verdictMs, 0.99),
      bareP50Ms: q(bareMs, 0.5),
      bareP99Ms: q(bareMs, 0.99),
    };
  } finally {
    await local.stop();
  }
}
