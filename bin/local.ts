/**
 * `npm start`: SMS Shield on 127.0.0.1:8787 with embedded defaults (dynalite in memory,
 * SMS outbox in .sms-shield/outbox.jsonl). Options and the variables read: see USAGE below.
 * Anything that stops it from starting is one line on stderr and exit status 1 (2 for bad options).
 */
import { parseArgs } from 'node:util';

const USAGE = `Usage: npm start -- [options]

SMS Shield in local mode: the Lambda's HTTP handler on 127.0.0.1, an embedded store, an SMS outbox.

Options:
  --port <n>            port on 127.0.0.1, 0 for any free one (env: PORT; default: 8787)
  --store <store>       dynalite (the DynamoDB code path) or memory (in-process, fastest) (default: dynalite)
  --persist             keep the data in <data-dir>/db across restarts (dynalite only)
  --shadow              shadow mode: every verdict is recorded, every SMS is sent
  --data-dir <dir>      secrets, outbox and persisted data (default: .sms-shield)
  --alliance-key <key>  alliance secret shared with partner deployments (env: SMS_SHIELD_ALLIANCE_KEY)
  -h, --help            show this help

Environment:
  SMS_SHIELD_ADMIN_KEY  use this admin key (at least 20 characters) instead of a new random one
  SMS_SHIELD_DEMO_KEY   use this API key for the demo tenant (at least 20 characters)
  SMS_SHIELD_LOG_LEVEL  request log level: DEBUG, INFO, WARN (default), ERROR
  SMS_SHIELD_GEO_DIR    folder with the GeoIP data files (default: the bundled ones)`;

/** One line on stderr, then the exit status: nothing else, no stack trace. */
function fail(message: string, status: number): never {
  console.error(`sms-shield: ${message.replaceAll('\n', ' ')}`);
  process.exit(status);
}

// Local mode keeps the console readable: request logs only at warn and above unless asked.
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.SMS_SHIELD_LOG_LEVEL ?? 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// The SDK warns on Node < 22 about its 2027 support window; the README states the Node versions we support.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let values: { port: string; persist: boolean; store: string; shadow: boolean; 'data-dir': string; 'alliance-key'?: string; help: boolean };
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8787' },
      persist: { type: 'boolean', default: false },
      store: { type: 'string', default: 'dynalite' },
      shadow: { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: '.sms-shield' },
      'alliance-key': { type: 'string', default: process.env.SMS_SHIELD_ALLIANCE_KEY },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  fail(`${(error as Error).message} (npm start -- --help lists the options)`, 2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const port = Number(values.port);
if (values.port.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535) fail(`--port (or PORT) must be a port number, got "${values.port}"`, 2);
if (values.store !== 'dynalite' && values.store !== 'memory') fail(`--store must be dynalite or memory, got "${values.store}"`, 2);
if (values.store === 'memory' && values.persist) fail('--persist needs --store dynalite: the memory store keeps nothing on disk', 2);

// Keys chosen through the environment: long enough not to be guessed, and two different keys.
const adminApiKey = process.env.SMS_SHIELD_ADMIN_KEY || undefined;
const demoApiKey = process.env.SMS_SHIELD_DEMO_KEY || undefined;
for (const [name, key] of [
  ['SMS_SHIELD_ADMIN_KEY', adminApiKey],
  ['SMS_SHIELD_DEMO_KEY', demoApiKey],
] as const) {
  if (key !== undefined && !/^[\x21-\x7e]{20,200}$/.test(key)) fail(`${name} must be 20–200 printable characters without spaces (unset: a random key)`, 2);
}
if (adminApiKey !== undefined && adminApiKey === demoApiKey) fail('SMS_SHIELD_ADMIN_KEY and SMS_SHIELD_DEMO_KEY must differ: one key cannot be both', 2);

const { logger } = await import('../lambdas/shared/observability');
const { startLocalServer, DEMO_TENANT, LocalStartError } = await import('../lambdas/local/server');

let server: Awaited<ReturnType<typeof startLocalServer>>;
try {
  server = await startLocalServer({
    port,
    persist: values.persist,
    store: values.store,
    dataDir: values['data-dir'],
    mode: values.shadow ? 'shadow' : 'enforce',
    demoApiKey,
    adminApiKey,
    allianceKey: values['alliance-key'],
    logger,
    print: (line) => console.log(`[outbox] ${line}`),
  });
} catch (error) {
  if (error instanceof LocalStartError) fail(error.message, 1);
  // Unexpected: still one line, with the stack for whoever asks for it.
  if (process.env.SMS_SHIELD_LOG_LEVEL?.toUpperCase() === 'DEBUG') console.error((error as Error).stack);
  fail(`could not start: ${(error as Error).message} (SMS_SHIELD_LOG_LEVEL=DEBUG prints the stack)`, 1);
}

const key = server.demoApiKey;
console.log(`SMS Shield (local mode) listening on ${server.url}`);
console.log(`Admin key (tenants, lists of any tenant, global lists, reputation feeds): ${server.adminApiKey}`);
console.log(
  `Outbox: ${values['data-dir']}/outbox.jsonl   Data: ${values.store === 'memory' ? 'in memory (memory store)' : values.persist ? `${values['data-dir']}/db (dynalite)` : 'in memory (dynalite)'}`,
);
console.log(`Browser demo (SDK, proof of work, device token): ${server.url}/demo`);
if (key) {
  console.log(`\nDemo tenant "${DEMO_TENANT}" API key: ${key}\n\nTry it:\n`);
  console.log(
    `curl -s -X POST ${server.url}/v1/sms/send \\\n` +
      `  -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' \\\n` +
      `  -d '{"phone":"+44 7400 123456","scenario":"login","ip":"81.2.69.142","message":"Your code is 123456"}'\n`,
  );
} else {
  console.log(`Demo tenant "${DEMO_TENANT}" exists already (persisted data); its key was printed when it was created. Set SMS_SHIELD_DEMO_KEY to choose one.`);
}

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
