/**
 * Typed client for the admin routes of the SMS Shield HTTP API v1 (`/v1/admin/…`), for an
 * operator's tooling: tenants and their keys, admin keys, lists of any scope, shared
 * reputation. Errors are those of `ShieldClient`; an admin key is as powerful as the whole
 * deployment, so keep this client out of tenant-facing code.
 */
import { keyIdSegment, ShieldBase, tenantSegment } from './base.js';
import type { ShieldConnectionOptions } from './transport.js';
import type {
  CreatedTenant,
  CreateTenantInput,
  IssuedKey,
  IssueKeyOptions,
  KeyList,
  ListEntry,
  ListEntryInput,
  ListEntryPage,
  ListKind,
  ListPageOptions,
  ListScope,
  PolicyOverrides,
  ReputationImport,
  ReputationList,
  ReputationMergeResult,
  RevokedKey,
  SupabaseHook,
  SupabaseHookInput,
  Tenant,
} from './types.js';

export interface ShieldAdminClientOptions extends ShieldConnectionOptions {
  /** An admin key (`sms-shield admin-key`, or the deployment's bootstrap secret). */
  readonly adminKey: string;
}

/** A tenant's API keys (`/v1/admin/tenants/{id}/keys`). */
export interface TenantKeys {
  /** Every key of the tenant, live and revoked: ids and dates, never a key. */
  list(tenantId: string): Promise<KeyList>;
  /** A new key, shown once; with `revokeKeyId`, that key is revoked once the new one is stored (rotation). */
  issue(tenantId: string, options?: IssueKeyOptions): Promise<IssuedKey>;
  /** Revoke one of the tenant's keys by its id. */
  revoke(tenantId: string, keyId: string): Promise<RevokedKey>;
}

/**
 * The admin keys (`/v1/admin/keys`). Revoking the last live one answers 409 `LAST_ADMIN_KEY`:
 * rotate with `issue({ revokeKeyId })` instead.
 */
export interface AdminKeys {
  /** Every admin key, live and revoked: ids and dates, never a key. */
  list(): Promise<KeyList>;
  /** A new admin key, shown once; with `revokeKeyId`, that key is revoked once the new one is stored (rotation). */
  issue(options?: IssueKeyOptions): Promise<IssuedKey>;
  revoke(keyId: string): Promise<RevokedKey>;
}

export interface AdminTenants {
  /** `POST /v1/admin/tenants`: a tenant and its first key (shown once). */
  create(input: CreateTenantInput): Promise<CreatedTenant>;
  /** `GET /v1/admin/tenants/{id}`. */
  get(id: string): Promise<Tenant>;
  /** `PUT /v1/admin/tenants/{id}/policy`: replace the tenant's policy overrides. */
  setPolicy(id: string, policy: PolicyOverrides): Promise<Tenant>;
  /** `/v1/admin/tenants/{id}/keys`. */
  readonly keys: TenantKeys;
  /** `/v1/admin/tenants/{id}/hooks/supabase`: the secret the tenant's Supabase Send SMS hook is signed with. */
  readonly supabaseHook: TenantSupabaseHook;
}

/** A tenant's Supabase Send SMS hook secret: set, rotate and clear; it is never read back. */
export interface TenantSupabaseHook {
  /** `PUT`: set or rotate the secret (`keepPrevious` accepts the replaced one too until the next set). */
  set(tenantId: string, input: SupabaseHookInput): Promise<SupabaseHook>;
  /** `DELETE`: clear it; every delivery is refused until a secret is set again. */
  clear(tenantId: string): Promise<SupabaseHook>;
}

/** Lists of any scope (`/v1/admin/lists`): `global`, or a tenant's as `t:<tenant id>`. */
export interface AdminLists {
  /** Every entry of the scope, page after page. */
  list(scope: ListScope): Promise<ListEntry[]>;
  page(scope: ListScope, options?: ListPageOptions): Promise<ListEntryPage>;
  add(scope: ListScope, entry: ListEntryInput): Promise<ListEntry>;
  remove(scope: ListScope, kind: ListKind, value: string): Promise<{ removed: boolean }>;
}

/** Shared reputation (`/v1/admin/reputation`). */
export interface AdminReputation {
  /** What this deployment promoted (`local`, the default), or every live indicator with partners' (`all`). */
  list(source?: 'local' | 'all'): Promise<ReputationList>;
  /** Merge a partner's indicators (at most 100 per call). */
  merge(input: ReputationImport): Promise<ReputationMergeResult>;
}

const PAGE = 500;

export class ShieldAdminClient extends ShieldBase {
  constructor(options: ShieldAdminClientOptions) {
    super('ShieldAdminClient', options, { name: 'adminKey', value: options?.adminKey });
  }

  readonly tenants: AdminTenants = {
    create: async (input) => this.call({ method: 'POST', path: '/v1/admin/tenants', body: input }),
    get: async (id) => this.call({ method: 'GET', path: `/v1/admin/tenants/${tenantSegment(id)}` }),
    setPolicy: async (id, policy) => this.call({ method: 'PUT', path: `/v1/admin/tenants/${tenantSegment(id)}/policy`, body: policy }),
    keys: {
      list: async (id) => this.call({ method: 'GET', path: `/v1/admin/tenants/${tenantSegment(id)}/keys` }),
      issue: async (id, options = {}) => this.call({ method: 'POST', path: `/v1/admin/tenants/${tenantSegment(id)}/keys`, body: issueBody(options) }),
      revoke: async (id, keyId) => this.call({ method: 'DELETE', path: `/v1/admin/tenants/${tenantSegment(id)}/keys/${keyIdSegment(keyId)}` }),
    },
    supabaseHook: {
      set: async (id, input) => this.call({ method: 'PUT', path: `/v1/admin/tenants/${tenantSegment(id)}/hooks/supabase`, body: input }),
      clear: async (id) => this.call({ method: 'DELETE', path: `/v1/admin/tenants/${tenantSegment(id)}/hooks/supabase` }),
    },
  };

  readonly keys: AdminKeys = {
    list: async () => this.call({ method: 'GET', path: '/v1/admin/keys' }),
    issue: async (options = {}) => this.call({ method: 'POST', path: '/v1/admin/keys', body: issueBody(options) }),
    revoke: async (keyId) => this.call({ method: 'DELETE', path: `/v1/admin/keys/${keyIdSegment(keyId)}` }),
  };

  readonly lists: AdminLists = {
    list: async (scope) => {
      const entries: ListEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.lists.page(scope, { limit: PAGE, cursor });
        entries.push(...page.entries);
        cursor = page.nextCursor;
      } while (cursor);
      return entries;
    },
    page: async (scope, options = {}) => this.call({ method: 'GET', path: '/v1/admin/lists', query: { scope, limit: options.limit, cursor: options.cursor } }),
    add: async (scope, entry) => this.call({ method: 'POST', path: '/v1/admin/lists', body: { ...entry, scope } }),
    remove: async (scope, kind, value) => this.call({ method: 'DELETE', path: '/v1/admin/lists', query: { scope, kind, value } }),
  };

  readonly reputation: AdminReputation = {
    list: async (source) => this.call({ method: 'GET', path: '/v1/admin/reputation', query: { source } }),
    merge: async (input) => this.call({ method: 'POST', path: '/v1/admin/reputation', body: input }),
  };
}

/** The key-issue body: only `revokeKeyId`, when given (the API refuses unknown fields). */
function issueBody(options: IssueKeyOptions): IssueKeyOptions {
  return options.revokeKeyId === undefined ? {} : { revokeKeyId: keyIdSegment(options.revokeKeyId) };
}
