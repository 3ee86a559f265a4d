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

/**
 * Key records one tenant (or the admin) may hold, live and revoked together: listing reads
 * at most this many and then refuses (`TOO_MANY_KEYS`), so it always ends.
 */
export const MAX_KEYS_PER_TENANT = 1_000;

export interface TenantStore {
  getTenant(id: string): Promise<Tenant | undefined>;
  putTenant(tenant: Tenant): Promise<void>;
  getApiKey(keyHash: string): Promise<ApiKeyRecord | undefined>;
  putApiKey(record: ApiKeyRecord): Promise<void>;
  /**
   * Every key record of the tenant, revoked ones included, in no particular order. Throws
   * `TOO_MANY_KEYS` (a `ShieldError`) when it holds more than its bound (`MAX_KEYS_PER_TENANT`
   * unless the store was built with another).
   */
  listApiKeys(tenantId: string): Promise<ApiKeyRecord[]>;
}
