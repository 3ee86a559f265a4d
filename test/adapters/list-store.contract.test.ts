import { BatchGetItemCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DynamoListStore, UnprocessedKeysError } from '../../lambdas/adapters/dynamo/dynamo-list-store';
import { MemoryListStore } from '../../lambdas/adapters/memory/memory-list-store';
import { InvalidListCursorError, type ListEntry, type ListKey, type ListStore } from '../../lambdas/ports/list-store';
import { forEachBackend } from '../support/contract';
import { uniqueId } from '../support/dynamo';

const now = Math.floor(Date.now() / 1000);

const entry = (scope: string, value: string, extra: Partial<ListEntry> = {}): ListEntry => ({
  scope,
  kind: 'number',
  value,
  action: 'block',
  createdAt: now,
  ...extra,
});
const keyOf = ({ scope, kind, value }: ListKey): ListKey => ({ scope, kind, value });
const byValue = (a: ListEntry, b: ListEntry) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

/** The same assertions for every implementation. */
function listStoreContract(store: () => ListStore): void {
  it('returns what was put, with and without optional fields', async () => {
    const scope = `t:${uniqueId('shop')}`;
    const full = entry(scope, 'hmac-1', {
      kind: 'device',
      action: 'allow',
      reason: 'support ticket 42',
      display: '+44 7911 ***123',
      expiresAt: now + 3_600,
      evidence: 14,
      confidence: 0.85,
      source: 'feed:partner',
    });
    const bare = entry(scope, 'hmac-2', { kind: 'cidr' });
    await store().put(full);
    await store().put(bare);
    expect(await store().getMany([keyOf(full), keyOf(bare)], now)).toStrictEqual([full, bare]);
  });

  it('leaves out missing keys and answers each key once', async () => {
    const scope = `t:${uniqueId('shop')}`;
    const present = entry(scope, 'present');
    await store().put(present);
    const missing = keyOf(entry(scope, 'missing'));
    expect(await store().getMany([missing, keyOf(present), keyOf(present)], now)).toStrictEqual([present]);
    expect(await store().getMany([], now)).toStrictEqual([]);
  });

  it('overwrites an entry with the same key', async () => {
    const scope = `t:${uniqueId('shop')}`;
    await store().put(entry(scope, 'v', { action: 'block', reason: 'first' }));
    const second = entry(scope, 'v', { action: 'allow' });
    await store().put(second);
    expect(await store().getMany([keyOf(second)], now)).toStrictEqual([second]);
    expect(await store().listScope(scope, now)).toStrictEqual([second]);
  });

  it('removes entries, and removing a missing one is not an error', async () => {
    const scope = `t:${uniqueId('shop')}`;
    const kept = entry(scope, 'kept');
    const removed = entry(scope, 'removed');
    await store().put(kept);
    await store().put(removed);
    await store().remove(keyOf(removed));
    await store().remove(keyOf(entry(scope, 'never-there')));
    expect(await store().getMany([keyOf(kept), keyOf(removed)], now)).toStrictEqual([kept]);
    expect(await store().listScope(scope, now)).toStrictEqual([kept]);
  });

  it("keeps scopes apart: tenant A's entries never answer for tenant B", async () => {
    const [a, b] = [`t:${uniqueId('a')}`, `t:${uniqueId('b')}`];
    const aEntries = [entry(a, 'same'), entry(a, 'only-a', { kind: 'ip' })];
    const bEntry = entry(b, 'same', { action: 'allow' });
    for (const e of [...aEntries, bEntry]) await store().put(e);

    expect(await store().getMany([keyOf(entry(b, 'same')), keyOf(entry(b, 'only-a', { kind: 'ip' }))], now)).toStrictEqual([bEntry]);
    expect((await store().listScope(a, now)).sort(byValue)).toStrictEqual([...aEntries].sort(byValue));
    expect(await store().listScope(b, now)).toStrictEqual([bEntry]);
    expect(await store().listScope(`t:${uniqueId('empty')}`, now)).toStrictEqual([]);
  });

  it('hides entries from the second they expire', async () => {
    const scope = `t:${uniqueId('shop')}`;
    const expiresAt = now + 600;
    const temporary = entry(scope, 'temporary', { expiresAt });
    const permanent = entry(scope, 'permanent');
    await store().put(temporary);
    await store().put(permanent);
    const keys = [keyOf(temporary), keyOf(permanent)];

    expect(await store().getMany(keys, expiresAt - 1)).toStrictEqual([temporary, permanent]);
    expect(await store().getMany(keys, expiresAt)).toStrictEqual([permanent]);
    expect(await store().getMany(keys, expiresAt + 86_400)).toStrictEqual([permanent]);
    expect((await store().listScope(scope, expiresAt - 1)).sort(byValue)).toStrictEqual([permanent, temporary]);
    expect(await store().listScope(scope, expiresAt)).toStrictEqual([permanent]);
  });

  it('reads more than 100 keys in one getMany, in key order', async () => {
    const scope = `t:${uniqueId('big')}`;
    const entries = Array.from({ length: 210 }, (_, i) => entry(scope, `v${String(i).padStart(3, '0')}`));
    await Promise.all(entries.map((e) => store().put(e)));
    const keys = [
      ...entries.map(keyOf).reverse(),
      keyOf(entry(scope, 'missing')),
      ...entries.slice(0, 10).map(keyOf), // duplicates
    ];
    expect(await store().getMany(keys, now)).toStrictEqual([...entries].reverse());
  });

  it('listKinds returns only the asked kinds of the asked scope, kind by kind, live only', async () => {
    const [scope, other] = [`t:${uniqueId('kinds')}`, `t:${uniqueId('other')}`];
    const ip2 = entry(scope, '198.51.100.2', { kind: 'ip' });
    const ip1 = entry(scope, '198.51.100.1', { kind: 'ip', action: 'allow' });
    const asn = entry(scope, '64496', { kind: 'asn' });
    const country = entry(scope, 'NG', { kind: 'country', expiresAt: now + 600 });
    const unasked = [entry(scope, 'hmac-n'), entry(scope, '+4470', { kind: 'prefix' }), entry(scope, '10.0.0.0/8', { kind: 'cidr' })];
    const elsewhere = [entry(other, '198.51.100.1', { kind: 'ip' }), entry('global', '64497', { kind: 'asn' })];
    for (const e of [ip2, ip1, asn, country, ...unasked, ...elsewhere]) await store().put(e);

    expect(await store().listKinds(scope, ['ip', 'asn', 'country'], now)).toStrictEqual([ip1, ip2, asn, country]);
    expect(await store().listKinds(scope, ['country', 'ip', 'country'], now)).toStrictEqual([country, ip1, ip2]);
    expect(await store().listKinds(scope, ['country', 'asn'], now + 600)).toStrictEqual([asn]);
    expect(await store().listKinds(scope, ['device'], now)).toStrictEqual([]);
    expect(await store().listKinds(scope, [], now)).toStrictEqual([]);
    expect(await store().listKinds(other, ['ip', 'asn'], now)).toStrictEqual([elsewhere[0]]);
    expect(await store().listKinds('global', ['asn'], now)).toContainEqual(elsewhere[1]);
  });

  it('lists a scope larger than one query page (1 MB)', async () => {
    const scope = `t:${uniqueId('paged')}`;
    const reason = 'x'.repeat(9_000);
    const entries = Array.from({ length: 120 }, (_, i) => entry(scope, `v${String(i).padStart(3, '0')}`, { reason }));
    await Promise.all(entries.map((e) => store().put(e)));
    const listed = await store().listScope(scope, now);
    expect(listed).toHaveLength(120);
    expect(listed.sort(byValue)).toStrictEqual(entries);
    expect(await store().listKinds(scope, ['number'], now)).toStrictEqual(entries);
  });

  it('pages through a scope in key order with an opaque cursor, live entries only', async () => {
    const [scope, other] = [`t:${uniqueId('pages')}`, `t:${uniqueId('pages-other')}`];
    const entries = Array.from({ length: 25 }, (_, i) =>
      entry(scope, `v${String(i).padStart(2, '0')}`, { kind: i % 3 === 0 ? 'ip' : 'number', ...(i % 5 === 0 && { expiresAt: now + 10 }) }),
    );
    await Promise.all([...entries, entry(other, 'v00'), entry('global', 'v01')].map((e) => store().put(e)));
    const at = now + 10; // every fifth entry has just expired
    const pages: ListEntry[][] = [];
    let cursor: string | undefined;
    do {
      const page = await store().listScopePage(scope, at, { limit: 7, cursor });
      expect(page.entries.length).toBeLessThanOrEqual(7);
      if (page.cursor !== undefined) expect(page.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      pages.push(page.entries);
      cursor = page.cursor;
      expect(pages.length).toBeLessThan(10);
    } while (cursor !== undefined);
    expect(pages.flat()).toStrictEqual(await store().listScope(scope, at));
    expect(pages.flat()).toHaveLength(20);
    expect(pages[0]).toHaveLength(7);
    expect(await store().listScopePage(`t:${uniqueId('none')}`, now, { limit: 7 })).toStrictEqual({ entries: [] });
  });

  it('fills a page across query pages (1 MB) and ends without a cursor', async () => {
    const scope = `t:${uniqueId('big-page')}`;
    const reason = 'x'.repeat(9_000);
    const entries = Array.from({ length: 120 }, (_, i) => entry(scope, `v${String(i).padStart(3, '0')}`, { reason }));
    await Promise.all(entries.map((e) => store().put(e)));
    const first = await store().listScopePage(scope, now, { limit: 500 });
    expect(first.entries).toStrictEqual(entries);
    expect(first.cursor).toBeUndefined();
  });

  it('refuses a cursor it did not issue for the scope (never reads another scope)', async () => {
    const [a, b] = [`t:${uniqueId('cur-a')}`, `t:${uniqueId('cur-b')}`];
    for (let i = 0; i < 3; i++) await store().put(entry(a, `a${i}`));
    await store().put(entry(b, 'b0'));
    const fromA = (await store().listScopePage(a, now, { limit: 1 })).cursor;
    expect(fromA).toBeDefined();
    const bad = [
      fromA ?? '',
      '',
      'not base64url!',
      Buffer.from(`${b}#colour#x`).toString('base64url'),
      Buffer.from(`${b}`).toString('base64url'),
      Buffer.from('global#number#x').toString('base64url'),
      'A'.repeat(5_000),
      `${Buffer.from(`${b}#number#b0`).toString('base64url')}=`,
    ];
    for (const cursor of bad) {
      await expect(store().listScopePage(b, now, { limit: 10, cursor }), cursor.slice(0, 40)).rejects.toBeInstanceOf(InvalidListCursorError);
    }
    // A cursor names the key after which to go on, so it is the same on every backend.
    const after = await store().listScopePage(b, now, { limit: 10, cursor: Buffer.from(`${b}#number#a`).toString('base64url') });
    expect(after.entries.map((e) => e.value)).toEqual(['b0']);
  });

  it('counts the live entries of one scope, stopping at atMost', async () => {
    const scope = `t:${uniqueId('count')}`;
    const entries = Array.from({ length: 12 }, (_, i) => entry(scope, `c${i}`, { kind: i % 2 ? 'cidr' : 'number', ...(i < 3 && { expiresAt: now + 60 }) }));
    await Promise.all([...entries, entry(`t:${uniqueId('count-other')}`, 'c0')].map((e) => store().put(e)));
    expect(await store().countScope(scope, now, 100)).toBe(12);
    expect(await store().countScope(scope, now + 60, 100)).toBe(9);
    expect(await store().countScope(scope, now + 60, 9)).toBe(9);
    expect(await store().countScope(scope, now, 5)).toBe(5);
    expect(await store().countScope(`t:${uniqueId('count-none')}`, now, 5)).toBe(0);
  });
}

/** DynamoDB-only: request shapes the engine's latency budget relies on. */
function dynamoRequestChecks(ctx: () => { client: DynamoDBClient; store: ListStore }): void {
  it('issues one BatchGetItem per 100 distinct keys and pages through listScope', async () => {
    const scope = `t:${uniqueId('count')}`;
    const entries = Array.from({ length: 120 }, (_, i) => entry(scope, `v${i}`, { reason: 'y'.repeat(9_000) }));
    await Promise.all(entries.map((e) => ctx().store.put(e)));
    const send = vi.spyOn(ctx().client, 'send');
    try {
      await ctx().store.getMany([...entries, ...entries].map(keyOf), now);
      expect(send.mock.calls.filter(([command]) => command instanceof BatchGetItemCommand)).toHaveLength(2);
      expect(await ctx().store.listScope(scope, now)).toHaveLength(120);
      expect(send.mock.calls.filter(([command]) => command instanceof QueryCommand).length).toBeGreaterThan(1);
    } finally {
      send.mockRestore();
    }
  });

  it('reads a page with a bounded Query on byScope, starting after the cursor', async () => {
    const scope = `t:${uniqueId('page-shape')}`;
    for (let i = 0; i < 5; i++) await ctx().store.put(entry(scope, `p${i}`));
    const first = await ctx().store.listScopePage(scope, now, { limit: 2 });
    const send = vi.spyOn(ctx().client, 'send');
    try {
      const second = await ctx().store.listScopePage(scope, now, { limit: 2, cursor: first.cursor });
      expect(second.entries.map((e) => e.value)).toEqual(['p2', 'p3']);
      const queries = send.mock.calls.map(([command]) => command).filter((command) => command instanceof QueryCommand);
      expect(queries).toHaveLength(1);
      expect(queries[0]?.input).toMatchObject({ IndexName: 'byScope', Limit: 2, ExclusiveStartKey: { scope: { S: scope }, pk: { S: `${scope}#number#p1` } } });
    } finally {
      send.mockRestore();
    }
  });

  it('counts with Select COUNT and stops reading once atMost is reached', async () => {
    const scope = `t:${uniqueId('count-shape')}`;
    const entries = Array.from({ length: 120 }, (_, i) => entry(scope, `v${i}`, { reason: 'z'.repeat(9_000) }));
    await Promise.all(entries.map((e) => ctx().store.put(e)));
    const send = vi.spyOn(ctx().client, 'send');
    try {
      expect(await ctx().store.countScope(scope, now, 1_000)).toBe(120);
      const all = send.mock.calls.map(([command]) => command).filter((command) => command instanceof QueryCommand);
      expect(all.length).toBeGreaterThan(1); // more than 1 MB of items: several pages
      expect(all.every((query) => query.input.Select === 'COUNT' && query.input.IndexName === 'byScope')).toBe(true);
      send.mockClear();
      expect(await ctx().store.countScope(scope, now, 10)).toBe(10);
      expect(send.mock.calls.filter(([command]) => command instanceof QueryCommand)).toHaveLength(1);
    } finally {
      send.mockRestore();
    }
  });

  it('issues one Query per distinct kind (all in parallel) for listKinds', async () => {
    const scope = `t:${uniqueId('kinds')}`;
    await ctx().store.put(entry(scope, '192.0.2.1', { kind: 'ip' }));
    const send = vi.spyOn(ctx().client, 'send');
    try {
      const listing = ctx().store.listKinds(scope, ['ip', 'asn', 'country', 'ip'], now);
      // All three requests are out before the first answer comes back.
      expect(send.mock.calls.filter(([command]) => command instanceof QueryCommand)).toHaveLength(3);
      expect(await listing).toHaveLength(1);
      const queries = send.mock.calls.map(([command]) => command).filter((command) => command instanceof QueryCommand);
      expect(queries.map((query) => query.input.ExpressionAttributeValues?.[':prefix'])).toEqual([
        { S: `${scope}#ip#` },
        { S: `${scope}#asn#` },
        { S: `${scope}#country#` },
      ]);
      expect(queries.every((query) => query.input.IndexName === 'byScope')).toBe(true);
    } finally {
      send.mockRestore();
    }
  });
}

forEachBackend('ListStore', {
  memory: () => new MemoryListStore(),
  dynamo: (client, names) => new DynamoListStore(client, names.Lists),
  contract: listStoreContract,
  dynamoOnly: dynamoRequestChecks,
});

describe('DynamoListStore with UnprocessedKeys', () => {
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const mock = mockClient(client);
  const stored = entry('t:shop', 'v1');
  const item = {
    pk: { S: 't:shop#number#v1' },
    scope: { S: 't:shop' },
    kind: { S: 'number' },
    value: { S: 'v1' },
    action: { S: 'block' },
    createdAt: { N: String(now) },
  };
  const unprocessed = { Lists: { Keys: [{ pk: { S: 't:shop#number#v2' } }] } };
  afterAll(() => mock.restore());

  it('retries only the unprocessed keys and merges the answers', async () => {
    mock.reset();
    mock
      .on(BatchGetItemCommand)
      .resolvesOnce({ Responses: { Lists: [] }, UnprocessedKeys: { Lists: { Keys: [{ pk: item.pk }] } } })
      .resolves({ Responses: { Lists: [item] } });
    const store = new DynamoListStore(client, 'Lists', { baseDelayMs: 1 });
    expect(await store.getMany([keyOf(stored)], now)).toStrictEqual([stored]);
    const calls = mock.commandCalls(BatchGetItemCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.RequestItems?.Lists?.Keys).toEqual([{ pk: item.pk }]);
  });

  it('gives up with a clear error after a bounded number of retries', async () => {
    mock.reset();
    mock.on(BatchGetItemCommand).resolves({ Responses: { Lists: [] }, UnprocessedKeys: unprocessed });
    const store = new DynamoListStore(client, 'Lists', { maxRetries: 2, baseDelayMs: 1 });
    const read = store.getMany([keyOf(entry('t:shop', 'v2'))], now);
    await expect(read).rejects.toBeInstanceOf(UnprocessedKeysError);
    await expect(read).rejects.toThrow('BatchGetItem on Lists left 1 key(s) unprocessed after 3 attempts');
    expect(mock.commandCalls(BatchGetItemCommand)).toHaveLength(3);
  });
});
