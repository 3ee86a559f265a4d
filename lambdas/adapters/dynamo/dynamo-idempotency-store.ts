import { DeleteItemCommand, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { IdempotencyRecord, IdempotencyStore } from '../../ports/idempotency-store';

/**
 * Key prefix of idempotency items. Tenant ids start with a lowercase letter or digit, so no
 * pending verification (`${tenant}#${phoneHash}`) can share a key with these, and `~used#`
 * (used challenge tokens) is a different prefix.
 */
export const IDEMPOTENCY_PREFIX = '~idem#';

const isConditionFailure = (error: unknown) => error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * Idempotency records in the Verifications table (short-lived records with TTL on
 * `expiresAt`, like pending codes and used tokens): a claim is one conditional `PutItem` that
 * succeeds only when no live record exists (TTL deletes late; the condition does not), so of
 * concurrent claims exactly one wins. A lost claim reads the winner's record consistently.
 */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async claim(id: string, fingerprint: string, lockedUntil: number, nowSeconds: number): Promise<IdempotencyRecord | undefined> {
    const pk = { S: IDEMPOTENCY_PREFIX + id };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { pk, state: { S: 'in_progress' }, fingerprint: { S: fingerprint }, expiresAt: { N: String(lockedUntil) } },
          ConditionExpression: 'attribute_not_exists(pk) OR #e <= :now',
          ExpressionAttributeNames: { '#e': 'expiresAt' },
          ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
        }),
      );
      return undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true }));
    // Released or expired between the two calls: report it as in progress, the caller retries later.
    if (Item?.state?.S !== 'completed' || Item.response?.S === undefined) {
      return { state: 'in_progress', fingerprint: Item?.fingerprint?.S ?? fingerprint };
    }
    return { state: 'completed', fingerprint: Item.fingerprint?.S ?? '', response: Item.response.S };
  }

  async complete(id: string, fingerprint: string, response: string, expiresAt: number): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          pk: { S: IDEMPOTENCY_PREFIX + id },
          state: { S: 'completed' },
          fingerprint: { S: fingerprint },
          response: { S: response },
          expiresAt: { N: String(expiresAt) },
        },
      }),
    );
  }

  async release(id: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: IDEMPOTENCY_PREFIX + id } },
          ConditionExpression: '#s = :p',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':p': { S: 'in_progress' } },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
