import { BatchGetItemCommand, DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { VerdictEvent } from '../../lambdas/ports/event-store';
import { ENV } from '../../lambdas/shared/env';

const dynamo = mockClient(DynamoDBClient);
const NOW = Date.UTC(2026, 10, 2, 12, 0, 0);

beforeAll(() => {
  vi.stubEnv(ENV.EVENTS_TABLE, 'events-table');
  vi.stubEnv(ENV.LISTS_TABLE, 'lists-table');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});
afterAll(() => {
  vi.unstubAllEnvs();
  dynamo.restore();
});

/** Six attempts at one number via two tenants from six networks in the minute before NOW (a bot, refused), as the Events table holds them. */
function eventItems(pk: string) {
  const minute = Math.floor((NOW - 60_000) / 60_000);
  if (pk !== `${minute}#0`) return [];
  return Array.from({ length: 6 }, (_, i) => {
    const event: Partial<VerdictEvent> = {
      at: NOW - 50_000 + i * 5_000,
      kind: 'send',
      tenant: i % 2 ? 'shop' : 'bank',
      number: 'victim-hash',
      ref: 'r',
      subnet: `net-${i}`,
      decision: 'block',
      sent: false,
      reasons: ['AUTOMATION_USER_AGENT'],
    };
    return { pk: { S: pk }, sk: { S: `${event.at}#00000000` }, d: { S: JSON.stringify(event) } };
  });
}

describe('joint-defense job handler (Lambda entry point)', () => {
  it('reads the window from the Events table and writes the promoted entry to the Lists table', async () => {
    // The Events table as a map: the events above, and whatever partials the job writes.
    const partials = new Map<string, Record<string, unknown>[]>();
    dynamo.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: { ':pk': { S: string } } }) => {
      const pk = input.ExpressionAttributeValues[':pk'].S;
      return { Items: pk.startsWith('p#') ? (partials.get(pk) ?? []) : eventItems(pk) };
    });
    dynamo.on(BatchGetItemCommand).resolves({ Responses: { 'lists-table': [] } });
    dynamo.on(PutItemCommand).callsFake((input: { TableName: string; Item: { pk: { S: string } } & Record<string, unknown> }) => {
      if (input.TableName === 'events-table') partials.set(input.Item.pk.S, [...(partials.get(input.Item.pk.S) ?? []), input.Item]);
      return {};
    });
    const { runJob } = await import('../../lambdas/handlers/joint-defense-job');
    const report = await runJob(NOW);
    expect(report).toMatchObject({ events: 6, promoted: 1, written: 1, byReason: { JOINT_DEFENSE_VICTIM: 1 } });
    const queries = () => dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input);
    // A first run reads each minute of the last hour once (one Query per minute and shard, never
    // a Scan) and stores the minutes closed for a minute as partials; the last one it reads again next time.
    expect(queries().every((q) => q.TableName === 'events-table')).toBe(true);
    expect(queries().filter((q) => !q.ExpressionAttributeValues?.[':pk']?.S?.startsWith('p#'))).toHaveLength(60 * 4);
    expect(partials.size).toBe(59);
    const put = dynamo.commandCalls(PutItemCommand).find((c) => c.args[0].input.TableName === 'lists-table');
    expect(put?.args[0].input).toMatchObject({
      TableName: 'lists-table',
      Item: { pk: { S: 'rep#number#victim-hash' }, reason: { S: 'JOINT_DEFENSE_VICTIM' }, source: { S: 'local' } },
    });

    // A minute later, in the same (warm) process: the partials it holds are not read again (one
    // Query looks for the newly closed minute, in case another run stored it), and only the two
    // newest minutes are read raw.
    dynamo.resetHistory();
    expect(await runJob(NOW + 60_000)).toMatchObject({ events: 6, folded: 1, partials: 61, promoted: 1 });
    expect(queries().filter((q) => !q.ExpressionAttributeValues?.[':pk']?.S?.startsWith('p#'))).toHaveLength(2 * 4);
    expect(queries().filter((q) => q.ExpressionAttributeValues?.[':pk']?.S?.startsWith('p#'))).toHaveLength(1);
    // A cold process reads the 59 stored partials back (one Query each) and the young minute raw.
    vi.resetModules();
    dynamo.resetHistory();
    const cold = await import('../../lambdas/handlers/joint-defense-job');
    expect(await cold.runJob(NOW + 60_000)).toMatchObject({ events: 0, folded: 0, partials: 61, promoted: 1 });
    expect(queries().filter((q) => q.ExpressionAttributeValues?.[':pk']?.S?.startsWith('p#'))).toHaveLength(59);
    expect(queries().filter((q) => !q.ExpressionAttributeValues?.[':pk']?.S?.startsWith('p#'))).toHaveLength(4);
  });

  it('fails the invocation when the store fails, so the alarm sees it', async () => {
    dynamo.reset();
    dynamo.on(QueryCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    const { runJob } = await import('../../lambdas/handlers/joint-defense-job');
    await expect(runJob(NOW)).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});
