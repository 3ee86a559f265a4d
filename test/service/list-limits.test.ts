import { describe, expect, it } from 'vitest';
import { MemoryListStore } from '../../lambdas/adapters/memory/memory-list-store';
import type { RiskEngine } from '../../lambdas/engine/engine';
import { ManualClock } from '../../lambdas/ports/clock';
import { ShieldError } from '../../lambdas/domain/errors';
import { DEFAULT_MAX_ENTRIES_PER_SCOPE, ListAdmin, type ListEntryInput } from '../../lambdas/service/list-admin';
import { createTenant, issueAdminKey } from '../../lambdas/service/tenant-admin';
import { invoke } from '../support/api-event';
import { T0, hasher } from '../support/engine';
import { memoryShield } from '../support/shield';

const engine = { invalidateLists: () => undefined } as unknown as RiskEngine;
const ip = (i: number, extra: Partial<ListEntryInput> = {}): ListEntryInput => ({ kind: 'ip', value: `198.51.100.${i}`, action: 'block', ...extra });

function admin(maxEntriesPerScope: number) {
  const clock = new ManualClock(T0);
  const store = new MemoryListStore();
  return { clock, store, lists: new ListAdmin(store, engine, hasher, clock, { maxEntriesPerScope }) };
}

/** The error an add is refused with (fails the test when the add succeeds). */
async function refusal(add: Promise<unknown>): Promise<ShieldError> {
  const error = await add.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShieldError);
  return error as ShieldError;
}

describe('list size limit per scope', () => {
  it('defaults to 5,000 live entries', () => {
    expect(DEFAULT_MAX_ENTRIES_PER_SCOPE).toBe(5_000);
  });

  it('refuses an entry beyond the cap with 409 LIST_FULL; other scopes are not affected', async () => {
    const { lists, store } = admin(3);
    for (let i = 1; i <= 3; i++) await lists.add('t:shop', ip(i));
    const error = await refusal(lists.add('t:shop', ip(4)));
    expect(error).toMatchObject({ code: 'LIST_FULL', details: { scope: 't:shop', limit: 3 } });
    expect(store.size).toBe(3);
    await lists.add('t:other', ip(4));
    await lists.add('global', ip(4));
    expect(store.size).toBe(5);
  });

  it('still lets a full scope replace an entry it holds, and frees room on removal and expiry', async () => {
    const { lists, clock } = admin(3);
    await lists.add('t:shop', ip(1, { ttlSeconds: 60 }));
    await lists.add('t:shop', ip(2));
    await lists.add('t:shop', ip(3));
    // The same key again is an update, not a new entry.
    expect(await lists.add('t:shop', ip(2, { action: 'allow', reason: 'office' }))).toMatchObject({ action: 'allow', reason: 'office' });
    expect((await refusal(lists.add('t:shop', ip(4)))).code).toBe('LIST_FULL');
    await lists.remove('t:shop', 'ip', '198.51.100.3');
    await lists.add('t:shop', ip(4));
    expect((await refusal(lists.add('t:shop', ip(5)))).code).toBe('LIST_FULL');
    clock.advance(60_000); // the TTL entry expires: it no longer counts
    await lists.add('t:shop', ip(5));
  });

  it('can overshoot by concurrent adds only (count, then write: no transaction), and refuses the next one', async () => {
    // Each add counts the scope and then writes; adds racing past the count of the same
    // scope may each see room for one. The overshoot is bounded by the concurrency.
    const { lists, store } = admin(3);
    await lists.add('t:shop', ip(1));
    await lists.add('t:shop', ip(2));
    const racing = await Promise.allSettled([3, 4, 5].map((i) => lists.add('t:shop', ip(i))));
    const added = racing.filter((r) => r.status === 'fulfilled').length;
    expect(added).toBeGreaterThanOrEqual(1);
    expect(store.size).toBeLessThanOrEqual(3 - 1 + 3);
    expect((await refusal(lists.add('t:shop', ip(6)))).code).toBe('LIST_FULL');
  });

  it('answers 409 LIST_FULL over HTTP, for tenant and admin routes, at the default cap', async () => {
    const clock = new ManualClock(T0);
    const {
      app,
      stores: { lists: store, tenants },
    } = memoryShield(clock);
    const { apiKey } = await createTenant(tenants, { id: 'shop' }, T0);
    const adminKey = await issueAdminKey(tenants, T0);
    const now = Math.floor(T0 / 1000);
    for (let i = 0; i < DEFAULT_MAX_ENTRIES_PER_SCOPE - 1; i++) {
      await store.put({ scope: 't:shop', kind: 'prefix', value: `+${100_000 + i}`, action: 'block', createdAt: now });
    }
    const add = (key: string, path: string, body: Record<string, unknown>) => invoke(app.handler, 'POST', path, { key, body });
    expect((await add(apiKey, '/v1/lists', { kind: 'cidr', value: '203.0.113.0/24', action: 'block' })).status).toBe(201);
    const full = await add(apiKey, '/v1/lists', { kind: 'cidr', value: '203.0.114.0/24', action: 'block' });
    expect(full.status).toBe(409);
    expect(full.body.error).toMatchObject({ code: 'LIST_FULL', details: { limit: DEFAULT_MAX_ENTRIES_PER_SCOPE } });
    expect(full.body.error.message).toMatch(/5,?000/);
    expect((await add(adminKey, '/v1/admin/lists', { scope: 't:shop', kind: 'asn', value: 'AS64496', action: 'block' })).status).toBe(409);
    expect((await add(adminKey, '/v1/admin/lists', { scope: 'global', kind: 'asn', value: 'AS64496', action: 'block' })).status).toBe(201);
  });
});
