import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TableNames } from '../../lambdas/adapters/dynamo/create-tables';
import { DynamoCounterStore } from '../../lambdas/adapters/dynamo/dynamo-counter-store';
import { DynamoListStore } from '../../lambdas/adapters/dynamo/dynamo-list-store';
import { DynamoVerificationStore } from '../../lambdas/adapters/dynamo/dynamo-verification-store';
import { RiskEngine } from '../../lambdas/engine/engine';
import { RULE_KINDS } from '../../lambdas/engine/list-index';
import { ManualClock } from '../../lambdas/ports/clock';
import { createTestTables, dynamoClient } from '../support/dynamo';
import { attempt, hasher, memoryEngine, policy, testGeo } from '../support/engine';

const endpoint = inject('dynamoEndpoint');

/** One DynamoDB command as the SDK saw it: from `send` until its result (or error) came back. */
interface Call {
  readonly command: string;
  /** Item key for GetItem/UpdateItem, scope for Query, key count for BatchGetItem. */
  readonly target: string;
  readonly start: number;
  readonly end: number;
}

interface CommandInput {
  readonly Key?: Record<string, AttributeValue>;
  readonly ExpressionAttributeValues?: Record<string, AttributeValue>;
  readonly RequestItems?: Record<string, { Keys?: Record<string, AttributeValue>[] }>;
}

/** Records every command sent through `client`, timed at the outermost (initialize) step. */
function recordCalls(client: DynamoDBClient): Call[] {
  const calls: Call[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const start = performance.now();
      try {
        return await next(args);
      } finally {
        const command = (context.commandName ?? '?').replace(/Command$/, '');
        calls.push({ command, target: targetOf(args.input as CommandInput), start, end: performance.now() });
      }
    },
    { step: 'initialize', name: 'recordDynamoCalls', priority: 'high' },
  );
  return calls;
}

function targetOf(input: CommandInput): string {
  if (input.Key) return input.Key.pk?.S ?? '?';
  if (input.RequestItems) {
    // A batch names its keys, so one made only of aggregate statistics is recognisable as such.
    const keys = Object.values(input.RequestItems).flatMap((r) => (r.Keys ?? []).map((k) => k.pk?.S ?? '?'));
    return keys.every((k) => AGGREGATE_KEY.test(k)) ? keys.sort().join(',') : `${keys.length} keys`;
  }
  return input.ExpressionAttributeValues?.[':s']?.S ?? '?';
}

/** Commands by name, e.g. `{ GetItem: 12, UpdateItem: 20 }`, sorted by name. */
function tally(calls: readonly Call[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { command } of [...calls].sort((a, b) => a.command.localeCompare(b.command))) counts[command] = (counts[command] ?? 0) + 1;
  return counts;
}

/** Tenant- and country-wide statistics (aggregate-stats.ts): synced in the wave only when due. */
const AGGREGATE_KEY = /^v#(attempts|sent|verified):(tenant|country)#/;

describe.skipIf(!endpoint)('RiskEngine on DynamoDB Local: one wave of calls per verdict', () => {
  let tables: { names: TableNames; close(): void } | undefined;
  let client: DynamoDBClient | undefined;

  beforeAll(async () => {
    tables = await createTestTables(endpoint, 'wave');
    // A client of its own, so table creation is not recorded.
    client = dynamoClient(endpoint);
  });
  afterAll(() => {
    client?.destroy();
    tables?.close();
  });

  it('sends every call of a verdict before the first one returns, and agrees with the in-memory engine', async () => {
    const { names } = tables!;
    const calls = recordCalls(client!);
    // Real time, not the fixed T0 of the engine tests: DynamoDB Local may sweep items whose TTL is
    // past. 10 s into a minute, so both verdicts (1 s apart) share every counter bucket.
    const start = Math.floor(Date.now() / 60_000) * 60_000 + 10_000;
    const clock = new ManualClock(start);
    const engine = new RiskEngine({
      counters: new DynamoCounterStore(client!, names.Counters),
      lists: new DynamoListStore(client!, names.Lists),
      verifications: new DynamoVerificationStore(client!, names.Verifications),
      geo: testGeo,
      hasher,
      clock,
    });
    const memory = memoryEngine(start);
    // Phone, public residential IP (GB, AS2856), device and account: every kind of state is touched.
    const input = attempt({ ip: '81.2.69.142', device: 'device-1', account: 'acct-1' });
    const p = policy();

    const waves: Call[][] = [];
    for (const step of [0, 1_000]) {
      clock.advance(step);
      memory.clock.advance(step);
      calls.length = 0;
      const { verdict } = await engine.assess(input, p);
      const wave = [...calls];
      waves.push(wave);

      expect(wave.length).toBeGreaterThan(0);
      const firstEnd = Math.min(...wave.map((c) => c.end));
      const late = wave.filter((c) => c.start >= firstEnd);
      expect(late, 'calls started after the first call had returned').toEqual([]);

      const expected = (await memory.engine.assess(input, p)).verdict;
      expect({ decision: verdict.decision, reasons: verdict.reasons }).toEqual({
        decision: expected.decision,
        reasons: expected.reasons,
      });
      const millis = Math.max(...wave.map((c) => c.end)) - Math.min(...wave.map((c) => c.start));
      console.log(
        `verdict ${waves.length} (${verdict.decision}${verdict.reasons.length > 0 ? `: ${verdict.reasons.join(', ')}` : ''}): ` +
          `${wave.length} DynamoDB calls in one wave of ${millis.toFixed(1)} ms, ${JSON.stringify(tally(wave))}`,
      );
    }

    const [first, second] = waves as [Call[], Call[]];
    // First verdict: the rule-list cache loads (one Query per rule kind and scope, tenant and global)
    // and the aggregate statistics sync; right after, both are fresh and stay out of the wave.
    expect(first.filter((c) => c.command === 'Query')).toHaveLength(2 * RULE_KINDS.length);
    expect(second.filter((c) => c.command === 'Query')).toEqual([]);
    expect(first.some((c) => AGGREGATE_KEY.test(c.target))).toBe(true);
    expect(second.filter((c) => AGGREGATE_KEY.test(c.target))).toEqual([]);
    // Apart from those, the two verdicts make the same calls (same input, same buckets).
    const perVerdict = (wave: Call[]) =>
      wave
        .filter((c) => c.command !== 'Query' && !AGGREGATE_KEY.test(c.target))
        .map((c) => `${c.command} ${c.target}`)
        .sort();
    expect(perVerdict(second)).toEqual(perVerdict(first));
  });
});
