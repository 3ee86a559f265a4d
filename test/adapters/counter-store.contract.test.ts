import { DescribeTimeToLiveCommand, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTables, type TableNames } from '../../lambdas/adapters/dynamo/create-tables';
import { DynamoCounterStore } from '../../lambdas/adapters/dynamo/dynamo-counter-store';
import { MemoryCounterStore } from '../../lambdas/adapters/memory/memory-counter-store';
import { ManualClock } from '../../lambdas/ports/clock';
import type { CounterIncrement, CounterStore } from '../../lambdas/ports/counter-store';
import { createTestTables, startDynalite, uniqueId } from '../support/dynamo';

const endpoint = inject('dynamoEndpoint');
const nowSeconds = Math.floor(Date.now() / 1000);
/** Far enough ahead that no TTL sweep and no in-memory expiry interferes. */
const expiresAt = nowSeconds + 86_400;

const inc = (key: string, by: number): CounterIncrement => ({ key, by, expiresAt });

/** The same assertions for every implementation. */
function counterStoreContract(store: () => CounterStore): void {
  it('returns the new values in input order', async () => {
    const [a, b, c] = [uniqueId('a'), uniqueId('b'), uniqueId('c')];
    expect(await store().increment([inc(a, 1), inc(b, 5), inc(c, 2)])).toEqual([1, 5, 2]);
    expect(await store().increment([inc(c, 1), inc(a, 1), inc(b, -2)])).toEqual([3, 2, 3]);
  });

  it('applies negative increments', async () => {
    const [a, fresh] = [uniqueId('a'), uniqueId('fresh')];
    expect(await store().increment([inc(a, 3)])).toEqual([3]);
    expect(await store().increment([inc(a, -1)])).toEqual([2]);
    expect(await store().increment([inc(a, -5)])).toEqual([-3]);
    expect(await store().increment([inc(fresh, -1)])).toEqual([-1]);
  });

  it('keeps keys independent', async () => {
    const [a, b] = [uniqueId('a'), uniqueId('b')];
    await store().increment([inc(a, 1)]);
    await store().increment([inc(a, 1)]);
    expect(await store().increment([inc(b, 1)])).toEqual([1]);
    expect(await store().increment([inc(a, 1)])).toEqual([3]);
  });

  it('gives 200 concurrent increments of one key exactly the values 1..200', async () => {
    const key = uniqueId('hot');
    const results = await Promise.all(Array.from({ length: 200 }, () => store().increment([inc(key, 1)])));
    const values = results.map(([value]) => value).sort((x, y) => (x ?? 0) - (y ?? 0));
    expect(values).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('increments many different keys in one call', async () => {
    const keys = Array.from({ length: 50 }, (_, i) => uniqueId(`k${i}`));
    expect(await store().increment(keys.map((key, i) => inc(key, i + 1)))).toEqual(keys.map((_, i) => i + 1));
    expect(await store().increment(keys.map((key) => inc(key, 1)))).toEqual(keys.map((_, i) => i + 2));
  });

  it('returns an empty array for no increments', async () => {
    expect(await store().increment([])).toEqual([]);
  });
}

/** DynamoDB-only: the TTL attribute is written with every increment (last writer wins). */
function dynamoItemChecks(ctx: () => { client: DynamoDBClient; names: TableNames; store: CounterStore }): void {
  it('stores the value in `v` and the TTL in `expiresAt`', async () => {
    const key = uniqueId('ttl');
    await ctx().store.increment([{ key, by: 2, expiresAt: 1_000 }]);
    await ctx().store.increment([{ key, by: 1, expiresAt: 2_000 }]);
    const { Item } = await ctx().client.send(
      new GetItemCommand({ TableName: ctx().names.Counters, Key: { pk: { S: key } }, ConsistentRead: true }),
    );
    expect(Item).toEqual({ pk: { S: key }, v: { N: '3' }, expiresAt: { N: '2000' } });
  });
}

describe('MemoryCounterStore', () => {
  const store = new MemoryCounterStore(new ManualClock(nowSeconds * 1000));
  counterStoreContract(() => store);
});

describe.skipIf(!endpoint)('DynamoCounterStore on DynamoDB Local', () => {
  let ctx: Awaited<ReturnType<typeof createTestTables>> & { store: CounterStore };
  beforeAll(async () => {
    const tables = await createTestTables(endpoint, 'counters');
    ctx = { ...tables, store: new DynamoCounterStore(tables.client, tables.names.Counters) };
  });
  afterAll(() => ctx?.close());

  counterStoreContract(() => ctx.store);
  dynamoItemChecks(() => ctx);

  it('createTables enables TTL on `expiresAt` and can run again on existing tables', async () => {
    await createTables(ctx.client, ctx.names);
    for (const table of [ctx.names.Counters, ctx.names.Lists]) {
      const { TimeToLiveDescription } = await ctx.client.send(new DescribeTimeToLiveCommand({ TableName: table }));
      expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    }
    const tenants = await ctx.client.send(new DescribeTimeToLiveCommand({ TableName: ctx.names.Tenants }));
    expect(tenants.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
  });
});

describe('DynamoCounterStore on dynalite', () => {
  let dynalite: Awaited<ReturnType<typeof startDynalite>>;
  let ctx: Awaited<ReturnType<typeof createTestTables>> & { store: CounterStore };
  beforeAll(async () => {
    dynalite = await startDynalite();
    const tables = await createTestTables(dynalite.endpoint, 'counters');
    ctx = { ...tables, store: new DynamoCounterStore(tables.client, tables.names.Counters) };
  });
  afterAll(async () => {
    ctx?.close();
    await dynalite?.stop();
  });

  counterStoreContract(() => ctx.store);
  dynamoItemChecks(() => ctx);
});
