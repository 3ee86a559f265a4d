import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryTenantStore } from '../../lambdas/adapters/memory/memory-tenant-store';
import { ManualClock } from '../../lambdas/ports/clock';
import { hashApiKey } from '../../lambdas/service/api-keys';
import { createTenant, issueAdminKey, issueApiKey } from '../../lambdas/service/tenant-admin';
import { TenantDirectory } from '../../lambdas/service/tenant-directory';
import { T0 } from '../support/engine';

/** A tenant store that counts the key lookups reaching it. */
class CountingTenantStore extends MemoryTenantStore {
  keyReads = 0;
  override async getApiKey(keyHash: string) {
    this.keyReads++;
    return super.getApiKey(keyHash);
  }
}

const randomKey = () => `ssk_${randomBytes(24).toString('base64url')}`;

async function world(options: ConstructorParameters<typeof TenantDirectory>[2] = {}) {
  const clock = new ManualClock(T0);
  const store = new CountingTenantStore();
  const { apiKey } = await createTenant(store, { id: 'shop' }, T0);
  const adminKey = await issueAdminKey(store, T0);
  return { clock, store, apiKey, adminKey, directory: new TenantDirectory(store, clock, options) };
}

describe('TenantDirectory key cache', () => {
  it('keeps a valid key cached however many unknown keys come in (default sizes)', async () => {
    const { store, apiKey, adminKey, directory } = await world();
    expect((await directory.byApiKey(apiKey))?.tenant.id).toBe('shop');
    expect(await directory.isAdminKey(adminKey)).toBe(true);
    const before = store.keyReads;
    // More random keys than the cache holds entries (10,000): a flood of made-up keys.
    for (let i = 0; i < 12_000; i++) expect(await directory.byApiKey(randomKey())).toBeUndefined();
    store.keyReads = 0;
    expect((await directory.byApiKey(apiKey))?.tenant.id).toBe('shop');
    expect(await directory.isAdminKey(adminKey)).toBe(true);
    expect(store.keyReads).toBe(0);
    expect(before).toBe(2);
  });

  it('keeps valid keys apart from misses with small caches too', async () => {
    const { store, apiKey, directory } = await world({ maxEntries: 5, maxNegativeEntries: 3 });
    await directory.byApiKey(apiKey);
    for (let i = 0; i < 1_000; i++) await directory.byApiKey(randomKey());
    store.keyReads = 0;
    await directory.byApiKey(apiKey);
    expect(store.keyReads).toBe(0);
  });

  it('still remembers a repeated unknown key for a short while (bounded), and forgets it after negativeTtlMs', async () => {
    const { store, clock, directory } = await world({ negativeTtlMs: 5_000, maxNegativeEntries: 100 });
    const unknown = randomKey();
    store.keyReads = 0;
    for (let i = 0; i < 10; i++) expect(await directory.byApiKey(unknown)).toBeUndefined();
    expect(store.keyReads).toBe(1);
    clock.advance(5_001);
    await directory.byApiKey(unknown);
    expect(store.keyReads).toBe(2);
  });

  it('lets a key issued after a miss work once the miss expires or the cache is invalidated', async () => {
    const { store, directory } = await world();
    const key = randomKey();
    expect(await directory.byApiKey(key)).toBeUndefined();
    await createTenant(store, { id: 'late' }, T0);
    await issueApiKey(store, 'late', T0, key);
    expect(await directory.byApiKey(key)).toBeUndefined(); // the miss is remembered (≤ 5 s)
    directory.invalidate();
    expect((await directory.byApiKey(key))?.tenant.id).toBe('late');
  });

  it('a revoked key stops working within ttlMs, and is then remembered as a miss', async () => {
    const { store, clock, apiKey, directory } = await world({ ttlMs: 30_000 });
    expect(await directory.byApiKey(apiKey)).toBeDefined();
    const record = await store.getApiKey(hashApiKey(apiKey));
    await store.putApiKey({ ...record!, revokedAt: T0 / 1000 });
    expect(await directory.byApiKey(apiKey)).toBeDefined(); // cached
    clock.advance(30_001);
    expect(await directory.byApiKey(apiKey)).toBeUndefined();
    store.keyReads = 0;
    expect(await directory.byApiKey(apiKey)).toBeUndefined();
    expect(store.keyReads).toBe(0);
  });
});
