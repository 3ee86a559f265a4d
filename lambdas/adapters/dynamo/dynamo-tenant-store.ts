import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { tooManyKeys } from '../../domain/errors';
import type { PolicyOverrides } from '../../domain/policy';
import { type ApiKeyRecord, MAX_KEYS_PER_TENANT, type SupabaseHookConfig, type Tenant, type TenantStore } from '../../ports/tenant-store';

type Item = Record<string, AttributeValue>;

const tenantPk = (id: string): string => `tenant#${id}`;
const apiKeyPk = (keyHash: string): string => `key#${keyHash}`;

export interface DynamoTenantStoreOptions {
  /** Key records `listApiKeys` reads before it refuses. @default MAX_KEYS_PER_TENANT */
  readonly maxKeysPerTenant?: number;
}

/**
 * Tenants and API keys in the Tenants table: `tenant#<id>` items (policy as a JSON string, so
 * its nested shape can evolve without a migration) and `key#<sha256>` items, which alone carry
 * `tenantId` and so alone appear in the sparse index `byTenant`.
 */
export class DynamoTenantStore implements TenantStore {
  private readonly maxKeysPerTenant: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoTenantStoreOptions = {},
  ) {
    this.maxKeysPerTenant = options.maxKeysPerTenant ?? MAX_KEYS_PER_TENANT;
  }

  async getTenant(id: string): Promise<Tenant | undefined> {
    const item = await this.get(tenantPk(id));
    if (!item) return undefined;
    return {
      id: item.id?.S ?? id,
      name: item.name?.S ?? '',
      createdAt: Number(item.createdAt?.N ?? 0),
      policy: JSON.parse(item.policy?.S ?? '{}') as PolicyOverrides,
      ...(item.supabaseHook?.S && { supabaseHook: JSON.parse(item.supabaseHook.S) as SupabaseHookConfig }),
    };
  }

  async putTenant(tenant: Tenant): Promise<void> {
    await this.put({
      pk: { S: tenantPk(tenant.id) },
      id: { S: tenant.id },
      name: { S: tenant.name },
      createdAt: { N: String(tenant.createdAt) },
      policy: { S: JSON.stringify(tenant.policy) },
      ...(tenant.supabaseHook && { supabaseHook: { S: JSON.stringify(tenant.supabaseHook) } }),
    });
  }

  async getApiKey(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const item = await this.get(apiKeyPk(keyHash));
    return item && apiKeyOf(item, keyHash);
  }

  async putApiKey(record: ApiKeyRecord): Promise<void> {
    await this.put(apiKeyItem(record));
  }

  /**
   * The tenant's key records from `byTenant`, page after page. `Limit` is what the bound still
   * allows plus one, so at most `maxKeysPerTenant + 1` items are ever read (each page holds at
   * least one: there is no filter) before it refuses.
   */
  async listApiKeys(tenantId: string): Promise<ApiKeyRecord[]> {
    const records: ApiKeyRecord[] = [];
    let startKey: Item | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byTenant',
          KeyConditionExpression: '#t = :t',
          ExpressionAttributeNames: { '#t': 'tenantId' },
          ExpressionAttributeValues: { ':t': { S: tenantId } },
          Limit: this.maxKeysPerTenant + 1 - records.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) records.push(apiKeyOf(item, item.pk?.S?.slice('key#'.length) ?? ''));
      if (records.length > this.maxKeysPerTenant) throw tooManyKeys(tenantId, this.maxKeysPerTenant);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return records;
  }

  /** Store a new key record unless one with this hash exists (never overwrites, e.g. un-revokes); false if it did. */
  async createApiKey(record: ApiKeyRecord): Promise<boolean> {
    try {
      await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: apiKeyItem(record), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Mark a live key revoked in one conditional update; false if there is no such key or it was revoked already. */
  async revokeApiKey(keyHash: string, revokedAt: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: apiKeyPk(keyHash) } },
          UpdateExpression: 'SET revokedAt = :at',
          ConditionExpression: 'attribute_exists(tenantId) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: { ':at': { N: String(revokedAt) } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async get(pk: string): Promise<Item | undefined> {
    const out = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: pk } } }));
    return out.Item;
  }

  private async put(item: Item): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: item }));
  }
}

function apiKeyItem(record: ApiKeyRecord): Item {
  const item: Item = {
    pk: { S: apiKeyPk(record.keyHash) },
    keyHash: { S: record.keyHash },
    tenantId: { S: record.tenantId },
    createdAt: { N: String(record.createdAt) },
  };
  if (record.revokedAt !== undefined) item.revokedAt = { N: String(record.revokedAt) };
  return item;
}

function apiKeyOf(item: Item, keyHash: string): ApiKeyRecord {
  return {
    keyHash: item.keyHash?.S ?? keyHash,
    tenantId: item.tenantId?.S ?? '',
    createdAt: Number(item.createdAt?.N ?? 0),
    ...(item.revokedAt?.N !== undefined && { revokedAt: Number(item.revokedAt.N) }),
  };
}
