import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoReplayGuard, USED_TOKEN_PREFIX } from '../../lambdas/adapters/dynamo/dynamo-replay-guard';
import { MemoryReplayGuard } from '../../lambdas/adapters/memory/memory-replay-guard';
import type { ReplayGuard } from '../../lambdas/ports/replay-guard';
import { createTestTables, startDynalite, uniqueId } from '../support/dynamo';

const endpoint = inject('dynamoEndpoint');
const now = Math.floor(Date.now() / 1000);

/** The same assertions for every implementation. */
function replayGuardContract(guard: () => ReplayGuard): void {
  it('lets the first claim of an id through and refuses the next', async () => {
    const id = uniqueId('pow');
    expect(await guard().claim(id, now + 300, now)).toBe(true);
    expect(await guard().claim(id, now + 300, now)).toBe(false);
    expect(await guard().claim(id, now + 600, now + 100)).toBe(false);
    expect(await guard().claim(uniqueId('pow'), now + 300, now)).toBe(true);
  });

  it('gives exactly one of 20 concurrent claims', async () => {
    const id = uniqueId('pow');
    const results = await Promise.all(Array.from({ length: 20 }, () => guard().claim(id, now + 300, now)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('forgets an id from the second it expires (TTL deletes late; the condition does not)', async () => {
    const id = uniqueId('pow');
    expect(await guard().claim(id, now + 60, now)).toBe(true);
    expect(await guard().claim(id, now + 120, now + 59)).toBe(false);
    expect(await guard().claim(id, now + 120, now + 60)).toBe(true);
    expect(await guard().claim(id, now + 180, now + 61)).toBe(false);
  });
}

function dynamoItemChecks(ctx: () => { client: DynamoDBClient; table: string; guard: ReplayGuard }): void {
  it('stores one item under the used-token prefix with the TTL in `expiresAt`', async () => {
    const id = uniqueId('pow');
    await ctx().guard.claim(id, now + 360, now);
    const { Item } = await ctx().client.send(
      new GetItemCommand({ TableName: ctx().table, Key: { pk: { S: `${USED_TOKEN_PREFIX}${id}` } }, ConsistentRead: true }),
    );
    expect(Item).toEqual({ pk: { S: `${USED_TOKEN_PREFIX}${id}` }, expiresAt: { N: String(now + 360) } });
  });

  it('uses a key prefix no tenant id can start with', () => {
    expect(USED_TOKEN_PREFIX).toMatch(/^[^a-z0-9]/);
  });
}

describe('MemoryReplayGuard', () => {
  const guard = new MemoryReplayGuard();
  replayGuardContract(() => guard);

  it('sweeps expired ids so memory follows the live ones', async () => {
    const local = new MemoryReplayGuard(3);
    await local.claim('a', now + 10, now);
    await local.claim('b', now + 100, now);
    await local.claim('c', now + 100, now + 50);
    expect(local.size).toBe(2);
  });
});

describe.skipIf(!endpoint)('DynamoReplayGuard on DynamoDB Local', () => {
  let tables: Awaited<ReturnType<typeof createTestTables>>;
  let guard: ReplayGuard;
  beforeAll(async () => {
    tables = await createTestTables(endpoint, 'replays');
    guard = new DynamoReplayGuard(tables.client, tables.names.Verifications);
  });
  afterAll(() => tables?.close());

  replayGuardContract(() => guard);
  dynamoItemChecks(() => ({ client: tables.client, table: tables.names.Verifications, guard }));
});

// Local mode keeps used challenges in dynalite.
describe('DynamoReplayGuard on dynalite', () => {
  let dynalite: Awaited<ReturnType<typeof startDynalite>>;
  let tables: Awaited<ReturnType<typeof createTestTables>>;
  let guard: ReplayGuard;
  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTestTables(dynalite.endpoint, 'replays');
    guard = new DynamoReplayGuard(tables.client, tables.names.Verifications);
  });
  afterAll(async () => {
    tables?.close();
    await dynalite?.stop();
  });

  replayGuardContract(() => guard);
  dynamoItemChecks(() => ({ client: tables.client, table: tables.names.Verifications, guard }));
});
