import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { ReplayGuard } from '../../ports/replay-guard';

/**
 * Key prefix of used-token items. Tenant ids start with a lowercase letter or digit, so no
 * pending verification (`${tenant}#${phoneHash}`) can ever share a key with these.
 */
export const USED_TOKEN_PREFIX = '~used#';

/**
 * Used single-use tokens in the Verifications table (short-lived, single-use records with TTL
 * on `expiresAt`, like the pending codes already there): one conditional `PutItem` per claim.
 * The put succeeds when no item exists or the old one has expired (TTL deletes only
 * eventually), so of concurrent claims exactly one wins, in one store call.
 */
export class DynamoReplayGuard implements ReplayGuard {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async claim(id: string, expiresAt: number, nowSeconds: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { pk: { S: USED_TOKEN_PREFIX + id }, expiresAt: { N: String(expiresAt) } },
          ConditionExpression: 'attribute_not_exists(pk) OR #e <= :now',
          ExpressionAttributeNames: { '#e': 'expiresAt' },
          ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
