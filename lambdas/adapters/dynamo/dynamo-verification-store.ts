import { type AttributeValue, DeleteItemCommand, type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttemptClaim, PendingVerification, VerificationStore } from '../../ports/verification-store';

type Item = Record<string, AttributeValue>;

/** The record exists and has not expired (TTL deletes only eventually, up to days later). */
const LIVE = 'attribute_exists(pk) AND #e > :now';

/** At most `:max` checks used so far (a record without a count has used none). */
const WITHIN_ATTEMPTS = '(attribute_not_exists(#a) OR #a <= :max)';
/** A check is still free: fewer than `:max` used. */
const BELOW_ATTEMPTS = '(attribute_not_exists(#a) OR #a < :max)';

/** Optional string fields, stored under their own names. */
const OPTIONAL_STRINGS = ['country', 'range4', 'accountHash', 'deviceHash', 'network', 'codeHash'] as const;

/**
 * Pending verifications in the Verifications table, one item per (tenant, number) keyed
 * `${tenant}#${phoneHash}`, TTL in `expiresAt`. Expired records are filtered on read and
 * refused by the conditions of `recordFailedAttempt` and `take`; `take` is one conditional
 * `DeleteItem` returning the old item, so of concurrent takes exactly one gets the record.
 */
export class DynamoVerificationStore implements VerificationStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async put(record: PendingVerification): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toItem(record) }));
  }

  async get(tenant: string, phoneHash: string, nowSeconds: number): Promise<PendingVerification | undefined> {
    // Strongly consistent: the check usually follows the send by seconds.
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(tenant, phoneHash), ConsistentRead: true }));
    if (!Item) return undefined;
    const record = fromItem(Item);
    return record.expiresAt > nowSeconds ? record : undefined;
  }

  async recordFailedAttempt(tenant: string, phoneHash: string, nowSeconds: number): Promise<number | undefined> {
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(tenant, phoneHash),
          UpdateExpression: 'ADD #a :one',
          ConditionExpression: LIVE,
          ExpressionAttributeNames: { '#a': 'attempts', '#e': 'expiresAt' },
          ExpressionAttributeValues: { ':one': { N: '1' }, ':now': { N: String(nowSeconds) } },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const attempts = out.Attributes?.attempts?.N;
      if (attempts === undefined) throw new Error(`UpdateItem on verification ${tenant} returned no attempt count`);
      return Number(attempts);
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }

  async claimAttempt(tenant: string, phoneHash: string, nowSeconds: number, maxAttempts: number): Promise<AttemptClaim> {
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(tenant, phoneHash),
          UpdateExpression: 'ADD #a :one',
          ConditionExpression: `${LIVE} AND ${BELOW_ATTEMPTS}`,
          ExpressionAttributeNames: { '#a': 'attempts', '#e': 'expiresAt' },
          ExpressionAttributeValues: { ':one': { N: '1' }, ':now': { N: String(nowSeconds) }, ':max': { N: String(maxAttempts) } },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const attempts = out.Attributes?.attempts?.N;
      if (attempts === undefined) throw new Error(`UpdateItem on verification ${tenant} returned no attempt count`);
      return { status: 'claimed', attempts: Number(attempts) };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      // Refused: tell a spent record from a missing one (the rare path, so one more read is fine).
      return (await this.get(tenant, phoneHash, nowSeconds)) ? { status: 'exhausted' } : { status: 'missing' };
    }
  }

  async take(tenant: string, phoneHash: string, nowSeconds: number, expectedCodeHash?: string, maxAttempts?: number): Promise<PendingVerification | undefined> {
    const conditions = [LIVE];
    const names: Record<string, string> = { '#e': 'expiresAt' };
    const values: Record<string, AttributeValue> = { ':now': { N: String(nowSeconds) } };
    if (expectedCodeHash !== undefined) {
      conditions.push('#c = :c');
      names['#c'] = 'codeHash';
      values[':c'] = { S: expectedCodeHash };
    }
    if (maxAttempts !== undefined) {
      conditions.push(WITHIN_ATTEMPTS);
      names['#a'] = 'attempts';
      values[':max'] = { N: String(maxAttempts) };
    }
    try {
      const out = await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: key(tenant, phoneHash),
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (!out.Attributes) throw new Error(`DeleteItem on verification ${tenant} returned no record`);
      return fromItem(out.Attributes);
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }
}

function key(tenant: string, phoneHash: string): Item {
  return { pk: { S: `${tenant}#${phoneHash}` } };
}

function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function toItem(record: PendingVerification): Item {
  const item: Item = {
    ...key(record.tenant, record.phoneHash),
    tenant: { S: record.tenant },
    phoneHash: { S: record.phoneHash },
    sentAt: { N: String(record.sentAt) },
    expiresAt: { N: String(record.expiresAt) },
  };
  for (const field of OPTIONAL_STRINGS) {
    const value = record[field];
    if (value !== undefined) item[field] = { S: value };
  }
  if (record.attempts !== undefined) item.attempts = { N: String(record.attempts) };
  if (record.supersedes !== undefined) item.supersedes = { N: String(record.supersedes) };
  return item;
}

function fromItem(item: Item): PendingVerification {
  const optional: { -readonly [K in (typeof OPTIONAL_STRINGS)[number]]?: string } = {};
  for (const field of OPTIONAL_STRINGS) {
    const value = item[field]?.S;
    if (value !== undefined) optional[field] = value;
  }
  return {
    tenant: item.tenant?.S ?? '',
    phoneHash: item.phoneHash?.S ?? '',
    sentAt: Number(item.sentAt?.N ?? 0),
    expiresAt: Number(item.expiresAt?.N ?? 0),
    ...optional,
    ...(item.attempts?.N !== undefined && { attempts: Number(item.attempts.N) }),
    ...(item.supersedes?.N !== undefined && { supersedes: Number(item.supersedes.N) }),
  };
}
