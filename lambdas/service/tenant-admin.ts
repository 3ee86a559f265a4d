import * as z from 'zod';
import type { PolicyOverrides } from '../engine/policy';
import { PolicyError, resolvePolicy } from '../engine/policy';
import { policyOverridesSchema } from '../engine/policy-schema';
import type { Clock } from '../ports/clock';
import { type ApiKeyRecord, MAX_KEYS_PER_TENANT, type SupabaseHookConfig, type Tenant, type TenantStore } from '../ports/tenant-store';
import { generateApiKey, hashApiKey } from './api-keys';
import { ShieldError, invalidInput, tooManyKeys } from '../domain/errors';
import { tenantIdSchema } from '../domain/tenant-id';
import { freeTextSchema } from './list-admin';
import { otpSendRequestSchema } from './schemas';
import { ADMIN_TENANT_ID, type TenantDirectory } from './tenant-directory';

/** A tenant's display name: printable, ≤ 100 characters, trimmed, no phone number. */
export const tenantNameSchema = freeTextSchema(100);

/** Create a tenant and its first API key. The key is returned once and stored only hashed. */
export async function createTenant(
  store: TenantStore,
  input: { id: string; name?: string; policy?: PolicyOverrides },
  nowMs: number,
): Promise<{ tenant: Tenant; apiKey: string }> {
  const id = tenantIdSchema.parse(input.id);
  // Every way in (API, local mode, tests) gets the same name rules, checked before anything is written.
  const name = input.name === undefined ? id : nameOrThrow(input.name);
  if (await store.getTenant(id)) throw new Error(`Tenant "${id}" already exists`);
  const policy = input.policy ?? {};
  resolvePolicy(policy); // reject an invalid policy before anything is written
  const tenant: Tenant = { id, name, createdAt: Math.floor(nowMs / 1000), policy };
  await store.putTenant(tenant);
  const apiKey = await issueApiKey(store, id, nowMs);
  return { tenant, apiKey };
}

function nameOrThrow(raw: string): string {
  const parsed = tenantNameSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? 'is invalid';
  throw invalidInput(`Invalid tenant name: ${message}`, { name: message });
}

/** Add a key to an existing tenant (rotation: issue a new one, then revoke the old). */
export async function issueApiKey(store: TenantStore, tenantId: string, nowMs: number, apiKey = generateApiKey()): Promise<string> {
  await store.putApiKey({ keyHash: hashApiKey(apiKey), tenantId, createdAt: Math.floor(nowMs / 1000) });
  return apiKey;
}

/** Issue an admin key (admin routes: lists of any scope, tenants, policies). Returned once, stored hashed. */
export function issueAdminKey(store: TenantStore, nowMs: number, apiKey = generateApiKey()): Promise<string> {
  return issueApiKey(store, ADMIN_TENANT_ID, nowMs, apiKey);
}

export const createTenantSchema = z.strictObject({
  id: tenantIdSchema,
  name: tenantNameSchema.optional(),
  policy: policyOverridesSchema.optional(),
});

export const issueKeySchema = z.strictObject({
  /** Rotation in one call: revoke this key (its id) once the new one is stored. */
  revokeKeyId: keyIdSchema().optional(),
});

/** A key's id: the SHA-256 of the key, hex. Not a secret; it names the key for revocation. */
export function keyIdSchema() {
  return z.string().regex(/^[0-9a-f]{64}$/, 'must be a key id (64 hex characters)');
}
export const keyIdParamSchema = z.strictObject({ id: tenantIdSchema, keyId: keyIdSchema() });

/**
 * A Standard Webhooks secret as Supabase shows it: `v1,whsec_` and the key in base64 (16 to 64
 * bytes; Supabase's are 32).
 */
export const supabaseHookSecretSchema = z
  .string()
  .trim()
  .regex(/^v1,whsec_[A-Za-z0-9+/]{22,88}={0,2}$/, 'must be the hook secret as Supabase shows it: v1,whsec_ then base64')
  .refine((secret) => {
    const bytes = Buffer.from(secret.slice('v1,whsec_'.length), 'base64').length;
    return bytes >= 16 && bytes <= 64;
  }, 'must hold a key of 16 to 64 bytes');

