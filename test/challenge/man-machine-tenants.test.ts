import { describe, expect, it } from 'vitest';
import { MemoryCounterStore } from '../../lambdas/adapters/memory/memory-counter-store';
import { MemoryReplayGuard } from '../../lambdas/adapters/memory/memory-replay-guard';
import { MemoryTenantStore } from '../../lambdas/adapters/memory/memory-tenant-store';
import { ManMachine } from '../../lambdas/challenge/man-machine';
import { ManualClock } from '../../lambdas/ports/clock';
import type { Tenant } from '../../lambdas/ports/tenant-store';
import { ShieldError } from '../../lambdas/domain/errors';
import { hasher, T0, testGeo } from '../support/engine';

/** A tenant store that counts its reads, and can be made to fail or to hold its answers. */
class CountingTenants extends MemoryTenantStore {
  reads: string[] = [];
  failNext = false;
  gate: Promise<void> | undefined;
  override async getTenant(id: string): Promise<Tenant | undefined> {
    this.reads.push(id);
    if (this.gate) await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    }
    return super.getTenant(id);
  }
}

async function setup(withTenants = true) {
  const clock = new ManualClock(T0);
  const counters = new MemoryCounterStore(clock);
  const tenants = new CountingTenants();
  await tenants.putTenant({ id: 'shop', name: 'Shop', createdAt: 0, policy: {} });
  const manMachine = new ManMachine({
    secret: 'man-machine-secret-for-tests',
    replays: new MemoryReplayGuard(),
    counters,
    geo: testGeo,
    hasher,
    clock,
    levels: [1_000, 4_000],
    ...(withTenants && { tenants }),
  });
  return { clock, counters, tenants, manMachine };
}

const ask = (manMachine: ManMachine, tenant: string) => manMachine.challenge({ tenant, ip: '81.2.69.142' });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('challenges for tenants that do not exist', () => {
  it('answers 404 UNKNOWN_TENANT before any store write', async () => {
    const { manMachine, counters } = await setup();
    const error = await failure(ask(manMachine, 'no-such-tenant'));
    expect(error).toBeInstanceOf(ShieldError);
    expect(error).toMatchObject({ code: 'UNKNOWN_TENANT' });
    expect(counters.calls).toBe(0);
    expect((await ask(manMachine, 'shop')).level).toBe(1);
    expect(counters.calls).toBe(1);
  });

  it('reads the store once per unknown id per minute, however often it is asked, even concurrently', async () => {
    const { manMachine, tenants, clock } = await setup();
    let open!: () => void;
    tenants.gate = new Promise((resolve) => (open = resolve));
    const concurrent = Array.from({ length: 20 }, () => failure(ask(manMachine, 'random-1')));
    open();
    for (const error of await Promise.all(concurrent)) expect(error).toMatchObject({ code: 'UNKNOWN_TENANT' });
    tenants.gate = undefined;
    for (let i = 0; i < 50; i++) await failure(ask(manMachine, 'random-1'));
    expect(tenants.reads).toEqual(['random-1']);
    clock.advance(61_000);
    await failure(ask(manMachine, 'random-1'));
    expect(tenants.reads).toEqual(['random-1', 'random-1']);
  });

  it('reads a known tenant once per few minutes, and a new tenant is served once its negative entry expires', async () => {
    const { manMachine, tenants, clock } = await setup();
    for (let i = 0; i < 10; i++) await ask(manMachine, 'shop');
    expect(tenants.reads).toEqual(['shop']);
    clock.advance(301_000);
    await ask(manMachine, 'shop');
    expect(tenants.reads).toEqual(['shop', 'shop']);

    await failure(ask(manMachine, 'new-shop'));
    await tenants.putTenant({ id: 'new-shop', name: 'New', createdAt: 0, policy: {} });
    clock.advance(61_000);
    expect((await ask(manMachine, 'new-shop')).level).toBe(1);
  });

  it('cannot be made to forget known tenants by a flood of random ids', async () => {
    const { manMachine, tenants } = await setup();
    await ask(manMachine, 'shop');
    for (let i = 0; i < 25_000; i++) await failure(ask(manMachine, `random-${i}`));
    tenants.reads = [];
    await ask(manMachine, 'shop');
    expect(tenants.reads).toEqual([]);
  });

  it('does not remember a failed lookup: the store error surfaces, the next call reads again', async () => {
    const { manMachine, tenants } = await setup();
    tenants.failNext = true;
    expect(await failure(ask(manMachine, 'shop'))).toMatchObject({ name: 'ThrottlingException' });
    expect((await ask(manMachine, 'shop')).level).toBe(1);
    expect(tenants.reads).toEqual(['shop', 'shop']);
  });

  it('accepts any tenant id without a tenant store, as before', async () => {
    const { manMachine } = await setup(false);
    expect((await ask(manMachine, 'whatever-tenant')).level).toBe(1);
  });
});
