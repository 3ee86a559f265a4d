import { type AttributeValue, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { PolicyOverrides } from '../../domain/policy';
import type { ApiKeyRecord, Tenant, TenantStore } from '../../ports/tenant-store';

type Item = Record<string, AttributeValue>;

const tenantPk = (id: string): string => `tenant#${id}`;
const apiKeyPk = (keyHash: string): string => `key#${keyHash}`;

/**
 * Tenants and API keys in the Tenants table: `tenant#<id>` items (policy as a JSON string, so
 * its nested shape can evolve without a migration) and `key#<sha256>` items.
 */
export class DynamoTenantStore implements TenantStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async getTenant(id: string): Promise<Tenant | undefined> {
    const item = await this.get(tenantPk(id));
    if (!item) return undefined;
    return {
      id: item.id?.S ?? id,
      name: item.name?.S ?? '',
      createdAt: Number(item.createdAt?.N ?? 0),
      policy: JSON.parse(item.policy?.S ?? '{}') as PolicyOverrides,
    };
  }

  async putTenant(tenant: Tenant): Promise<void> {
    await this.put({
      pk: { S: tenantPk(tenant.id) },
      id: { S: tenant.id },
      name: { S: tenant.name },
      createdAt: { N: String(tenant.createdAt) },
      policy: { S: JSON.stringify(tenant.policy) },
    });
  }

  async getApiKey(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const item = await this.get(apiKeyPk(keyHash));
    if (!item) return undefined;
    return {
      keyHash: item.keyHash?.S ?? keyHash,
      tenantId: item.tenantId?.S ?? '',
      createdAt: Number(item.createdAt?.N ?? 0),
      ...(item.revokedAt?.N !== undefined && { revokedAt: Number(item.revokedAt.N) }),
    };
  }

  async putApiKey(record: ApiKeyRecord): Promise<void> {
    const item: Item = {
      pk: { S: apiKeyPk(record.keyHash) },
      keyHash: { S: record.keyHash },
      tenantId: { S: record.tenantId },
      createdAt: { N: String(record.createdAt) },
    };
    if (record.revokedAt !== undefined) item.revokedAt = { N: String(record.revokedAt) };
    await this.put(item);
  }

  private async get(pk: string): Promise<Item | undefined> {
    const out = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: pk } } }));
    return out.Item;
  }

  private async put(item: Item): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: item }));
  }
}
