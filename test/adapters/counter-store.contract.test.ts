import { DescribeTimeToLiveCommand, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { expect, it } from 'vitest';
import { createTables, type TableNames } from '../../lambdas/adapters/dynamo/create-tables';
import { DynamoCounterStore } from '../../lambdas/adapters/dynamo/dynamo-counter-store';
import { MemoryCounterStore } from '../../lambdas/adapters/memory/memory-counter-store';
import { ManualClock } from '../../lambdas/ports/clock';
import type { CounterIncrement, CounterStore, DistinctAdd } from '../../lambdas/ports/counter-store';
import { forEachBackend } from '../support/contract';
import { uniqueId } from '../support/dynamo';

const nowSeconds = Math.floor(Date.now() / 1000);
/** Far enough ahead that no TTL sweep and no in-memory expiry interferes. */
const expiresAt = nowSeconds + 86_400;

const inc = (key: string, by: number): CounterIncrement => ({ key, by, expiresAt });
const add = (key: string, member: string, cap = 1_000): DistinctAdd => ({ key, member, cap, expiresAt });

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

  it('keeps the fields of one item as separate counters, applied together', async () => {
    const key = uniqueId('item');
    const f = (field: string, by: number, drop?: string[]): CounterIncrement => ({ key, field, by, expiresAt, ...(drop ? { drop } : {}) });
    expect(await store().increment([f('m1', 1), f('h1', 1), f('d1', 1)])).toEqual([1, 1, 1]);
    expect(await store().increment([f('m1', 1), f('h1', 2), f('d1', 3)])).toEqual([2, 3, 4]);
    expect(
      await store().increment([
        { key, field: 'h1', by: 0, expiresAt },
        { key, field: 'nope', by: 0, expiresAt },
      ]),
    ).toEqual([3, 0]);
  });

  it('drops the fields it is told to drop in the same update, and keeps the rest', async () => {
    const key = uniqueId('drop');
    const f = (field: string, by: number, drop?: string[]): CounterIncrement => ({ key, field, by, expiresAt, ...(drop ? { drop } : {}) });
    await store().increment([f('m1', 5), f('h1', 5)]);
    expect(await store().increment([f('m2', 1, ['m1', 'm0'])])).toEqual([1]);
    expect(
      await store().increment([
        { key, field: 'm1', by: 0, expiresAt },
        { key, field: 'h1', by: 0, expiresAt },
      ]),
    ).toEqual([0, 5]);
  });

  it('gives 100 concurrent increments of one field of a multi-field item exactly the values 1..100', async () => {
    const key = uniqueId('hot-item');
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        store().increment([
          { key, field: 'h1', by: 1, expiresAt },
          { key, field: 'd1', by: 1, expiresAt },
        ]),
      ),
    );
    expect(results.map(([h]) => h).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(Math.max(...results.map(([, d]) => d ?? 0))).toBe(100);
  });

  it('returns an empty array for no increments', async () => {
    expect(await store().increment([])).toEqual([]);
  });

  it('reads with by 0: absent reads 0, present reads its value, nothing changes', async () => {
    const [a, absent] = [uniqueId('a'), uniqueId('absent')];
    expect(await store().increment([inc(absent, 0)])).toEqual([0]);
    expect(await store().increment([inc(absent, 0), inc(absent, 0)])).toEqual([0, 0]);
    await store().increment([inc(a, 4)]);
    expect(await store().increment([inc(a, 0), inc(absent, 0)])).toEqual([4, 0]);
    expect(await store().increment([inc(a, 1)])).toEqual([5]);
    expect(await store().increment([inc(absent, 1)])).toEqual([1]);
  });

  it('mixes reads and increments of different keys in one call', async () => {
    const [a, b, c] = [uniqueId('a'), uniqueId('b'), uniqueId('c')];
    await store().increment([inc(a, 2)]);
    expect(await store().increment([inc(b, 3), inc(a, 0), inc(c, 0)])).toEqual([3, 2, 0]);
    expect(await store().increment([inc(a, 0), inc(b, 0), inc(c, 0)])).toEqual([2, 3, 0]);
  });
}

