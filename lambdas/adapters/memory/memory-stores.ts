import type { Clock } from '../../ports/clock';
import { MemoryCounterStore } from './memory-counter-store';
import { MemoryEventStore } from './memory-event-store';
import { MemoryIdempotencyStore } from './memory-idempotency-store';
import { MemoryListStore } from './memory-list-store';
import { MemoryReplayGuard } from './memory-replay-guard';
import { MemoryTenantStore } from './memory-tenant-store';
import { MemoryVerificationStore } from './memory-verification-store';

/** What may differ between users of the in-memory stores; every member falls back to the store's own default. */
export interface MemoryStoresOptions {
  /** How long verdict events are kept, in milliseconds of event time. @default 2 hours (the job reads one) */
  readonly eventRetentionMs?: number;
  /** Counter operations between two sweeps of expired counters and sets. @default 50_000 */
  readonly counterSweepEvery?: number;
  /** Puts between two sweeps of expired pending verifications. @default 50_000 */
  readonly verificationSweepEvery?: number;
  /** Claims between two sweeps of expired idempotency keys. @default 10_000 */
  readonly idempotencySweepEvery?: number;
  /** Claims between two sweeps of expired challenge ids. @default 10_000 */
  readonly replaySweepEvery?: number;
}

/** Every stateful port on in-process adapters, typed as the concrete stores so tests can look inside. */
export interface MemoryStores {
  readonly counters: MemoryCounterStore;
  readonly lists: MemoryListStore;
  readonly verifications: MemoryVerificationStore;
  readonly tenants: MemoryTenantStore;
  readonly events: MemoryEventStore;
  readonly idempotency: MemoryIdempotencyStore;
  readonly replays: MemoryReplayGuard;
}

/**
 * The in-memory adapters of replay, `npm start -- --store memory` and the tests, assembled in
 * one place: nothing leaves the process, nothing is kept. `clock` drives the periodic sweeps of
 * counters and verifications, so memory follows the live windows, not history.
 */
export function createMemoryStores(clock: Clock, options: MemoryStoresOptions = {}): MemoryStores {
  return {
    counters: new MemoryCounterStore(clock, options.counterSweepEvery),
    lists: new MemoryListStore(),
    verifications: new MemoryVerificationStore(clock, options.verificationSweepEvery),
    tenants: new MemoryTenantStore(),
    events: new MemoryEventStore({ retentionMs: options.eventRetentionMs }),
    idempotency: new MemoryIdempotencyStore(options.idempotencySweepEvery),
    replays: new MemoryReplayGuard(options.replaySweepEvery),
  };
}
