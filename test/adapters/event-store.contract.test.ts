import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { expect, it } from 'vitest';
import { DynamoEventStore } from '../../lambdas/adapters/dynamo/dynamo-event-store';
import { EVENT_SHARDS } from '../../lambdas/adapters/dynamo/schema';
import { MemoryEventStore } from '../../lambdas/adapters/memory/memory-event-store';
import type { EventStore, VerdictEvent } from '../../lambdas/ports/event-store';
import { forEachBackend } from '../support/contract';

const MINUTE = 60_000;
/** Each test works in its own hour (real time: DynamoDB Local may sweep items whose TTL is past). */
let hour = 0;
const freshHour = () => Math.floor(Date.now() / 3_600_000) * 3_600_000 - ++hour * 3_600_000;

const send = (at: number, extra: Partial<VerdictEvent> = {}): VerdictEvent => ({
  at,
  kind: 'send',
  tenant: 'shop',
  ref: 'ref-1',
  scenario: 'login',
  decision: 'block',
  sent: false,
  reasons: ['JOINT_DEFENSE_VICTIM', 'NUMBER_VELOCITY'],
  number: 'n-hash',
  range: 'r-hash',
  country: 'GB',
  ip: 'i-hash',
  subnet: 's-hash',
  device: 'd-hash',
  ...extra,
});
/** What a store gives back: fields that were undefined are simply absent. */
const stored = (e: VerdictEvent) => JSON.parse(JSON.stringify(e)) as VerdictEvent;

function eventStoreContract(store: () => EventStore): void {
  it('returns the events of a window, in time order, with every field', async () => {
    const base = freshHour();
    const events = [
      send(base + 5 * MINUTE + 1),
      send(base + 2 * MINUTE, { kind: 'verify', decision: undefined, sent: undefined, reasons: undefined }),
      send(base + 2 * MINUTE + 500, { tenant: 'bank' }),
    ];
    for (const e of events) await store().record(e);
    const page = await store().read(base, base + 10 * MINUTE, 100);
    expect(page.truncated).toBe(false);
    expect([...page.events].sort((a, b) => a.at - b.at).map((e) => JSON.parse(JSON.stringify(e)))).toEqual([...events].sort((a, b) => a.at - b.at).map(stored));
  });

  it('reads [from, to): bounds inside a minute are honoured', async () => {
    const base = freshHour();
    for (const offset of [0, 29_999, 30_000, 59_999, MINUTE, 2 * MINUTE - 1]) await store().record(send(base + offset));
    const ats = async (from: number, to: number) => (await store().read(base + from, base + to, 100)).events.map((e) => e.at - base).sort((a, b) => a - b);
    expect(await ats(30_000, MINUTE)).toEqual([30_000, 59_999]);
    expect(await ats(0, 2 * MINUTE)).toEqual([0, 29_999, 30_000, 59_999, MINUTE, 2 * MINUTE - 1]);
    expect(await ats(MINUTE, MINUTE + 1)).toEqual([MINUTE]);
    expect(await ats(2 * MINUTE, 3 * MINUTE)).toEqual([]);
  });

  it('stops at the limit, keeping the newest minutes, and says so', async () => {
    const base = freshHour();
    for (let m = 0; m < 5; m++) for (let i = 0; i < 3; i++) await store().record(send(base + m * MINUTE + i));
    const page = await store().read(base, base + 5 * MINUTE, 7);
    expect(page.truncated).toBe(true);
    expect(page.events).toHaveLength(7);
    // Whole newest minutes (4, 3) and part of minute 2; nothing older.
    const minutes = page.events.map((e) => Math.floor((e.at - base) / MINUTE));
    expect(minutes.filter((m) => m >= 3)).toHaveLength(6);
    expect(Math.min(...minutes)).toBe(2);
    expect((await store().read(base, base + 5 * MINUTE, 15)).truncated).toBe(false);
  });
}

forEachBackend('EventStore', {
  memory: () => new MemoryEventStore({ retentionMs: 48 * 3_600_000 }),
  dynamo: (client, names) => new DynamoEventStore(client, names.Events),
  contract: eventStoreContract,
  memoryOnly: () => {
    it('forgets minutes older than its retention as time moves on', async () => {
      const local = new MemoryEventStore({ retentionMs: 10 * MINUTE });
      const base = freshHour();
      await local.record(send(base));
      await local.record(send(base + 5 * MINUTE));
      expect(local.size).toBe(2);
      await local.record(send(base + 12 * MINUTE));
      expect(local.size).toBe(2);
      expect((await local.read(base, base + 20 * MINUTE, 100)).events.map((e) => e.at - base)).toEqual([5 * MINUTE, 12 * MINUTE]);
    });
  },
  dynamoLocalOnly: (ctx) => {
    it('stores one compact item per event in partition <minute>#<shard>, with its TTL', async () => {
      const { store, client, names } = ctx();
      const base = freshHour();
      const event = send(base + 3 * MINUTE + 7);
      await store.record(event);
      const minute = Math.floor(event.at / MINUTE);
      const items = (
        await Promise.all(
          Array.from({ length: EVENT_SHARDS }, (_, shard) =>
            client.send(
              new QueryCommand({
                TableName: names.Events,
                KeyConditionExpression: 'pk = :pk',
                ExpressionAttributeValues: { ':pk': { S: `${minute}#${shard}` } },
              }),
            ),
          ),
        )
      ).flatMap((r) => r.Items ?? []);
      expect(items).toHaveLength(1);
      const [item] = items;
      expect(item?.sk?.S).toMatch(new RegExp(`^${event.at}#[0-9a-f]{8}$`));
      expect(item?.expiresAt?.N).toBe(String(Math.floor(event.at / 1000) + 2 * 86_400));
      expect(JSON.parse(item?.d?.S ?? '')).toEqual(stored(event));
      // Hashed identifiers only: nothing in the event looks like a phone number.
      expect(item?.d?.S).not.toMatch(/\+\d/);
    });
  },
});
