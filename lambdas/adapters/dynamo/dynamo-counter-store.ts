import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { CounterIncrement, CounterStore, DistinctAdd } from '../../ports/counter-store';

/**
 * Counters and distinct-sets in the Counters table, one item per key, TTL in `expiresAt`.
 * A counter keeps its value in `v`: each increment is a single `UpdateItem` with `ADD`, so
 * DynamoDB applies it atomically; an increment `by: 0` is a plain `GetItem` (nothing written).
 * A distinct-set keeps its members in the string set `s`: each add is a single conditional
 * `UpdateItem` with `ADD` that only succeeds while the set has room or already holds the member.
 * A call's requests go out together as one parallel wave.
 */
export class DynamoCounterStore implements CounterStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  increment(increments: readonly CounterIncrement[]): Promise<number[]> {
    return Promise.all(increments.map((inc) => (inc.by === 0 ? this.read(inc.key) : this.incrementOne(inc))));
  }

  addDistinct(adds: readonly DistinctAdd[]): Promise<number[]> {
    return Promise.all(adds.map((add) => this.addOne(add)));
  }

  /**
   * Eventually consistent: a read feeds a threshold, and a just-missed increment is harmless.
   * Like an increment, it does not look at `expiresAt`: keys name their bucket, so an expired
   * counter is one whose window has passed.
   */
  private async read(key: string): Promise<number> {
    const out = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { pk: { S: key } },
        ProjectionExpression: '#v',
        ExpressionAttributeNames: { '#v': 'v' },
      }),
    );
    const value = out.Item?.v?.N;
    return value === undefined ? 0 : Number(value);
  }

  private async incrementOne(inc: CounterIncrement): Promise<number> {
    const out = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: { S: inc.key } },
        UpdateExpression: 'ADD #v :by SET #e = :e',
        ExpressionAttributeNames: { '#v': 'v', '#e': 'expiresAt' },
        ExpressionAttributeValues: { ':by': { N: String(inc.by) }, ':e': { N: String(inc.expiresAt) } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const value = out.Attributes?.v?.N;
    if (value === undefined) throw new Error(`UpdateItem on counter ${inc.key} returned no value`);
    return Number(value);
  }

  private async addOne(add: DistinctAdd): Promise<number> {
    // A full set stores nothing new: with a cap below 1 nothing can ever be stored.
    if (add.cap < 1) return add.cap;
    try {
      const out = await this.client.send(
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
      if (members === undefined) throw new Error(`UpdateItem on distinct-set ${add.key} returned no set`);
      // A cap lowered since the set filled up still bounds the answer.
      return Math.min(members.length, add.cap);
    } catch (error) {
      // Full, and the member is not in it: not stored, the size reads as the cap.
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return add.cap;
      throw error;
    }
  }
}
