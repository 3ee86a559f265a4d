import { createMemoryStores } from '../../lambdas/adapters/memory/memory-stores';
import { composeShield, type ShieldApp, type ShieldPorts } from '../../lambdas/handlers/compose';
import type { Clock } from '../../lambdas/ports/clock';
import type { ServiceLogger } from '../../lambdas/service/shield-service';
import { hasher, testGeo } from './engine';

/** A logger that drops everything. */
export const quiet: ServiceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

type MemoryStores = ReturnType<typeof createMemoryStores>;

/**
 * The whole shield (`composeShield`) on in-memory stores, the test GeoIP table, a sender that
 * always succeeds and a quiet logger; `overrides` (or a function of the stores giving them)
 * replace any of those ports or add the optional ones.
 */
export function memoryShield(
  clock: Clock,
  overrides: Partial<ShieldPorts> | ((stores: MemoryStores) => Partial<ShieldPorts>) = {},
): { app: ShieldApp; stores: MemoryStores } {
  const stores = createMemoryStores(clock);
  const app = composeShield({
    counters: stores.counters,
    lists: stores.lists,
    verifications: stores.verifications,
    geo: testGeo,
    tenants: stores.tenants,
    sender: { send: async () => ({ messageId: 'm-1' }) },
    hasher,
    clock,
    logger: quiet,
    ...(typeof overrides === 'function' ? overrides(stores) : overrides),
  });
  return { app, stores };
}
