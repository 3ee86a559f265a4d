import { randomBytes, randomInt } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import dynalite from 'dynalite';
import { createTables } from '../adapters/dynamo/create-tables';
import { DynamoCounterStore } from '../adapters/dynamo/dynamo-counter-store';
import { DynamoEventStore } from '../adapters/dynamo/dynamo-event-store';
import { DynamoReplayGuard } from '../adapters/dynamo/dynamo-replay-guard';
import { DynamoIdempotencyStore } from '../adapters/dynamo/dynamo-idempotency-store';
import { DynamoListStore } from '../adapters/dynamo/dynamo-list-store';
import { DynamoTenantStore } from '../adapters/dynamo/dynamo-tenant-store';
import { DynamoVerificationStore } from '../adapters/dynamo/dynamo-verification-store';
import { loadGeoLookup } from '../adapters/geo/geo-lookup';
import { createMemoryStores } from '../adapters/memory/memory-stores';
import type { CounterStore } from '../ports/counter-store';
import type { EventStore } from '../ports/event-store';
import type { IdempotencyStore } from '../ports/idempotency-store';
import type { ListStore } from '../ports/list-store';
import type { ReplayGuard } from '../ports/replay-guard';
import type { VerificationStore } from '../ports/verification-store';
import { OutboxSender } from '../adapters/local/outbox-sender';
import { createHasher } from '../engine/hasher';
import { DEFAULT_POLICY, resolvePolicy } from '../engine/policy';
import { authenticate, route, validate, type ApiRoute } from '../handlers/http-api';
import { sdkBundle } from '../../sdk/build';
import * as z from 'zod';
import { demoPage } from './demo-page';
import { composeShield, type ShieldApp, type ShieldPorts } from '../handlers/compose';
import { json } from '../handlers/middleware/http-errors';
import { DEFAULT_MAX_BODY_BYTES } from '../handlers/middleware/json-body';
import { systemClock, type Clock } from '../ports/clock';
import type { GeoLookup } from '../ports/geo';
import type { TenantStore } from '../ports/tenant-store';
import { createTenant, issueAdminKey, issueApiKey } from '../service/tenant-admin';
import { allianceKeys } from '../joint-defense/feed';
import { runJointDefense, type JointDefenseReport } from '../joint-defense/job';
import type { ServiceLogger } from '../service/shield-service';

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
  /** Use this admin key instead of a new random one. */
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
  /** A fresh admin key issued at start (local mode only). */
  readonly adminApiKey: string;
  readonly outbox: OutboxSender;
  readonly app: ShieldApp;
  /** The tenant store, for creating more tenants (CLI, tests). */
  readonly tenantStore: TenantStore;
  /** Run the joint-defense job now (at the server clock's time), as its schedule does. */
  runJointDefense(): Promise<JointDefenseReport>;
  close(): Promise<void>;
}

export type LocalStore = 'dynalite' | 'memory';
export const LOCAL_STORES: readonly LocalStore[] = ['dynalite', 'memory'];

