import { CreateTableCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createTables } from '../../lambdas/adapters/dynamo/create-tables';
import { DynamoTenantStore } from '../../lambdas/adapters/dynamo/dynamo-tenant-store';
import { MemoryTenantStore } from '../../lambdas/adapters/memory/memory-tenant-store';
import { ShieldError } from '../../lambdas/domain/errors';
import { type ApiKeyRecord, MAX_KEYS_PER_TENANT, type Tenant, type TenantStore } from '../../lambdas/ports/tenant-store';
import { type DynamoBackend, forEachBackend } from '../support/contract';
import { uniqueId, uniqueTableNames } from '../support/dynamo';

/** The bound the stores under test are built with, so the refusal is cheap to reach. */
const MAX_KEYS = 5;

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

  it("keeps a tenant's Supabase hook, and drops it when the tenant is put without one", async () => {
    const id = uniqueId('shop');
    const hooked = tenant(id, { supabaseHook: { secrets: ['v1,whsec_a', 'v1,whsec_b'], codeTemplate: 'Code {code}', updatedAt: now } });
    await store().putTenant(hooked);
    expect(await store().getTenant(id)).toStrictEqual(hooked);
    await store().putTenant(tenant(id));
    expect(await store().getTenant(id)).toStrictEqual(tenant(id));
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

  it("lists a tenant's key records, revoked ones included, and nothing else", async () => {
    const id = uniqueId('lister');
    const live: ApiKeyRecord = { keyHash: uniqueId('hash'), tenantId: id, createdAt: now };
    const revoked: ApiKeyRecord = { keyHash: uniqueId('hash'), tenantId: id, createdAt: now - 60, revokedAt: now };
    const other: ApiKeyRecord = { keyHash: uniqueId('hash'), tenantId: uniqueId('other'), createdAt: now };
    await store().putTenant(tenant(id));
    for (const record of [live, revoked, other]) await store().putApiKey(record);
    const byHash = (a: ApiKeyRecord, b: ApiKeyRecord) => a.keyHash.localeCompare(b.keyHash);
    expect((await store().listApiKeys(id)).sort(byHash)).toStrictEqual([live, revoked].sort(byHash));
    expect(await store().listApiKeys(uniqueId('nobody'))).toEqual([]);
  });

  it('lists a revocation once the record is put again', async () => {
    const record: ApiKeyRecord = { keyHash: uniqueId('hash'), tenantId: uniqueId('rev'), createdAt: now };
    await store().putApiKey(record);
    await store().putApiKey({ ...record, revokedAt: now + 1 });
    expect(await store().listApiKeys(record.tenantId)).toStrictEqual([{ ...record, revokedAt: now + 1 }]);
  });

  it('refuses to list more key records than its bound (TOO_MANY_KEYS), revoked ones counted', async () => {
    const id = uniqueId('hoarder');
    for (let i = 0; i < MAX_KEYS; i++)
      await store().putApiKey({ keyHash: uniqueId('hash'), tenantId: id, createdAt: now, ...(i % 2 ? { revokedAt: now } : {}) });
    expect(await store().listApiKeys(id)).toHaveLength(MAX_KEYS);
    await store().putApiKey({ keyHash: uniqueId('hash'), tenantId: id, createdAt: now, revokedAt: now });
    await expect(store().listApiKeys(id)).rejects.toMatchObject({ code: 'TOO_MANY_KEYS' });
    await expect(store().listApiKeys(id)).rejects.toBeInstanceOf(ShieldError);
  });

  it('does not share state with the caller', async () => {
    const policy = { numberLimits: { hour: 3 } };
    const stored = tenant(uniqueId('shop'), { policy });
    await store().putTenant(stored);
    policy.numberLimits.hour = 99;
    expect((await store().getTenant(stored.id))?.policy).toStrictEqual({ numberLimits: { hour: 3 } });
  });
}

/** DynamoDB only: the conditional writes the admin-key bootstrap uses. */
function conditionalWrites(backend: () => DynamoBackend<DynamoTenantStore>): void {
  it('creates a key record only once and never over an existing one', async () => {
    const record: ApiKeyRecord = { keyHash: uniqueId('hash'), tenantId: 'shop', createdAt: now };
    expect(await backend().store.createApiKey(record)).toBe(true);
    await backend().store.putApiKey({ ...record, revokedAt: now + 1 });
    expect(await backend().store.createApiKey(record)).toBe(false);
    expect(await backend().store.getApiKey(record.keyHash)).toStrictEqual({ ...record, revokedAt: now + 1 });
  });

  it('revokes a live key once; an unknown key or a tenant item is left alone', async () => {
    const record: ApiKeyRecord = { keyHash: uniqueId('hash'), tenantId: 'shop', createdAt: now };
    await backend().store.putApiKey(record);
    expect(await backend().store.revokeApiKey(record.keyHash, now + 2)).toBe(true);
    expect(await backend().store.revokeApiKey(record.keyHash, now + 3)).toBe(false);
    expect(await backend().store.getApiKey(record.keyHash)).toStrictEqual({ ...record, revokedAt: now + 2 });
    const unknown = uniqueId('hash');
    expect(await backend().store.revokeApiKey(unknown, now)).toBe(false);
    expect(await backend().store.getApiKey(unknown)).toBeUndefined();
  });

  it('refuses to start on a Tenants table from before byTenant, naming the index', async () => {
    const names = uniqueTableNames('old-tenants');
    await backend().client.send(
      new CreateTableCommand({
        TableName: names.Tenants,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await expect(createTables(backend().client, names)).rejects.toThrow(`Table ${names.Tenants} has no index byTenant`);
  });
}

forEachBackend('TenantStore', {
  memory: () => new MemoryTenantStore({ maxKeysPerTenant: MAX_KEYS }),
  dynamo: (client, names) => new DynamoTenantStore(client, names.Tenants, { maxKeysPerTenant: MAX_KEYS }),
  contract: tenantStoreContract,
  dynamoOnly: conditionalWrites,
});

describe('listApiKeys bounds', () => {
  it(`refuses past ${MAX_KEYS_PER_TENANT} key records by default`, async () => {
    const store = new MemoryTenantStore();
    for (let i = 0; i < MAX_KEYS_PER_TENANT; i++) await store.putApiKey({ keyHash: `h${i}`, tenantId: 'many', createdAt: now });
    expect(await store.listApiKeys('many')).toHaveLength(MAX_KEYS_PER_TENANT);
    await store.putApiKey({ keyHash: 'one-more', tenantId: 'many', createdAt: now });
    await expect(store.listApiKeys('many')).rejects.toMatchObject({ code: 'TOO_MANY_KEYS' });
  });

  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const mock = mockClient(client);
  const item = (n: number) => ({ pk: { S: `key#h${n}` }, keyHash: { S: `h${n}` }, tenantId: { S: 'shop' }, createdAt: { N: String(now) } });

  it('follows LastEvaluatedKey to the last page on byTenant, asking only for what the bound still allows', async () => {
    mock.reset();
    mock
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(1), item(2)], LastEvaluatedKey: { pk: { S: 'key#h2' }, tenantId: { S: 'shop' } } })
      .resolvesOnce({ Items: [item(3)] });
    const store = new DynamoTenantStore(client, 'Tenants', { maxKeysPerTenant: 10 });
    expect((await store.listApiKeys('shop')).map((r) => r.keyHash)).toEqual(['h1', 'h2', 'h3']);
    const queries = mock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries).toHaveLength(2);
    expect(queries[0]).toMatchObject({ TableName: 'Tenants', IndexName: 'byTenant', Limit: 11, ExpressionAttributeValues: { ':t': { S: 'shop' } } });
    expect(queries[1]).toMatchObject({ Limit: 9, ExclusiveStartKey: { pk: { S: 'key#h2' }, tenantId: { S: 'shop' } } });
  });

  it('stops after bound + 1 items even when DynamoDB keeps answering with more pages', async () => {
    mock.reset();
    let n = 0;
    mock.on(QueryCommand).callsFake(() => ({ Items: [item(++n)], LastEvaluatedKey: { pk: { S: `key#h${n}` }, tenantId: { S: 'shop' } } }));
    const store = new DynamoTenantStore(client, 'Tenants', { maxKeysPerTenant: 10 });
    await expect(store.listApiKeys('shop')).rejects.toMatchObject({ code: 'TOO_MANY_KEYS' });
    expect(mock.commandCalls(QueryCommand)).toHaveLength(11);
  });
});
