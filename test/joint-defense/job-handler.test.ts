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
    dynamo
      .on(QueryCommand)
      .callsFake((input: { ExpressionAttributeValues: { ':pk': { S: string } } }) => ({ Items: eventItems(input.ExpressionAttributeValues[':pk'].S) }));
    dynamo.on(BatchGetItemCommand).resolves({ Responses: { 'lists-table': [] } });
    dynamo.on(PutItemCommand).resolves({});
    const { runJob } = await import('../../lambdas/handlers/joint-defense-job');
    const report = await runJob(NOW);
    expect(report).toMatchObject({ events: 6, promoted: 1, written: 1, byReason: { JOINT_DEFENSE_VICTIM: 1 } });
    // One Query per minute and shard of the last hour: bounded, and never a Scan.
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(60 * 4);
    expect(dynamo.commandCalls(QueryCommand).every((c) => c.args[0].input.TableName === 'events-table')).toBe(true);
    const [put] = dynamo.commandCalls(PutItemCommand);
    expect(put?.args[0].input).toMatchObject({
      TableName: 'lists-table',
      Item: { pk: { S: 'rep#number#victim-hash' }, reason: { S: 'JOINT_DEFENSE_VICTIM' }, source: { S: 'local' } },
    });
  });

  it('fails the invocation when the store fails, so the alarm sees it', async () => {
    dynamo.reset();
    dynamo.on(QueryCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    const { runJob } = await import('../../lambdas/handlers/joint-defense-job');
    await expect(runJob(NOW)).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});
