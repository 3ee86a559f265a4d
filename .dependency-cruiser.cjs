/**
 * Layering of the code, checked by `npm run lint:layers` (and so by CI). Lower layers never
 * import higher ones: domain ← ports ← engine ← challenge / joint-defense ← service ← handlers
 * ← local / cli; adapters implement ports; lib/ (the construct) loads no runtime code but the
 * small tables in lambdas/shared/.
 */
const layer = (from, allowed, comment) => ({
  name: allowed.length === 0 ? `${from}-imports-nothing-of-ours` : `${from}-imports-only-${allowed.join('-')}`,
  comment,
  severity: 'error',
  from: { path: `^lambdas/${from}/` },
  to: { path: '^lambdas/', pathNot: `^lambdas/(${[from, ...allowed].join('|')})/` },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'A cycle makes two modules one: split what they share.', from: {}, to: { circular: true } },
    layer('domain', [], 'Domain types, errors and reason codes depend on nothing of ours.'),
    layer('ports', ['domain'], 'Ports describe stores and providers in domain terms only.'),
    {
      ...layer(
        'engine',
        ['domain', 'ports'],
        'The engine is pure: domain types and ports, no adapters, no service (and the bundled SMS price table, a plain table).',
      ),
      to: { path: '^lambdas/', pathNot: '^lambdas/(engine|domain|ports)/|^lambdas/shared/sms-prices[.]ts$' },
    },
    layer('challenge', ['domain', 'ports', 'engine'], 'Challenges and device tokens sit beside the engine, below the service.'),
    layer('joint-defense', ['domain', 'ports', 'engine'], 'The aggregation is pure over events; the job reads and writes through ports.'),
    layer('audit', ['domain', 'ports', 'engine', 'shared'], 'The audit reads through ports.'),
    layer('service', ['domain', 'ports', 'engine', 'challenge', 'joint-defense'], 'Use cases know ports, never adapters or HTTP.'),
    layer('shared', [], 'Tables shared by the runtime and the construct import nothing of ours.'),
    {
      name: 'table-schema-imports-nothing',
      comment: 'The DynamoDB key schema is loaded by the construct at synth: it stays a plain table.',
      severity: 'error',
      from: { path: '^lambdas/adapters/dynamo/schema[.]ts$' },
      to: { path: '^lambdas/' },
    },
    {
      name: 'pure-core-without-aws',
      comment: 'Domain, ports and engine import no AWS SDK, Powertools or CDK: they run anywhere.',
      severity: 'error',
      from: { path: '^lambdas/(domain|ports|engine)/' },
      to: { path: 'node_modules/(@aws-sdk|@aws-lambda-powertools|aws-cdk-lib|@middy)/' },
    },
    {
      name: 'construct-loads-no-runtime',
      comment: 'lib/ synthesizes templates: it imports only the declarative tables it shares with the runtime (lambdas/shared/, the DynamoDB key schema).',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^lambdas/', pathNot: '^lambdas/(shared/|adapters/dynamo/schema[.]ts$)' },
    },
    {
      name: 'client-package-is-self-contained',
      comment: '@sms-shield/client is published on its own: it imports nothing outside client/src but Node built-ins and its optional SNS peer.',
      severity: 'error',
      from: { path: '^client/src/' },
      to: { pathNot: '^(client/src/|node:)|(^|/)node_modules/@aws-sdk/client-sns/', dependencyTypesNot: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
