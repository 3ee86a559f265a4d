import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { CounterIncrement, CounterStore } from '../../ports/counter-store';

/**
 * Counters in the Counters table: one item per counter key, value in `v`, TTL in `expiresAt`.
 * Each increment is a single `UpdateItem` with `ADD`, so DynamoDB applies it atomically;
 * a call's increments go out together as one parallel wave.
 */
export class DynamoCounterStore implements CounterStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  increment(increments: readonly CounterIncrement[]): Promise<number[]> {
    return Promise.all(increments.map((inc) => this.incrementOne(inc)));
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
}