/** The same distinct-set assertions for every implementation. */
function distinctContract(store: () => CounterStore): void {
  it('returns each set size after the add, in input order', async () => {
    const [a, b] = [uniqueId('a'), uniqueId('b')];
    expect(await store().addDistinct([add(a, 'm1'), add(b, 'm1')])).toEqual([1, 1]);
    expect(await store().addDistinct([add(a, 'm2')])).toEqual([2]);
    expect(await store().addDistinct([add(a, 'm3'), add(b, 'm2')])).toEqual([3, 2]);
    expect(await store().addDistinct([])).toEqual([]);
  });

  it("adds members and returns each set's members, in input order; a full set answers undefined", async () => {
    const [a, b] = [uniqueId('a'), uniqueId('b')];
    const members = (key: string, list: string[], cap = 8) => ({ key, members: list, cap, expiresAt });
    const sorted = (sets: (readonly string[] | undefined)[]) => sets.map((s) => (s === undefined ? s : [...s].sort()));
    expect(sorted(await store().addMembers([members(a, ['t1', 'n1']), members(b, ['t2', 'n2'])]))).toEqual([
      ['n1', 't1'],
      ['n2', 't2'],
    ]);
    expect(sorted(await store().addMembers([members(a, ['t3', 'n1'])]))).toEqual([['n1', 't1', 't3']]);
    expect(await store().addMembers([])).toEqual([]);
    // Full: nothing more is stored, and the set reads as full rather than as a partial list.
    expect(await store().addMembers([members(a, ['t4', 'n4'], 3)])).toEqual([undefined]);
    expect(sorted(await store().addMembers([members(a, ['t1'])]))).toEqual([['n1', 't1', 't3']]);
  });

  it('does not grow on duplicates', async () => {
    const key = uniqueId('dup');
    expect(await store().addDistinct([add(key, 'm1')])).toEqual([1]);
    expect(await store().addDistinct([add(key, 'm1')])).toEqual([1]);
    expect(await store().addDistinct([add(key, 'm2')])).toEqual([2]);
    expect(await store().addDistinct([add(key, 'm1')])).toEqual([2]);
    expect(await store().addDistinct([add(key, 'm2')])).toEqual([2]);
  });

  it('saturates at the cap; members already present still answer', async () => {
    const key = uniqueId('cap');
    const capped = (member: string) => add(key, member, 3);
    expect(await store().addDistinct([capped('m1')])).toEqual([1]);
    expect(await store().addDistinct([capped('m2')])).toEqual([2]);
    expect(await store().addDistinct([capped('m3')])).toEqual([3]);
    expect(await store().addDistinct([capped('m4')])).toEqual([3]);
    expect(await store().addDistinct([capped('m5')])).toEqual([3]);
    expect(await store().addDistinct([capped('m1')])).toEqual([3]);
    expect(await store().addDistinct([capped('m3')])).toEqual([3]);
    // m4 was not stored: with a larger cap there is room for exactly one more new member.
    expect(await store().addDistinct([add(key, 'm4', 5)])).toEqual([4]);
    expect(await store().addDistinct([add(key, 'm6', 5)])).toEqual([5]);
    expect(await store().addDistinct([add(key, 'm7', 5)])).toEqual([5]);
    // A lower cap still bounds the answer for present members.
    expect(await store().addDistinct([add(key, 'm1', 2)])).toEqual([2]);
  });

  it('keeps sets independent of each other and of counters', async () => {
    const [a, b] = [uniqueId('a'), uniqueId('b')];
    await store().addDistinct([add(a, 'm1'), add(a, 'm2')]);
    expect(await store().addDistinct([add(b, 'm1')])).toEqual([1]);
    expect(await store().addDistinct([add(a, 'm3')])).toEqual([3]);
    expect(await store().increment([inc(b, 0)])).toEqual([0]);
  });

  it.each([
    ['below', 60],
    ['above', 150],
  ])('gives 100 concurrent adds to one set a final size of min(100, cap) with the cap %s', async (_, cap) => {
    const key = uniqueId('hot');
    const members = Array.from({ length: 100 }, (_, i) => `m${i}`);
    const results = await Promise.all(members.map((member) => store().addDistinct([add(key, member, cap)])));
    const sizes = results.map(([size]) => size ?? -1).sort((x, y) => x - y);
    const stored = Math.min(100, cap);
    // Each stored member answers a different size 1..stored; every refused one answers the cap.
    expect(sizes).toEqual([...Array.from({ length: stored }, (_, i) => i + 1), ...Array(100 - stored).fill(cap)]);
    // Exactly `stored` members are in the set: under a larger cap, one more new member makes stored + 1.
    expect(await store().addDistinct([add(key, 'new', 1_000)])).toEqual([stored + 1]);
  });

  it('adds to many sets in one call', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => uniqueId(`s${i}`));
    expect(await store().addDistinct(keys.map((key) => add(key, 'm1')))).toEqual(keys.map(() => 1));
    expect(await store().addDistinct(keys.map((key, i) => add(key, i % 2 === 0 ? 'm1' : 'm2')))).toEqual(keys.map((_, i) => (i % 2 === 0 ? 1 : 2)));
  });
}

