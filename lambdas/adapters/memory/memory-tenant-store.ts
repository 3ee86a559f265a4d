import type { PolicyOverrides } from '../../domain/policy';
import type { ApiKeyRecord, Tenant, TenantStore } from '../../ports/tenant-store';

/**
 * In-process tenants and API keys for replay and tests. Values are copied in and out (the policy
 * through JSON, as `DynamoTenantStore` stores it), so callers never share state with the store.
 */
export class MemoryTenantStore implements TenantStore {
  private readonly tenants = new Map<string, Tenant>();
  private readonly apiKeys = new Map<string, ApiKeyRecord>();

  async getTenant(id: string): Promise<Tenant | undefined> {
    const tenant = this.tenants.get(id);
    return tenant && copyTenant(tenant);
  }

  async putTenant(tenant: Tenant): Promise<void> {
    this.tenants.set(tenant.id, copyTenant(tenant));
  }

  async getApiKey(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const record = this.apiKeys.get(keyHash);
    return record && { ...record };
  }

  async putApiKey(record: ApiKeyRecord): Promise<void> {
    this.apiKeys.set(record.keyHash, {
      keyHash: record.keyHash,
      tenantId: record.tenantId,
      createdAt: record.createdAt,
      ...(record.revokedAt !== undefined && { revokedAt: record.revokedAt }),
    });
  }
}

function copyTenant(tenant: Tenant): Tenant {
  return {
    id: tenant.id,
    name: tenant.name,
    createdAt: tenant.createdAt,
    policy: JSON.parse(JSON.stringify(tenant.policy)) as PolicyOverrides,
  };
}
