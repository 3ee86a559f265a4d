import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type AttributeValue, type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { PartialCodec, PartialStore } from '../../ports/partial-store';

type Item = Record<string, AttributeValue>;

export interface DynamoPartialStoreOptions {
  /** How long a partial lives (DynamoDB TTL) past its minute. @default 3 hours (the window is one) */
  readonly retentionSeconds?: number;
  /** Bytes of compressed partial per item, under the 400 KB item limit. @default 350_000 */
  readonly chunkBytes?: number;
  /** Minutes read in parallel (one Query each). @default 10 */
  readonly parallelMinutes?: number;
}

/**
 * Per-minute partials of the joint-defense job in the Events table (`EVENTS_TABLE`): partition
 * `p#<epoch minute>` (never a verdict event's `<minute>#<shard>`), one item per chunk of the
 * gzipped JSON, sort key `<write time>#<write id>#<chunk>`, each item naming how many chunks its
 * write has. A minute is read with one Query and its latest complete write wins; a write that did
 * not complete (fewer chunks than it names) is passed over, and with none the minute reads as
 * missing, so the job folds it again. Written once per minute by one job, in the normal course.
 */
export class DynamoPartialStore<T> implements PartialStore<T> {
  private readonly retentionSeconds: number;
  private readonly chunkBytes: number;
  private readonly parallelMinutes: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly codec: PartialCodec<T>,
    options: DynamoPartialStoreOptions = {},
  ) {
    this.retentionSeconds = options.retentionSeconds ?? 3 * 3_600;
    this.chunkBytes = options.chunkBytes ?? 350_000;
    this.parallelMinutes = options.parallelMinutes ?? 10;
  }

  async read(fromMinute: number, toMinute: number): Promise<Map<number, T>> {
    const out = new Map<number, T>();
    for (let start = fromMinute; start <= toMinute; start += this.parallelMinutes) {
      const minutes: number[] = [];
      for (let m = start; m <= Math.min(toMinute, start + this.parallelMinutes - 1); m++) minutes.push(m);
      const parts = await Promise.all(minutes.map((m) => this.readMinute(m)));
      minutes.forEach((m, i) => {
        const partial = parts[i];
        if (partial !== undefined) out.set(m, partial);
      });
    }
    return out;
  }

  async write(minute: number, partial: T): Promise<void> {
    const body = gzipSync(JSON.stringify(this.codec.encode(partial)));
    const chunks = Math.max(1, Math.ceil(body.length / this.chunkBytes));
    const id = `${String(Date.now()).padStart(15, '0')}#${randomBytes(4).toString('hex')}`;
    const expiresAt = String((minute + 1) * 60 + this.retentionSeconds);
    await Promise.all(
      Array.from({ length: chunks }, (_, i) =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              pk: { S: `p#${minute}` },
              sk: { S: `${id}#${String(i).padStart(4, '0')}` },
              n: { N: String(chunks) },
              b: { B: body.subarray(i * this.chunkBytes, (i + 1) * this.chunkBytes) },
              expiresAt: { N: expiresAt },
            },
          }),
        ),
      ),
    );
  }

  /** The latest complete write of one minute, if any. */
  private async readMinute(minute: number): Promise<T | undefined> {
    const writes = new Map<string, { n: number; chunks: Uint8Array[] }>();
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'pk' },
          ExpressionAttributeValues: { ':pk': { S: `p#${minute}` } },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const id = item.sk?.S?.slice(0, item.sk.S.lastIndexOf('#'));
        const n = Number(item.n?.N);
        const chunk = item.b?.B;
        if (id === undefined || !Number.isInteger(n) || n < 1 || chunk === undefined) continue;
        let write = writes.get(id);
        if (!write) writes.set(id, (write = { n, chunks: [] }));
        write.chunks.push(chunk);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    for (const { n, chunks } of [...writes.values()].reverse()) {
      if (chunks.length !== n) continue;
      try {
        const partial = this.codec.decode(JSON.parse(gunzipSync(Buffer.concat(chunks)).toString('utf8')));
        if (partial !== undefined) return partial;
      } catch {
        // Not a partial (corrupt or foreign data): try the previous write, else fold the minute again.
      }
    }
    return undefined;
  }
}
