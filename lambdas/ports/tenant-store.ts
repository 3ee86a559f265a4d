import type { PolicyOverrides } from '../domain/policy';

/** One protected SMS interface. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  /** Overrides merged onto the default policy. */
  readonly policy: PolicyOverrides;
}

/** An API key, stored only as its SHA-256 hash. */
export interface ApiKeyRecord {
  readonly keyHash: string;
  readonly tenantId: string;
  readonly createdAt: number;
  readonly revokedAt?: number;
}

export interface TenantStore {
  getTenant(id: string): Promise<Tenant | undefined>;
  putTenant(tenant: Tenant): Promise<void>;
  getApiKey(keyHash: string): Promise<ApiKeyRecord | undefined>;
  putApiKey(record: ApiKeyRecord): Promise<void>;
}
