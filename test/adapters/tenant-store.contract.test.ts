import { expect, it } from 'vitest';
import { DynamoTenantStore } from '../../lambdas/adapters/dynamo/dynamo-tenant-store';
import { MemoryTenantStore } from '../../lambdas/adapters/memory/memory-tenant-store';
import type { ApiKeyRecord, Tenant, TenantStore } from '../../lambdas/ports/tenant-store';
import { forEachBackend } from '../support/contract';
import { uniqueId } from '../support/dynamo';

const now = Math.floor(Date.now() / 1000);

const tenant = (id: string, extra: Partial<Tenant> = {}): Tenant => ({
  id,
  name: `Shop ${id}`,
  createdAt: now,
  policy: {},
  ...extra,
});

/** The same assertions for every implementation. */
function tenantStoreContract(store: () => TenantStore): void {
  it('returns a stored tenant with its nested policy', async () => {
    const stored = tenant(uniqueId('shop'), {
      policy: {
        mode: 'shadow',
        numberLimits: { minute: 2, day: 20 },
        rules: { premiumRate: { enabled: false }, velocity: { weight: 30, action: 'challenge' } },
        scenarios: { login: { blockAt: 80, rules: { tor: { action: 'block' } } } },
      },
    });
    await store().putTenant(stored);
    expect(await store().getTenant(stored.id)).toStrictEqual(stored);
  });

  it('answers undefined for an unknown tenant or key', async () => {
    expect(await store().getTenant(uniqueId('nobody'))).toBeUndefined();
    expect(await store().getApiKey(uniqueId('nokey'))).toBeUndefined();
  });

  it('overwrites a tenant on put', async () => {
    const id = uniqueId('shop');
    await store().putTenant(tenant(id, { policy: { mode: 'shadow' } }));
    const updated = tenant(id, { name: 'Renamed', policy: { mode: 'enforce' } });
    await store().putTenant(updated);
    expect(await store().getTenant(id)).toStrictEqual(updated);
  });

  it('returns stored API keys, revoked or not', async () => {
    const active: ApiKeyRecord = { keyHash: uniqueId('hash'), tenantId: 'shop', createdAt: now };
    const revoked: ApiKeyRecord = { keyHash: uniqueId('hash'), tenantId: 'shop', createdAt: now, revokedAt: now + 5 };
    await store().putApiKey(active);
    await store().putApiKey(revoked);
    expect(await store().getApiKey(active.keyHash)).toStrictEqual(active);
    expect(await store().getApiKey(revoked.keyHash)).toStrictEqual(revoked);
  });

  it('keeps tenants and keys apart even when an id equals a key hash', async () => {
    const id = uniqueId('same');
    const stored = tenant(id);
    const record: ApiKeyRecord = { keyHash: id, tenantId: id, createdAt: now };
    await store().putTenant(stored);
    await store().putApiKey(record);
    expect(await store().getTenant(id)).toStrictEqual(stored);
    expect(await store().getApiKey(id)).toStrictEqual(record);
  });

  it('does not share state with the caller', async () => {
    const policy = { numberLimits: { hour: 3 } };
    const stored = tenant(uniqueId('shop'), { policy });
    await store().putTenant(stored);
    policy.numberLimits.hour = 99;
    expect((await store().getTenant(stored.id))?.policy).toStrictEqual({ numberLimits: { hour: 3 } });
  });
}

forEachBackend('TenantStore', {
  memory: () => new MemoryTenantStore(),
  dynamo: (client, names) => new DynamoTenantStore(client, names.Tenants),
  contract: tenantStoreContract,
});
