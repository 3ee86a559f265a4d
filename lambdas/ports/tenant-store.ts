import type { PolicyOverrides } from '../domain/policy';

/** One protected SMS interface. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  /** Overrides merged onto the default policy. */
  readonly policy: PolicyOverrides;
  /** Its Supabase Send SMS hook, once an admin set the hook's secret. */
  readonly supabaseHook?: SupabaseHookConfig;
}

/** What the shield keeps of a tenant's Supabase Send SMS hook. */
export interface SupabaseHookConfig {
  /**
   * The Standard Webhooks secrets a delivery may be signed with (`v1,whsec_<base64>`, as
   * Supabase shows them): the current one first, then the one it replaced while rotating.
   * Secret: never returned by the admin API, never logged.
   */
  readonly secrets: readonly string[];
  /** SMS text of a code, with `{code}`; absent: the default. */
  readonly codeTemplate?: string;
  /** When the secret was last set (epoch seconds). */
  readonly updatedAt: number;
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
