import * as z from 'zod';
import { ShieldError } from '../domain/errors';
import type { Clock } from '../ports/clock';
import type { ApiKeyRecord, TenantStore } from '../ports/tenant-store';
import { hashApiKey } from './api-keys';
import { ADMIN_TENANT_ID, type TenantDirectory } from './tenant-directory';
import { checkRoomForKey, issueAdminKey, keyIdSchema, type KeyView, keyViews } from './tenant-admin';

export const adminKeyIdParamSchema = z.strictObject({ keyId: keyIdSchema() });

/**
 * The admin keys themselves: list them, issue (and rotate) one, revoke one. An admin key id
 * names only admin keys: a tenant key's id, or an unknown one, gets the same 404, so the route
 * reveals nothing about tenant keys. The last live admin key cannot be revoked (409
 * `LAST_ADMIN_KEY`), so a leaked admin key cannot lock everyone else out; the way back when
 * every admin key is lost is the construct's `adminKeyGeneration`. Revocation takes effect at
 * once in this process and within the directory's cache time elsewhere.
 */
export class AdminKeys {
  constructor(
    private readonly store: TenantStore,
    private readonly directory: TenantDirectory,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<{ keys: KeyView[] }> {
    return { keys: keyViews(await this.store.listApiKeys(ADMIN_TENANT_ID)) };
  }

  /** A new admin key, returned once; with `revokeKeyId`, that admin key is revoked once the new one is stored. */
  async issue(revokeKeyId?: string): Promise<{ apiKey: string; keyId: string; revokedKeyId?: string }> {
    if (revokeKeyId !== undefined) await this.adminKey(revokeKeyId);
    await checkRoomForKey(this.store, ADMIN_TENANT_ID);
    const apiKey = await issueAdminKey(this.store, this.clock.now());
    // No lock-out check: the new key is live (and the index may not show it yet).
    if (revokeKeyId !== undefined) await this.markRevoked(await this.adminKey(revokeKeyId));
    return { apiKey, keyId: hashApiKey(apiKey), ...(revokeKeyId !== undefined && { revokedKeyId: revokeKeyId }) };
  }

  /**
   * Revoke an admin key unless no other live one would remain. The check is made before the
   * write and again after it: of two revocations racing for the last two keys, one is undone
   * and answered 409, so at least one key stays live (as far as the store's reads are current).
   */
  async revoke(keyId: string): Promise<{ revokedKeyId: string; revokedAt: string }> {
    const record = await this.adminKey(keyId);
    if (record.revokedAt !== undefined) return this.markRevoked(record);
    if (!(await this.anotherLiveKey(keyId))) throw lastAdminKey();
    const revoked = await this.markRevoked(record);
    if (!(await this.anotherLiveKey(keyId))) {
      await this.store.putApiKey(record);
      this.directory.invalidate();
      throw lastAdminKey();
    }
    return revoked;
  }

  /** Revoke (once: a revoked key keeps its date) and forget cached keys. */
  private async markRevoked(record: ApiKeyRecord): Promise<{ revokedKeyId: string; revokedAt: string }> {
    const revokedAt = record.revokedAt ?? Math.floor(this.clock.now() / 1000);
    if (record.revokedAt === undefined) await this.store.putApiKey({ ...record, revokedAt });
    this.directory.invalidate();
    return { revokedKeyId: record.keyHash, revokedAt: new Date(revokedAt * 1000).toISOString() };
  }

  /** The admin key's record; the same 404 for an unknown id and for a tenant key's id. */
  private async adminKey(keyId: string): Promise<ApiKeyRecord> {
    const record = await this.store.getApiKey(keyId);
    if (!record || record.tenantId !== ADMIN_TENANT_ID) throw new ShieldError('NOT_FOUND', `No admin key ${keyId.slice(0, 12)}…`);
    return record;
  }

  private async anotherLiveKey(keyId: string): Promise<boolean> {
    const records = await this.store.listApiKeys(ADMIN_TENANT_ID);
    return records.some((r) => r.revokedAt === undefined && r.keyHash !== keyId);
  }
}

function lastAdminKey(): ShieldError {
  return new ShieldError(
    'LAST_ADMIN_KEY',
    'This is the last live admin key: issue another one first (POST /v1/admin/keys with revokeKeyId rotates in one call)',
  );
}
