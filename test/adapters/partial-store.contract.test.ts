import { DeleteItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { expect, it } from 'vitest';
import { DynamoPartialStore } from '../../lambdas/adapters/dynamo/dynamo-partial-store';
import { MemoryPartialStore } from '../../lambdas/joint-defense/memory-partials';
import { foldMinute, type MinutePartial } from '../../lambdas/joint-defense/partial';
import { partialCodec } from '../../lambdas/joint-defense/partial-codec';
import type { VerdictEvent } from '../../lambdas/ports/event-store';
import type { PartialStore } from '../../lambdas/ports/partial-store';
import { forEachBackend } from '../support/contract';

/** Each test works in its own minutes, ahead of real time: DynamoDB Local may sweep items whose TTL is past. */
let offset = 0;
const freshMinute = () => Math.floor(Date.now() / 60_000) + 20 * ++offset;

/** A partial with every kind of subject, `n` numbers long (bigger partials for the chunking). */
function partial(minute: number, n = 3): MinutePartial {
  const events: VerdictEvent[] = [];
  for (let i = 0; i < n; i++) {
    const at = minute * 60_000 + i;
    const tenant = i % 2 ? 'shop' : 'bank';
    events.push({
      at,
      kind: 'send',
      tenant,
      ref: `ref-${i}`,
      decision: 'block',
      sent: true,
      reasons: ['DATACENTER_IP'],
      number: `n-${i}`,
      range: 'r',
      country: 'UZ',
    });
    events.push({ at, kind: 'send', tenant, ip: 'i', subnet: `s-${i}`, device: 'd', decision: 'block', reasons: ['AUTOMATION_USER_AGENT'] });
    if (i % 3 === 0) events.push({ at: at + 1, kind: 'verify', tenant, ref: `ref-${i}` });
  }
  return foldMinute(minute, events, () => undefined, { lookback: 60 });
}

function partialStoreContract(store: () => PartialStore<MinutePartial>): void {
  it('gives back what was written, by minute, and nothing for minutes never written', async () => {
    const m = freshMinute();
    await store().write(m, partial(m));
    await store().write(m + 2, partial(m + 2, 5));
    const read = await store().read(m - 1, m + 3);
    expect([...read.keys()].sort()).toEqual([m, m + 2]);
    expect(read.get(m)).toEqual(partial(m));
    expect(read.get(m + 2)).toEqual(partial(m + 2, 5));
    expect((await store().read(m + 3, m + 10)).size).toBe(0);
  });

  it('replaces a minute written again', async () => {
    const m = freshMinute();
    await store().write(m, partial(m, 2));
    await store().write(m, partial(m, 4));
    expect((await store().read(m, m)).get(m)).toEqual(partial(m, 4));
  });
}

forEachBackend('PartialStore', {
  memory: () => new MemoryPartialStore<MinutePartial>(1_000_000),
  dynamo: (client, names) => new DynamoPartialStore(client, names.Events, partialCodec),
  contract: partialStoreContract,
  memoryOnly: () => {
    it('forgets minutes older than its retention as newer ones are written', async () => {
      const local = new MemoryPartialStore<MinutePartial>(10);
      const m = freshMinute();
      await local.write(m, partial(m));
      await local.write(m + 10, partial(m + 10));
      expect(local.size).toBe(2);
      await local.write(m + 11, partial(m + 11));
      expect([...(await local.read(m, m + 11)).keys()]).toEqual([m + 10, m + 11]);
    });
  },
  dynamoOnly: (backend) => {
    it('splits a large partial into chunks under its own partition, and reads it back whole', async () => {
      const { client, names } = backend();
      const small = new DynamoPartialStore(client, names.Events, partialCodec, { chunkBytes: 200 });
      const m = freshMinute();
      await small.write(m, partial(m, 200));
      const items = await client.send(
        new QueryCommand({ TableName: names.Events, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `p#${m}` } } }),
      );
      expect(items.Items?.length).toBeGreaterThan(2);
      expect(items.Items?.every((i) => Number(i.expiresAt?.N) > m * 60)).toBe(true);
      expect((await small.read(m, m)).get(m)).toEqual(partial(m, 200));
      // A write that lost a chunk, or data that is not a partial, reads as missing: the job folds the minute again.
      const [first] = items.Items ?? [];
      await client.send(new DeleteItemCommand({ TableName: names.Events, Key: { pk: first!.pk!, sk: first!.sk! } }));
      expect((await small.read(m, m)).has(m)).toBe(false);
      await client.send(
        new PutItemCommand({
          TableName: names.Events,
          Item: { pk: { S: `p#${m + 1}` }, sk: { S: 'x#0000' }, n: { N: '1' }, b: { B: Buffer.from('not gzip') } },
        }),
      );
      expect((await small.read(m + 1, m + 1)).has(m + 1)).toBe(false);
    });
  },
});
