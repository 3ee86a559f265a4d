import { randomBytes, randomInt } from 'node:crypto';
import { type AttributeValue, type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { type EventPage, type EventStore, type VerdictEvent, minuteOf } from '../../ports/event-store';
import { EVENT_SHARDS } from './schema';

type Item = Record<string, AttributeValue>;

export interface DynamoEventStoreOptions {
  /** How long an event lives (DynamoDB TTL). @default 2 days */
  readonly retentionSeconds?: number;
  /** Partitions per minute; writers and readers must agree. @default EVENT_SHARDS */
  readonly shards?: number;
  /** Minutes read in parallel (each: one Query per shard). @default 6 */
  readonly parallelMinutes?: number;
}

/**
 * Verdict events in the Events table (`EVENTS_TABLE`): one item per event in partition
 * `<epoch minute>#<shard>`, sort key `<epoch ms>#<random>`, the event as compact JSON in `d`.
 * A window is read with one Query per minute and shard, newest minutes first.
 */
export class DynamoEventStore implements EventStore {
  private readonly retentionSeconds: number;
  private readonly shards: number;
  private readonly parallelMinutes: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoEventStoreOptions = {},
  ) {
    this.retentionSeconds = options.retentionSeconds ?? 2 * 86_400;
    this.shards = options.shards ?? EVENT_SHARDS;
    this.parallelMinutes = options.parallelMinutes ?? 6;
  }

  async record(event: VerdictEvent): Promise<void> {
    const shard = this.shards > 1 ? randomInt(this.shards) : 0;
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          pk: { S: `${minuteOf(event.at)}#${shard}` },
          sk: { S: `${event.at}#${randomBytes(4).toString('hex')}` },
          d: { S: JSON.stringify(event) },
          expiresAt: { N: String(Math.floor(event.at / 1000) + this.retentionSeconds) },
        },
      }),
    );
  }

  async read(fromMs: number, toMs: number, limit: number): Promise<EventPage> {
    const minutes: number[] = [];
    for (let minute = minuteOf(toMs - 1); minute >= minuteOf(fromMs); minute--) minutes.push(minute);
    const events: VerdictEvent[] = [];
    for (let i = 0; i < minutes.length; i += this.parallelMinutes) {
      const group = minutes.slice(i, i + this.parallelMinutes);
      const pages = await Promise.all(
        group.flatMap((minute) => Array.from({ length: this.shards }, (_, shard) => this.queryPartition(`${minute}#${shard}`, limit + 1))),
      );
      for (const page of pages) {
        for (const event of page) {
          if (event.at < fromMs || event.at >= toMs) continue;
          if (events.length >= limit) return { events, truncated: true };
          events.push(event);
        }
      }
    }
    return { events, truncated: false };
  }

  /** Every event of one partition, at most `max` (pages of up to 1 MB each). */
  private async queryPartition(pk: string, max: number): Promise<VerdictEvent[]> {
    const out: VerdictEvent[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'pk' },
          ExpressionAttributeValues: { ':pk': { S: pk } },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const event = parse(item.d?.S);
        if (event) out.push(event);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && out.length < max);
    return out;
  }
}

/** A stored event, or undefined for an item that is not one (never trust stored data blindly). */
function parse(text: string | undefined): VerdictEvent | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as VerdictEvent;
    return typeof value?.at === 'number' && typeof value.tenant === 'string' && (value.kind === 'send' || value.kind === 'verify') ? value : undefined;
  } catch {
    return undefined;
  }
}
