import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OutboxSender } from '../adapters/local/outbox-sender';
import { loadGeoLookup } from '../adapters/geo/geo-lookup';
import { createHasher } from '../engine/hasher';
import { DEFAULT_POLICY, resolvePolicy } from '../engine/policy';
import { composeShield, type ShieldApp, type ShieldPorts } from '../handlers/compose';
import { DEFAULT_MAX_BODY_BYTES } from '../handlers/middleware/json-body';
import { allianceKeys } from '../joint-defense/feed';
import { runJointDefense, type JointDefenseReport } from '../joint-defense/job';
import { systemClock, type Clock } from '../ports/clock';
import type { GeoLookup } from '../ports/geo';
import type { TenantStore } from '../ports/tenant-store';
import type { ServiceLogger } from '../service/shield-service';
import { scheduleJob } from './job-scheduler';
import { bootstrapKeys, loadLocalSecrets } from './local-keys';
import { localRoutes, type DemoBackend } from './local-routes';
import { openLocalState, type LocalStore } from './local-state';
import { serveOverHttp } from './node-http';
import { assertDatabaseFree, dataDirProblem } from './start-checks';

export { DEMO_TENANT } from './local-keys';
export { LOCAL_STORES, type LocalStore } from './local-state';
export { LocalStartError } from './start-checks';

export interface LocalServerOptions {
  /** @default 8787 (0 picks a free port) */
  readonly port?: number;
  /** Local mode only listens on loopback. @default '127.0.0.1' */
  readonly host?: string;
  /** Folder for the secret, outbox and (with `persist`) the data. @default '.sms-shield' */
  readonly dataDir?: string;
  /** Keep DynamoDB data on disk under `dataDir/db` instead of in memory (dynalite only). @default false */
  readonly persist?: boolean;
  /**
   * Where state lives: `dynalite` runs the DynamoDB adapters (the code Lambda runs) against an
   * in-process DynamoDB emulator; `memory` uses the in-process adapters of replay and tests —
   * much faster (load tests, demos), same engine, but not the DynamoDB code path.
   * @default 'dynalite'
   */
  readonly store?: LocalStore;
  /** Use this API key for the demo tenant instead of a new random one. */
  readonly demoApiKey?: string;
  /** Use this admin key instead of a new random one (or, with `persist`, the saved one). */
  readonly adminApiKey?: string;
  readonly mode?: 'enforce' | 'shadow';
  /** Time source; tests pass a manual clock to cross windows without waiting. @default systemClock */
  readonly clock?: Clock;
  /** GeoIP lookups. @default the bundled databases */
  readonly geo?: GeoLookup;
  readonly logger: ServiceLogger;
  /** Where the outbox prints its masked line per SMS. */
  readonly print?: (line: string) => void;
  /** `maxnumber` per proof-of-work difficulty level (tests use small ones). @default DIFFICULTY_LEVELS */
  readonly challengeLevels?: readonly number[];
  /** Alliance secret shared with partner deployments (feeds); absent: reputation uses the local key. */
  readonly allianceKey?: string;
  /** How often the joint-defense job runs, as EventBridge does in AWS; 0: only when asked. @default 60_000 */
  readonly jointDefenseEveryMs?: number;
}

export interface LocalServer {
  readonly url: string;
  /** API key of the demo tenant; undefined when it existed already (persisted data). */
  readonly demoApiKey: string | undefined;
  /** The admin key: issued at start, or with `persist` the one saved in `dataDir/admin-key` while it is live. */
  readonly adminApiKey: string;
  readonly outbox: OutboxSender;
  readonly app: ShieldApp;
  /** The tenant store, for creating more tenants (CLI, tests). */
  readonly tenantStore: TenantStore;
  /** Run the joint-defense job now (at the server clock's time), as its schedule does. */
  runJointDefense(): Promise<JointDefenseReport>;
  close(): Promise<void>;
}

/**
 * Local mode: the same HTTP handler as in Lambda, on an embedded DynamoDB-compatible
 * store (dynalite, in-process; or the in-memory adapters with `store: 'memory'`) with an
 * SMS outbox in place of SNS. Failures the user can fix (a busy port, an unusable data folder,
 * persisted data another process has open) reject with a one-line {@link LocalStartError}.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const dataDir = options.dataDir ?? '.sms-shield';
  const host = options.host ?? '127.0.0.1';
  await usableDataDir(dataDir);
  const dbPath = options.persist ? join(dataDir, 'db') : undefined;
  if (dbPath && (options.store ?? 'dynalite') === 'dynalite') await assertDatabaseFree(dbPath);

  const clock = options.clock ?? systemClock;
  const state = await openLocalState(options.store ?? 'dynalite', clock, dbPath);
  const secrets = await loadLocalSecrets(dataDir);
  const hasher = createHasher(secrets.hashing);
  const manMachine: ShieldPorts['manMachine'] = { secret: secrets.challenge, replays: state.replays, levels: options.challengeLevels };
  const outbox = new OutboxSender(hasher, { file: join(dataDir, 'outbox.jsonl'), print: options.print });
  const { tenants, events, lists } = state;

  const app = composeShield(
    {
      counters: state.counters,
      // Idempotency records live in the embedded store too, so `--persist` keeps them across restarts.
      idempotency: state.idempotency,
      lists,
      verifications: state.verifications,
      geo: options.geo ?? (await loadGeoLookup()),
      tenants,
      sender: outbox,
      hasher,
      clock,
      events,
      alliance: options.allianceKey ? allianceKeys(options.allianceKey) : undefined,
      logger: options.logger,
      basePolicy: resolvePolicy({ mode: options.mode ?? 'enforce' }, DEFAULT_POLICY),
      manMachine,
    },
    ({ directory }) => localRoutes(directory, outbox, () => demoBackend),
  );

  // With --persist the admin key is kept next to the data (0600) and reused while it is live.
  const adminKeyFile = options.persist ? join(dataDir, 'admin-key') : undefined;
  const keys = await bootstrapKeys(tenants, { demoApiKey: options.demoApiKey, adminApiKey: options.adminApiKey }, { adminKeyFile });
  const demoBackend: DemoBackend = { app, apiKey: keys.demoBackendKey };

  let listening: Awaited<ReturnType<typeof serveOverHttp>>;
  try {
    listening = await serveOverHttp(app, { port: options.port ?? 8787, host, maxBodyBytes: DEFAULT_MAX_BODY_BYTES, logger: options.logger });
  } catch (error) {
    // Not listening: let go of the store (and the persisted database's lock) before failing.
    await state.close();
    throw error;
  }
  const { server, port } = listening;

  // The joint-defense job on its cadence, like the EventBridge schedule; one run at a time.
  // Minutes are folded for good 10 s after they end: a request in flight then still lands in its minute.
  const runJob = () => runJointDefense({ events, lists, foldLagMs: 10_000 }, clock.now());
  const schedule = scheduleJob(runJob, options.jointDefenseEveryMs ?? 60_000, options.logger, 'Joint-defense job failed');

  return {
    url: `http://${host}:${port}`,
    demoApiKey: keys.demoApiKey,
    adminApiKey: keys.adminApiKey,
    outbox,
    app,
    tenantStore: tenants,
    runJointDefense: runJob,
    close: async () => {
      await schedule.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await state.close();
    },
  };
}

/** Create the data folder if needed and check that files can be written in it. */
async function usableDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, constants.W_OK);
  } catch (error) {
    throw dataDirProblem(dataDir, error) ?? error;
  }
}
