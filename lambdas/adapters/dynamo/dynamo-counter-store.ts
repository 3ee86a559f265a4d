import { BatchGetItemCommand, type DynamoDBClient, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { type CounterIncrement, type CounterStore, type DistinctAdd, type MembersAdd, ThrottledKeysError, throwIfFailed } from '../../ports/counter-store';

const DEFAULT_FIELD = 'v';
const BATCH_GET_LIMIT = 100;
const MAX_UNPROCESSED_RETRIES = 3;

/**
 * Counters and distinct-sets in the Counters table, TTL in `expiresAt`.
 *
 * Counters are fields of items: all increments of one key (a subject's minute, hour and day
 * buckets) are one `UpdateItem` that `ADD`s each field — atomic, never read-then-write — and
 * `REMOVE`s the fields of buckets that have passed, so an item stays small however long it lives.
 * Reads (`by: 0`) are batched into `BatchGetItem`s. A distinct-set keeps its members in the
 * string set `s`: each add is one conditional `UpdateItem` that only succeeds while the set has
 * room or already holds the member. Everything of one call goes out together as one wave.
 *
 * A throttled request becomes a `ThrottledKeysError` naming its key, and a call fails with one
 * over all its throttled keys, `hot` when the others were served: a busy key, not a busy store.
 */
export class DynamoCounterStore implements CounterStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async increment(increments: readonly CounterIncrement[]): Promise<number[]> {
    const results = new Array<number>(increments.length).fill(0);
    const writes = new Map<string, number[]>();
    const reads = new Map<string, number[]>();
    increments.forEach((inc, i) => {
      const groups = inc.by === 0 ? reads : writes;
      const list = groups.get(inc.key);
      if (list) list.push(i);
      else groups.set(inc.key, [i]);
    });
    const updates = [...writes.values()].map((indexes) => this.update(increments, indexes, results));
    const settled = await Promise.allSettled([
      ...updates,
      ...chunks([...reads.keys()], BATCH_GET_LIMIT).map((keys) => this.read(keys, increments, reads, results)),
    ]);
    throwIfFailed(settled, (i) => i < updates.length);
    return results;
  }

  async addDistinct(adds: readonly DistinctAdd[]): Promise<number[]> {
    const settled = await Promise.allSettled(adds.map((add) => this.addOne(add)));
    throwIfFailed(settled, (i) => (adds[i]?.cap ?? 0) >= 1);
    return settled.map((r) => (r as PromiseFulfilledResult<number>).value);
  }

  async addMembers(adds: readonly MembersAdd[]): Promise<(readonly string[] | undefined)[]> {
    const settled = await Promise.allSettled(adds.map((add) => this.addMembersOne(add)));
    throwIfFailed(settled, (i) => (adds[i]?.cap ?? 0) >= 1 && (adds[i]?.members.length ?? 0) > 0);
    return settled.map((r) => (r as PromiseFulfilledResult<readonly string[] | undefined>).value);
  }

  /** Send one command for `keys`; throttling becomes a `ThrottledKeysError` naming them. */
  private async send<T>(keys: readonly string[], send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw throttledKeys(error, keys);
    }
  }

  private sendUpdate(key: string, command: UpdateItemCommand) {
    return this.send([key], () => this.client.send(command));
  }

  /** One conditional UpdateItem: add while the set has room, and read the members back. */
  private async addMembersOne(add: MembersAdd): Promise<readonly string[] | undefined> {
    if (add.cap < 1 || add.members.length === 0) return undefined;
    try {
      const out = await this.sendUpdate(
        add.key,
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: add.key } },
          UpdateExpression: 'ADD #s :m SET #e = :e',
          ConditionExpression: 'attribute_not_exists(#s) OR size(#s) < :cap',
          ExpressionAttributeNames: { '#s': 's', '#e': 'expiresAt' },
          ExpressionAttributeValues: {
            ':m': { SS: [...new Set(add.members)] },
            ':cap': { N: String(add.cap) },
            ':e': { N: String(add.expiresAt) },
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const members = out.Attributes?.s?.SS;
      if (members === undefined) throw new Error(`UpdateItem on set ${add.key} returned no members`);
      return members.length >= add.cap ? undefined : members;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  /** One UpdateItem for every increment of one key. */
  private async update(increments: readonly CounterIncrement[], indexes: readonly number[], results: number[]): Promise<void> {
    const names: Record<string, string> = { '#e': 'expiresAt' };
    const values: Record<string, AttributeValue> = {};
    const adds: string[] = [];
    const fieldIndex = new Map<string, string>();
    let expiresAt = 0;
    const dropped = new Set<string>();
    const first = increments[indexes[0] as number] as CounterIncrement;
    for (const i of indexes) {
      const inc = increments[i] as CounterIncrement;
      const field = inc.field ?? DEFAULT_FIELD;
      expiresAt = Math.max(expiresAt, inc.expiresAt);
      for (const d of inc.drop ?? []) dropped.add(d);
      let alias = fieldIndex.get(field);
      if (alias === undefined) {
        alias = `f${fieldIndex.size}`;
        fieldIndex.set(field, alias);
        names[`#${alias}`] = field;
        values[`:${alias}`] = { N: '0' };
        adds.push(`#${alias} :${alias}`);
      }
      const current = values[`:${alias}`] as { N: string };
      current.N = String(Number(current.N) + inc.by);
    }
    const removes = [...dropped].filter((d) => !fieldIndex.has(d));
    removes.forEach((d, i) => {
      names[`#r${i}`] = d;
    });
    values[':e'] = { N: String(expiresAt) };
    const expression = `ADD ${adds.join(', ')} SET #e = :e${removes.length > 0 ? ` REMOVE ${removes.map((_, i) => `#r${i}`).join(', ')}` : ''}`;
    const out = await this.sendUpdate(
      first.key,
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: { S: first.key } },
        UpdateExpression: expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    for (const i of indexes) {
      const field = increments[i]?.field ?? DEFAULT_FIELD;
      const value = out.Attributes?.[field]?.N;
      if (value === undefined) throw new Error(`UpdateItem on counter ${first.key} returned no value for ${field}`);
      results[i] = Number(value);
    }
  }

  /**
   * Eventually consistent: a read feeds a threshold, and a just-missed increment is harmless.
   * Fields name their bucket, so a counter whose window has passed is simply never read again.
   */
  private async read(keys: readonly string[], increments: readonly CounterIncrement[], byKey: Map<string, number[]>, results: number[]): Promise<void> {
    let request: Record<string, { Keys: Record<string, AttributeValue>[] }> | undefined = {
      [this.tableName]: { Keys: keys.map((key) => ({ pk: { S: key } })) },
    };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      const pending = request[this.tableName]?.Keys.map((k) => k.pk?.S ?? '') ?? [];
      // Keys left unprocessed are keys DynamoDB throttled.
      if (attempt > MAX_UNPROCESSED_RETRIES) throw new ThrottledKeysError(pending, false, 0);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
      const batch = request;
      const out = await this.send(pending, () => this.client.send(new BatchGetItemCommand({ RequestItems: batch })));
      for (const item of out.Responses?.[this.tableName] ?? []) {
        const key = item.pk?.S;
        for (const i of (key && byKey.get(key)) || []) {
          const value = item[increments[i]?.field ?? DEFAULT_FIELD]?.N;
          results[i] = value === undefined ? 0 : Number(value);
        }
      }
      request = out.UnprocessedKeys as typeof request;
    }
  }

  private async addOne(add: DistinctAdd): Promise<number> {
    // A full set stores nothing new: with a cap below 1 nothing can ever be stored.
    if (add.cap < 1) return add.cap;
    try {
      const out = await this.sendUpdate(
        add.key,
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: add.key } },
          UpdateExpression: 'ADD #s :m SET #e = :e',
          ConditionExpression: 'attribute_not_exists(#s) OR size(#s) < :cap OR contains(#s, :member)',
          ExpressionAttributeNames: { '#s': 's', '#e': 'expiresAt' },
          ExpressionAttributeValues: {
            ':m': { SS: [add.member] },
            ':member': { S: add.member },
            ':cap': { N: String(add.cap) },
            ':e': { N: String(add.expiresAt) },
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const members = out.Attributes?.s?.SS;
      if (members === undefined) throw new Error(`UpdateItem on set ${add.key} returned no members`);
      return Math.min(members.length, add.cap);
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return add.cap;
      throw error;
    }
  }
}

/** Error names of DynamoDB throttling: a partition, a table or the account over its throughput. */
const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/** A throttling error as a `ThrottledKeysError` for `keys` (hot when DynamoDB names a key range); any other error as is. */
function throttledKeys(error: unknown, keys: readonly string[]): unknown {
  const e = error as { name?: unknown; ThrottlingReasons?: readonly { reason?: string }[] } | undefined;
  if (typeof e?.name !== 'string' || !THROTTLING.has(e.name)) return error;
  const hot = (e.ThrottlingReasons ?? []).some((r) => r.reason?.endsWith('KeyRangeThroughputExceeded') === true);
  return new ThrottledKeysError(keys, hot, 0, { cause: error });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
