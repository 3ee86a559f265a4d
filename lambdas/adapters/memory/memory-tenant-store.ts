import { tooManyKeys } from '../../domain/errors';
import type { PolicyOverrides } from '../../domain/policy';
import { type ApiKeyRecord, MAX_KEYS_PER_TENANT, type SupabaseHookConfig, type Tenant, type TenantStore } from '../../ports/tenant-store';

export interface MemoryTenantStoreOptions {
  /** Key records `listApiKeys` returns before it refuses. @default MAX_KEYS_PER_TENANT */
  readonly maxKeysPerTenant?: number;
}

/**
 * In-process tenants and API keys for replay and tests. Values are copied in and out (the policy
 * through JSON, as `DynamoTenantStore` stores it), so callers never share state with the store.
 */
export class MemoryTenantStore implements TenantStore {
  private readonly tenants = new Map<string, Tenant>();
  private readonly apiKeys = new Map<string, ApiKeyRecord>();
  private readonly maxKeysPerTenant: number;

  constructor(options: MemoryTenantStoreOptions = {}) {
    this.maxKeysPerTenant = options.maxKeysPerTenant ?? MAX_KEYS_PER_TENANT;
  }

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
    this.apiKeys.set(record.keyHash, copyKey(record));
  }

  async listApiKeys(tenantId: string): Promise<ApiKeyRecord[]> {
    const records: ApiKeyRecord[] = [];
    for (const record of this.apiKeys.values()) {
      if (record.tenantId !== tenantId) continue;
      if (records.length === this.maxKeysPerTenant) throw tooManyKeys(tenantId, this.maxKeysPerTenant);
      records.push(copyKey(record));
    }
    return records;
  }
}

function copyKey(record: ApiKeyRecord): ApiKeyRecord {
  return {
    keyHash: record.keyHash,
    tenantId: record.tenantId,
    createdAt: record.createdAt,
    ...(record.revokedAt !== undefined && { revokedAt: record.revokedAt }),
  };
}

function copyTenant(tenant: Tenant): Tenant {
  return {
    id: tenant.id,
    name: tenant.name,
    createdAt: tenant.createdAt,
    policy: JSON.parse(JSON.stringify(tenant.policy)) as PolicyOverrides,
    ...(tenant.supabaseHook && { supabaseHook: JSON.parse(JSON.stringify(tenant.supabaseHook)) as SupabaseHookConfig }),
  };
}