/** Default SMS text of a code sent for a Supabase project. */
export const DEFAULT_CODE_TEMPLATE = 'Your verification code is {code}';

/** `PUT /v1/admin/tenants/{id}/hooks/supabase`. */
export const supabaseHookInputSchema = z.strictObject({
  secret: supabaseHookSecretSchema,
  /** Rotation: keep accepting the secret this one replaces, until the next set or clear. */
  keepPrevious: z.boolean().optional(),
  /** SMS text of a code, with `{code}` (6 to 320 characters, no control characters). @default DEFAULT_CODE_TEMPLATE */
  codeTemplate: otpSendRequestSchema.shape.template,
});
export type SupabaseHookInput = z.infer<typeof supabaseHookInputSchema>;

/** What an admin sees of a tenant's Supabase hook: whether it is set, never the secret. */
export interface SupabaseHookView {
  readonly configured: boolean;
  /** Two secrets are accepted: the current one and the one it replaced. */
  readonly rotating: boolean;
  readonly codeTemplate?: string;
  readonly updatedAt?: string;
}

/** What an admin sees of a tenant (never a key, never a hook secret). */
export interface TenantView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly policy: PolicyOverrides;
  readonly supabaseHook: SupabaseHookView;
}

/** What an admin sees of an API key: its id and dates, never the key (which is not stored). */
export interface KeyView {
  readonly keyId: string;
  readonly createdAt: string;
  readonly revokedAt?: string;
}

/** Key records as an admin sees them, oldest first (ties by id, so the order is stable). */
export function keyViews(records: readonly ApiKeyRecord[]): KeyView[] {
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  return [...records]
    .sort((a, b) => a.createdAt - b.createdAt || a.keyHash.localeCompare(b.keyHash))
    .map((r) => ({ keyId: r.keyHash, createdAt: iso(r.createdAt), ...(r.revokedAt !== undefined && { revokedAt: iso(r.revokedAt) }) }));
}

/**
 * Refuse (409 `TOO_MANY_KEYS`) to issue one more key to a holder of `MAX_KEYS_PER_TENANT`
 * records, live and revoked: its keys could no longer be listed, nor admin keys revoked.
 */
export async function checkRoomForKey(store: TenantStore, tenantId: string): Promise<ApiKeyRecord[]> {
  const records = await store.listApiKeys(tenantId);
  if (records.length >= MAX_KEYS_PER_TENANT) throw tooManyKeys(tenantId, MAX_KEYS_PER_TENANT);
  return records;
}

/**
 * Tenant administration for the admin API: create tenants, issue, rotate and revoke API keys,
 * set policies. Keys are returned once and stored hashed; a key is revoked only through the
 * tenant it belongs to, so one tenant's id never reaches another's keys (or an admin key).
 * Changes take effect at once in this process and within the directory's cache time elsewhere.
 */
export class TenantAdmin {
  constructor(
    private readonly store: TenantStore,
    private readonly directory: TenantDirectory,
    private readonly clock: Clock,
  ) {}

  async create(input: z.infer<typeof createTenantSchema>): Promise<{ tenant: TenantView; apiKey: string; keyId: string }> {
    if (await this.store.getTenant(input.id)) throw new ShieldError('TENANT_EXISTS', `Tenant "${input.id}" already exists`);
    checkPolicy(input.policy);
    const { tenant, apiKey } = await createTenant(this.store, input, this.clock.now());
    return { tenant: tenantView(tenant), apiKey, keyId: hashApiKey(apiKey) };
  }

  async get(id: string): Promise<TenantView> {
    return tenantView(await this.require(id));
  }

  /** The tenant's keys, revoked ones included: ids and dates only. */
  async listKeys(id: string): Promise<{ keys: KeyView[] }> {
    await this.require(id);
    return { keys: keyViews(await this.store.listApiKeys(id)) };
  }

