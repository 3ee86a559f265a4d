import { z } from 'zod';
import type { PolicyOverrides } from '../engine/policy';
import { resolvePolicy } from '../engine/policy';
import type { Tenant, TenantStore } from '../ports/tenant-store';
import { generateApiKey, hashApiKey } from './api-keys';
import { ADMIN_TENANT_ID } from './tenant-directory';

export const tenantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2–63 lowercase letters, digits or dashes');

/** Create a tenant and its first API key. The key is returned once and stored only hashed. */
export async function createTenant(
  store: TenantStore,
  input: { id: string; name?: string; policy?: PolicyOverrides },
  nowMs: number,
): Promise<{ tenant: Tenant; apiKey: string }> {
  const id = tenantIdSchema.parse(input.id);
  if (await store.getTenant(id)) throw new Error(`Tenant "${id}" already exists`);
  const policy = input.policy ?? {};
  resolvePolicy(policy); // reject an invalid policy before anything is written
  const tenant: Tenant = { id, name: input.name ?? id, createdAt: Math.floor(nowMs / 1000), policy };
  await store.putTenant(tenant);
  const apiKey = await issueApiKey(store, id, nowMs);
  return { tenant, apiKey };
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