/** DynamoDB-only: the TTL attribute is written with every increment (last writer wins). */
function dynamoItemChecks(ctx: () => { client: DynamoDBClient; names: TableNames; store: CounterStore }): void {
  it('stores the value in `v` and the TTL in `expiresAt`', async () => {
    const key = uniqueId('ttl');
    await ctx().store.increment([{ key, by: 2, expiresAt: 1_000 }]);
    await ctx().store.increment([{ key, by: 1, expiresAt: 2_000 }]);
    const { Item } = await ctx().client.send(new GetItemCommand({ TableName: ctx().names.Counters, Key: { pk: { S: key } }, ConsistentRead: true }));
    expect(Item).toEqual({ pk: { S: key }, v: { N: '3' }, expiresAt: { N: '2000' } });
  });

  it('reads with by 0 without creating or touching the item', async () => {
    const [key, absent] = [uniqueId('read'), uniqueId('absent')];
    await ctx().store.increment([{ key, by: 2, expiresAt: 1_000 }]);
    expect(
      await ctx().store.increment([
        { key, by: 0, expiresAt: 9_000 },
        { key: absent, by: 0, expiresAt: 9_000 },
      ]),
    ).toEqual([2, 0]);
    expect(await getItem(ctx(), key)).toEqual({ pk: { S: key }, v: { N: '2' }, expiresAt: { N: '1000' } });
    expect(await getItem(ctx(), absent)).toBeUndefined();
  });

  it('keeps a set in the string set `s` with its TTL, and stores at most `cap` members', async () => {
    const key = uniqueId('set');
    await ctx().store.addDistinct([{ key, member: 'a', cap: 2, expiresAt: 1_000 }]);
    await ctx().store.addDistinct([{ key, member: 'b', cap: 2, expiresAt: 2_000 }]);
    await ctx().store.addDistinct([{ key, member: 'c', cap: 2, expiresAt: 3_000 }]);
    const item = await getItem(ctx(), key);
    expect(item?.s?.SS?.sort()).toEqual(['a', 'b']);
    // The refused add wrote nothing, not even its TTL.
    expect(item?.expiresAt).toEqual({ N: '2000' });
  });

  it('stores exactly cap members after 100 concurrent adds', async () => {
    const key = uniqueId('hot-set');
    await Promise.all(Array.from({ length: 100 }, (_, i) => ctx().store.addDistinct([{ key, member: `m${i}`, cap: 37, expiresAt }])));
    expect((await getItem(ctx(), key))?.s?.SS).toHaveLength(37);
  });
}

async function getItem(ctx: { client: DynamoDBClient; names: TableNames }, key: string) {
  const { Item } = await ctx.client.send(new GetItemCommand({ TableName: ctx.names.Counters, Key: { pk: { S: key } }, ConsistentRead: true }));
  return Item;
}

