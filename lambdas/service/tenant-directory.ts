import { BoundedCache } from '../engine/lru';
import { resolvePolicy, type Policy } from '../engine/policy';
import type { Clock } from '../ports/clock';
import type { Tenant, TenantStore } from '../ports/tenant-store';
import { hashApiKey } from './api-keys';
import { storeUnavailable } from '../domain/errors';

/** A tenant with its policy resolved against the defaults. */
export interface ResolvedTenant {
  readonly tenant: Tenant;
  readonly policy: Policy;
}

/** Admin keys are stored like tenant keys but point at this id, which no tenant can have. */
export const ADMIN_TENANT_ID = '__admin__';

interface CacheEntry {
  readonly value: ResolvedTenant | undefined;
  readonly admin: boolean;
  readonly until: number;
}

export interface TenantDirectoryOptions {
  /** How long a resolved key is trusted before the store is asked again. @default 30_000 ms */
  readonly ttlMs?: number;
  /** How long an unknown key is remembered as unknown. @default 5_000 ms */
  readonly negativeTtlMs?: number;
  /** Live keys (tenant and admin) kept cached; only keys found in the store count. @default 10_000 */
  readonly maxEntries?: number;
  /** Unknown (or revoked) keys remembered as such, apart from live keys, so random keys cannot grow memory or evict one. @default 1_000 */
  readonly maxNegativeEntries?: number;
  /** Policy defaults for this deployment (e.g. shadow mode). */
  readonly basePolicy?: Policy;
  /** Told when the store could not be read (the request gets 503 `STORE_UNAVAILABLE`). @default ignore */
  readonly onStoreError?: (error: unknown) => void;
}

/** What a miss resolves to: neither a tenant nor an admin. */
const UNKNOWN: CacheEntry = { value: undefined, admin: false, until: Number.POSITIVE_INFINITY };

/**
 * Resolves API keys to tenants, with a short cache so authentication adds no store call
 * to the verdict path. A revoked key stops working within `ttlMs`.
 *
 * Live keys and misses are cached apart: anyone can send made-up keys, as many as they like,
 * and if misses shared one oldest-first cache with live keys, a flood of them would push every
 * live key out and put a store read back on each request. Misses go to a small bounded cache
 * of their own, so no number of unknown keys evicts a live one.
 */
export class TenantDirectory {
  private readonly cache = new Map<string, CacheEntry>();
  /** Key hash → until when it is known to be unknown. */
  private misses: BoundedCache<string, number>;
  private readonly missGeneration: number;
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly store: TenantStore,
    private readonly clock: Clock,
    private readonly options: TenantDirectoryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 5_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    // Two generations of half the bound each: at most `maxNegativeEntries` held, O(1) eviction.
    this.missGeneration = Math.max(1, Math.ceil((options.maxNegativeEntries ?? 1_000) / 2));
    this.misses = new BoundedCache(this.missGeneration);
  }

  async byApiKey(apiKey: string): Promise<ResolvedTenant | undefined> {
    return (await this.resolve(apiKey)).value;
  }

  /** True for a live admin key. Admin keys never authenticate as a tenant, and tenant keys never as admin. */
  async isAdminKey(apiKey: string): Promise<boolean> {
    return (await this.resolve(apiKey)).admin;
  }

  private async resolve(apiKey: string): Promise<CacheEntry> {
    const keyHash = hashApiKey(apiKey);
    const now = this.clock.now();
    const cached = this.cache.get(keyHash);
    if (cached && cached.until > now) return cached;
    const missUntil = this.misses.get(keyHash);
    if (missUntil !== undefined && missUntil > now) return UNKNOWN;

    let value: ResolvedTenant | undefined;
    let admin: boolean;
    try {
      const record = await this.store.getApiKey(keyHash);
      const live = record !== undefined && record.revokedAt === undefined;
      admin = live && record.tenantId === ADMIN_TENANT_ID;
      value = live && !admin ? await this.load(record.tenantId) : undefined;
    } catch (error) {
      // Without the store the key can be neither trusted nor rejected (and is not cached as
      // unknown): 503, so the caller retries, rather than a 401 or a 500.
      this.options.onStoreError?.(error);
      throw storeUnavailable(error, 'API keys cannot be checked right now; nothing was done. Retry shortly.');
    }
    if (!value && !admin) {
      // A live key that was revoked (or lost its tenant) must not keep answering from the cache.
      this.cache.delete(keyHash);
      this.misses.set(keyHash, now + this.negativeTtlMs);
      return UNKNOWN;
    }
    // Only keys found live in the store get here, so only they can evict one another.
    if (!this.cache.has(keyHash) && this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    const entry = { value, admin, until: now + this.ttlMs };
    this.cache.set(keyHash, entry);
    return entry;
  }

  /** Forget cached keys, e.g. after an admin change in the same process. */
  invalidate(): void {
    this.cache.clear();
    this.misses = new BoundedCache(this.missGeneration);
  }

  private async load(tenantId: string): Promise<ResolvedTenant | undefined> {
    const tenant = await this.store.getTenant(tenantId);
    if (!tenant) return undefined;
    return { tenant, policy: resolvePolicy(tenant.policy, this.options.basePolicy) };
  }
}