/** The stateful ports local mode needs, on one backing store. */
interface LocalState {
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
export const DEMO_TENANT = 'demo';

/**
 * Local mode: the same HTTP handler as in Lambda, on an embedded DynamoDB-compatible
 * store (dynalite, in-process; or the in-memory adapters with `store: 'memory'`) with an
 * SMS outbox in place of SNS.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const dataDir = options.dataDir ?? '.sms-shield';
  const maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  await mkdir(dataDir, { recursive: true });

  const store = options.store ?? 'dynalite';
  if (!LOCAL_STORES.includes(store)) throw new Error(`store must be one of ${LOCAL_STORES.join(', ')}, got "${String(store)}"`);
  if (store === 'memory' && options.persist) throw new Error('persist needs the dynalite store: the memory store keeps nothing on disk');
  const clock = options.clock ?? systemClock;
  const state = store === 'memory' ? memoryState(clock) : await dynaliteState(options.persist ? join(dataDir, 'db') : undefined);

  const hasher = createHasher(await loadOrCreateSecret(join(dataDir, 'secret')));
  // Its own secret, like the separate Secrets Manager secret in AWS: it can be replaced
  // (challenges and device tokens are re-issued) without touching the identifier hashes.
  const manMachine: ShieldPorts['manMachine'] = {
    secret: await loadOrCreateSecret(join(dataDir, 'challenge-secret')),
    replays: state.replays,
    levels: options.challengeLevels,
  };
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
    ({ directory }) => [
      // Local mode only: what each tenant's SMS would have been.
      route('GET', '/v1/outbox', async (event) => {
        const { tenant } = await authenticate(directory, event);
        return json(200, { messages: outbox.list(tenant.id) });
      }),
      ...demoRoutes(() => demoBackend),
    ],
  );

  let demoApiKey: string | undefined;
  if (!(await tenants.getTenant(DEMO_TENANT))) {
    const created = await createTenant(tenants, { id: DEMO_TENANT, name: 'Demo tenant' }, Date.now());
    demoApiKey = created.apiKey;
  }
  if (options.demoApiKey) demoApiKey = await issueApiKey(tenants, DEMO_TENANT, Date.now(), options.demoApiKey);
  const adminApiKey = await issueAdminKey(tenants, Date.now(), options.adminApiKey);
  // The demo backend's own key for the demo tenant, never shown to the browser.
  const demoBackend = { app, apiKey: demoApiKey ?? (await issueApiKey(tenants, DEMO_TENANT, Date.now())) };

  const server = createServer((req, res) => {
    handle(app, req, res, maxBodyBytes).catch((error: unknown) => {
      options.logger.error('Local server failure', { error: String(error) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'Internal error' } }));
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  await listen(server, options.port ?? 8787, options.host ?? '127.0.0.1');
  const { port } = server.address() as AddressInfo;

  // The joint-defense job on its cadence, like the EventBridge schedule; one run at a time.
  const runJob = () => runJointDefense({ events, lists }, clock.now());
  let running: Promise<unknown> | undefined;
  const everyMs = options.jointDefenseEveryMs ?? 60_000;
  const timer =
    everyMs > 0
      ? setInterval(() => {
          running ??= runJob()
            .catch((error: unknown) => options.logger.error('Joint-defense job failed', { error: String(error) }))
            .finally(() => (running = undefined));
        }, everyMs).unref()
      : undefined;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    demoApiKey,
    adminApiKey,
    outbox,
    app,
    tenantStore: tenants,
    runJointDefense: runJob,
    close: async () => {
      if (timer) clearInterval(timer);
      await running;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await state.close();
    },
  };
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

const demoSendSchema = z.strictObject({
  phone: z.string().trim().min(1).max(64),
  challenge: z.string().max(8192).optional(),
  device: z.string().max(4096).optional(),
});

/**
 * Local mode only: the browser SDK at `/v1/sdk.js`, the demo page at `/demo`, and the demo
 * page's backend at `/demo/send`, which does what a tenant's backend does: adds the end
 * user's IP and user agent and the tenant's API key, and calls `/v1/sms/send` (through the
 * same handler, so validation, verdict and response mapping are the real ones).
 */
function demoRoutes(backend: () => { app: ShieldApp; apiKey: string }): ApiRoute[] {
  return [
    route('GET', '/v1/sdk.js', async () => {
      const { code } = await sdkBundle();
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'access-control-allow-origin': '*' },
        body: code,
      };
    }),
    route('GET', '/demo', async () => ({
      statusCode: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
      body: demoPage(DEMO_TENANT),
    })),
    route('POST', '/demo/send', async (event) => {
      const input = validate(demoSendSchema, event.parsedBody);
      const { app, apiKey } = backend();
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const body = JSON.stringify({
        phone: input.phone,
        scenario: 'register',
        ip: event.requestContext.http.sourceIp,
        userAgent: event.headers['user-agent'] ?? '',
        ...(input.device && { device: input.device }),
        ...(input.challenge && { challenge: input.challenge }),
        message: `Your SMS Shield demo code is ${code}`,
      });
      const forwarded: APIGatewayProxyEventV2 = {
        ...event,
        rawPath: '/v1/sms/send',
        rawQueryString: '',
        queryStringParameters: undefined,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'user-agent': 'sms-shield-demo-backend' },
        body: Buffer.from(body).toString('base64'),
        isBase64Encoded: true,
        requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method: 'POST', path: '/v1/sms/send' } },
      };
      return app.handler(forwarded, lambdaContext());
    }),
  ];
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function loadOrCreateSecret(file: string): Promise<string> {
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return secret;
}

/**
 * Read at most `limit` bytes; `truncated` tells the handler the body was larger. Reading
 * stops there, so an oversized body costs no memory; the connection is closed after the reply.
 */
function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      const room = limit - size;
      size += chunk.length;
      if (size > limit) {
        chunks.push(chunk.subarray(0, Math.max(0, room)));
        req.off('data', onData);
        req.pause();
        resolve({ body: Buffer.concat(chunks), truncated: true });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve({ body: Buffer.concat(chunks), truncated: false }));
    req.once('error', reject);
  });
}

async function handle(app: ShieldApp, req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): Promise<void> {
  const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
  // Read one byte past the limit so the handler's own size check answers 413.
  const { body, truncated } = await readBody(req, maxBodyBytes + 1);
  const url = new URL(req.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const event = toApiGatewayEvent(req.method ?? 'GET', url, headers, body, sourceIp);
  const result = (await app.handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
  const responseHeaders: Record<string, string | number | boolean> = { ...(result.headers ?? {}) };
  if (truncated) responseHeaders.connection = 'close';
  res.writeHead(result.statusCode ?? 200, responseHeaders as Record<string, string>);
  res.end(result.body ?? '', () => {
    if (truncated) req.destroy();
  });
}

function toApiGatewayEvent(method: string, url: URL, headers: Record<string, string>, body: Buffer, sourceIp: string): APIGatewayProxyEventV2 {
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => {
    query[key] = value;
  });
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    body: body.length > 0 ? body.toString('base64') : undefined,
    isBase64Encoded: body.length > 0,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: randomBytes(8).toString('hex'),
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
  };
}

function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'sms-shield-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:sms-shield-local',
    memoryLimitInMB: '1024',
    awsRequestId: randomBytes(8).toString('hex'),
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
