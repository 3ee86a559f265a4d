/**
 * `npm start`: SMS Shield on 127.0.0.1:8787 with embedded defaults (dynalite in memory,
 * SMS outbox in .sms-shield/outbox.jsonl). Options: --port N, --persist, --shadow,
 * --store dynalite|memory (memory: in-process adapters, for load tests and demos),
 * --alliance-key K (or SMS_SHIELD_ALLIANCE_KEY: share reputation feeds with partner deployments).
 */
import { parseArgs } from 'node:util';

// Local mode keeps the console readable: request logs only at warn and above unless asked.
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.SMS_SHIELD_LOG_LEVEL ?? 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// The SDK warns on Node < 22 about its 2027 support window; the README states the Node versions we support.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    persist: { type: 'boolean', default: false },
    store: { type: 'string', default: 'dynalite' },
    shadow: { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: '.sms-shield' },
    'alliance-key': { type: 'string', default: process.env.SMS_SHIELD_ALLIANCE_KEY },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a port number, got "${values.port}"`);
  process.exit(2);
}

if (values.store !== 'dynalite' && values.store !== 'memory') {
  console.error(`--store must be dynalite or memory, got "${values.store}"`);
  process.exit(2);
}
if (values.store === 'memory' && values.persist) {
  console.error('--persist needs --store dynalite: the memory store keeps nothing on disk');
  process.exit(2);
}

const { logger } = await import('../lambdas/shared/observability');
const { startLocalServer, DEMO_TENANT } = await import('../lambdas/local/server');

const server = await startLocalServer({
  port,
  persist: values.persist,
  store: values.store,
  dataDir: values['data-dir'],
  mode: values.shadow ? 'shadow' : 'enforce',
  demoApiKey: process.env.SMS_SHIELD_DEMO_KEY,
  adminApiKey: process.env.SMS_SHIELD_ADMIN_KEY,
  allianceKey: values['alliance-key'],
  logger,
  print: (line) => console.log(`[outbox] ${line}`),
});

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
