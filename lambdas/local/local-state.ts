import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTables } from '../adapters/dynamo/create-tables';
import { DynamoCounterStore } from '../adapters/dynamo/dynamo-counter-store';
import { DynamoEventStore } from '../adapters/dynamo/dynamo-event-store';
import { DynamoIdempotencyStore } from '../adapters/dynamo/dynamo-idempotency-store';
import { DynamoListStore } from '../adapters/dynamo/dynamo-list-store';
import { DynamoReplayGuard } from '../adapters/dynamo/dynamo-replay-guard';
import { DynamoTenantStore } from '../adapters/dynamo/dynamo-tenant-store';
import { DynamoVerificationStore } from '../adapters/dynamo/dynamo-verification-store';
import { createMemoryStores } from '../adapters/memory/memory-stores';
import type { Clock } from '../ports/clock';
import type { CounterStore } from '../ports/counter-store';
import type { EventStore } from '../ports/event-store';
import type { IdempotencyStore } from '../ports/idempotency-store';
import type { ListStore } from '../ports/list-store';
import type { ReplayGuard } from '../ports/replay-guard';
import type { TenantStore } from '../ports/tenant-store';
import type { VerificationStore } from '../ports/verification-store';

/** Where local mode keeps its state: see `LocalServerOptions.store`. */
export type LocalStore = 'dynalite' | 'memory';
export const LOCAL_STORES: readonly LocalStore[] = ['dynalite', 'memory'];

/** The stateful ports local mode needs, on one backing store. */
export interface LocalState {
  readonly counters: CounterStore;
  readonly lists: ListStore;
  readonly verifications: VerificationStore;
  readonly tenants: TenantStore;
  readonly events: EventStore;
  readonly idempotency: IdempotencyStore;
  readonly replays: ReplayGuard;
  close(): Promise<void>;
}

const TABLES = {
  Counters: 'sms-shield-counters',
  Lists: 'sms-shield-lists',
  Tenants: 'sms-shield-tenants',
  Verifications: 'sms-shield-verifications',
  Events: 'sms-shield-events',
} as const;

/**
 * The backing state of local mode: the DynamoDB adapters on dynalite (kept on disk under
 * `persistPath` if given), or the in-memory adapters of replay and tests.
 */
export async function openLocalState(store: LocalStore, clock: Clock, persistPath: string | undefined): Promise<LocalState> {
  if (!LOCAL_STORES.includes(store)) throw new Error(`store must be one of ${LOCAL_STORES.join(', ')}, got "${String(store)}"`);
  if (store === 'memory' && persistPath !== undefined) throw new Error('persist needs the dynalite store: the memory store keeps nothing on disk');
  return store === 'memory' ? memoryState(clock) : await dynaliteState(persistPath);
}

/** The DynamoDB adapters Lambda runs, against dynalite in-process (on disk under `path` if given). */
async function dynaliteState(path: string | undefined): Promise<LocalState> {
  const db = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path ? { path } : {}) });
  await new Promise<void>((resolve, reject) => {
    db.once('error', reject);
    db.listen(0, '127.0.0.1', () => resolve());
  });
  const dbPort = (db.address() as AddressInfo).port;
  const dynamo = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${dbPort}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  });
  await createTables(dynamo, TABLES);
  return {
    counters: new DynamoCounterStore(dynamo, TABLES.Counters),
    lists: new DynamoListStore(dynamo, TABLES.Lists),
    verifications: new DynamoVerificationStore(dynamo, TABLES.Verifications),
    tenants: new DynamoTenantStore(dynamo, TABLES.Tenants),
    events: new DynamoEventStore(dynamo, TABLES.Events),
    idempotency: new DynamoIdempotencyStore(dynamo, TABLES.Verifications),
    replays: new DynamoReplayGuard(dynamo, TABLES.Verifications),
    close: async () => {
      dynamo.destroy();
      await new Promise<void>((resolve) => db.close(() => resolve()));
    },
  };
}

/** The in-process adapters of replay and tests: nothing leaves the process, nothing is kept. */
function memoryState(clock: Clock): LocalState {
  return { ...createMemoryStores(clock), close: async () => undefined };
}