forEachBackend('CounterStore', {
  memory: () => new MemoryCounterStore(new ManualClock(nowSeconds * 1000)),
  dynamo: (client, names) => new DynamoCounterStore(client, names.Counters),
  contract: (store) => {
    counterStoreContract(store);
    distinctContract(store);
  },
  memoryOnly: () => {
    it('reads with by 0 without creating a counter, and counts calls per method', async () => {
      const local = new MemoryCounterStore(new ManualClock(nowSeconds * 1000));
      expect(await local.increment([inc('absent', 0)])).toEqual([0]);
      expect(local.size).toBe(0);
      await local.addDistinct([add('set', 'm1'), add('set', 'm2')]);
      expect(local.apply(inc('absent', 0))).toBe(0);
      expect(local.applyDistinct(add('set', 'm3'))).toBe(3);
      expect([local.size, local.distinctSize, local.calls, local.distinctCalls]).toEqual([0, 1, 1, 1]);
    });

    it('expires counters and sets, reading them as new, and sweeps both', async () => {
      const clock = new ManualClock(nowSeconds * 1000);
      const local = new MemoryCounterStore(clock, 4);
      const soon = nowSeconds + 60;
      expect(local.apply({ key: 'c', by: 3, expiresAt: soon })).toBe(3);
      expect(local.applyDistinct({ key: 's', member: 'm1', cap: 5, expiresAt: soon })).toBe(1);
      expect(local.applyDistinct({ key: 's', member: 'm2', cap: 5, expiresAt: soon })).toBe(2);
      clock.advance(60_000);
      expect(local.apply({ key: 'c', by: 0, expiresAt: soon + 60 })).toBe(0); // 4th op: sweep
      expect([local.size, local.distinctSize]).toEqual([0, 0]);
      expect(local.applyDistinct({ key: 's', member: 'm2', cap: 5, expiresAt: soon + 60 })).toBe(1);
      expect(local.apply({ key: 'c', by: 1, expiresAt: soon + 60 })).toBe(1);
    });

    it('adds members to an expired set as to a new one, also when a sweep runs between two members', async () => {
      const clock = new ManualClock(nowSeconds * 1000);
      const soon = nowSeconds + 60;
      for (const sweepEvery of [2, 3, 50_000]) {
        const local = new MemoryCounterStore(clock, sweepEvery);
        expect(local.applyMembers({ key: 's', members: ['a', 'b'], cap: 5, expiresAt: soon })).toEqual(['a', 'b']);
        clock.advance(60_000);
        expect(local.applyMembers({ key: 's', members: ['c', 'a'], cap: 5, expiresAt: soon + 120 })).toEqual(['c', 'a']);
        // Already past its expiry: each member meets an expired set, as in DynamoDB (TTL read as absent).
        expect(local.applyMembers({ key: 'gone', members: ['x', 'y'], cap: 5, expiresAt: nowSeconds })).toEqual(['y']);
        expect(local.applyMembers({ key: 's', members: ['d', 'e', 'f'], cap: 4, expiresAt: soon + 120 })).toBeUndefined();
        expect(local.applyMembers({ key: 's', members: [], cap: 4, expiresAt: soon + 120 })).toEqual(['c', 'a', 'd', 'e']);
        expect(local.applyMembers({ key: 'none', members: ['x'], cap: 0, expiresAt: soon })).toBeUndefined();
        clock.advance(-60_000);
      }
    });
  },
  dynamoOnly: dynamoItemChecks,
  dynamoLocalOnly: (ctx) => {
    it('createTables enables TTL on `expiresAt` and can run again on existing tables', async () => {
      const { client, names } = ctx();
      await createTables(client, names);
      for (const table of [names.Counters, names.Lists, names.Verifications]) {
        const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: table }));
        expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
      }
      const tenants = await client.send(new DescribeTimeToLiveCommand({ TableName: names.Tenants }));
      expect(tenants.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
    });
  },
});