  /** A new key for the tenant; with `revokeKeyId`, the old key is revoked after the new one is stored. */
  async issueKey(id: string, revokeKeyId?: string): Promise<{ apiKey: string; keyId: string; revokedKeyId?: string }> {
    await this.require(id);
    if (revokeKeyId !== undefined) await this.liveKeyOf(id, revokeKeyId);
    await checkRoomForKey(this.store, id);
    const apiKey = await issueApiKey(this.store, id, this.clock.now());
    if (revokeKeyId !== undefined) await this.revokeKey(id, revokeKeyId);
    return { apiKey, keyId: hashApiKey(apiKey), ...(revokeKeyId !== undefined && { revokedKeyId: revokeKeyId }) };
  }

  async revokeKey(id: string, keyId: string): Promise<{ revokedKeyId: string; revokedAt: string }> {
    const record = await this.liveKeyOf(id, keyId);
    const revokedAt = record.revokedAt ?? Math.floor(this.clock.now() / 1000);
    if (record.revokedAt === undefined) await this.store.putApiKey({ ...record, revokedAt });
    this.directory.invalidate();
    return { revokedKeyId: keyId, revokedAt: new Date(revokedAt * 1000).toISOString() };
  }

  /** Replace the tenant's policy overrides (validated against the defaults first). */
  async setPolicy(id: string, policy: PolicyOverrides): Promise<TenantView> {
    const tenant = await this.require(id);
    checkPolicy(policy);
    const updated: Tenant = { ...tenant, policy };
    await this.store.putTenant(updated);
    this.directory.invalidate();
    return tenantView(updated);
  }

  /**
   * Set (or rotate) the secret Supabase signs the tenant's Send SMS hook deliveries with; with
   * `keepPrevious`, the secret it replaces stays accepted until the next set or clear.
   */
  async setSupabaseHook(id: string, input: SupabaseHookInput): Promise<SupabaseHookView> {
    const tenant = await this.require(id);
    const previous = input.keepPrevious ? tenant.supabaseHook?.secrets[0] : undefined;
    const supabaseHook: SupabaseHookConfig = {
      secrets: previous !== undefined && previous !== input.secret ? [input.secret, previous] : [input.secret],
      ...(input.codeTemplate !== undefined && { codeTemplate: input.codeTemplate }),
      updatedAt: Math.floor(this.clock.now() / 1000),
    };
    await this.store.putTenant({ ...tenant, supabaseHook });
    return supabaseHookView(supabaseHook);
  }

  /** Clear the tenant's Supabase hook: every delivery is refused (401) until a secret is set again. */
  async clearSupabaseHook(id: string): Promise<SupabaseHookView> {
    const { supabaseHook: _cleared, ...tenant } = await this.require(id);
    await this.store.putTenant(tenant);
    return supabaseHookView(undefined);
  }

  private async require(id: string): Promise<Tenant> {
    const tenant = await this.store.getTenant(id);
    if (!tenant) throw new ShieldError('NOT_FOUND', `No tenant "${id}"`);
    return tenant;
  }

  /** The key's record if it belongs to this tenant; the same 404 otherwise, so key ids of other tenants reveal nothing. */
  private async liveKeyOf(id: string, keyId: string): Promise<ApiKeyRecord> {
    const record = await this.store.getApiKey(keyId);
    if (!record || record.tenantId !== id) throw new ShieldError('NOT_FOUND', `Tenant "${id}" has no key ${keyId.slice(0, 12)}…`);
    return record;
  }
}

function checkPolicy(policy: PolicyOverrides | undefined): void {
  try {
    resolvePolicy(policy ?? {});
  } catch (error) {
    if (error instanceof PolicyError) throw invalidInput('Invalid policy', { policy: error.message });
    throw error;
  }
}

function tenantView(t: Tenant): TenantView {
  return {
    id: t.id,
    name: t.name,
    createdAt: new Date(t.createdAt * 1000).toISOString(),
    policy: t.policy,
    supabaseHook: supabaseHookView(t.supabaseHook),
  };
}

function supabaseHookView(hook: SupabaseHookConfig | undefined): SupabaseHookView {
  if (!hook || hook.secrets.length === 0) return { configured: false, rotating: false };
  return {
    configured: true,
    rotating: hook.secrets.length > 1,
    ...(hook.codeTemplate !== undefined && { codeTemplate: hook.codeTemplate }),
    updatedAt: new Date(hook.updatedAt * 1000).toISOString(),
  };
}
