/**
 * Lambda entry point for the HTTP API: the composition root. Real adapters are built
 * once per container at module load; configuration missing here fails the cold start loudly.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { DynamoCounterStore } from '../adapters/dynamo/dynamo-counter-store';
import { DynamoEventStore } from '../adapters/dynamo/dynamo-event-store';
import { DynamoListStore } from '../adapters/dynamo/dynamo-list-store';
import { DynamoReplayGuard } from '../adapters/dynamo/dynamo-replay-guard';
import { DynamoIdempotencyStore } from '../adapters/dynamo/dynamo-idempotency-store';
import { DynamoTenantStore } from '../adapters/dynamo/dynamo-tenant-store';
import { DynamoVerificationStore } from '../adapters/dynamo/dynamo-verification-store';
import { loadGeoLookup } from '../adapters/geo/geo-lookup';
import { SnsSmsSender } from '../adapters/aws/sns-sms-sender';
import { createHasher } from '../engine/hasher';
import { allianceKeys } from '../joint-defense/feed';
import { DEFAULT_POLICY, resolvePolicy } from '../engine/policy';
import { systemClock } from '../ports/clock';
import { ENV, oneOfEnv, optionalPositiveIntegerEnv, requireEnv } from '../shared/env';
import { logger, metrics } from '../shared/observability';
import { recordVerdictMetrics } from './verdict-metrics';
import { composeShield, snsClientConfig, storeClientConfig } from './compose';
import { guardPublicOrigin } from './public-routes';

const countersTable = requireEnv(ENV.COUNTERS_TABLE);
const tenantsTable = requireEnv(ENV.TENANTS_TABLE);
const listsTable = requireEnv(ENV.LISTS_TABLE);
const verificationsTable = requireEnv(ENV.VERIFICATIONS_TABLE);
const eventsTable = requireEnv(ENV.EVENTS_TABLE);
const eventShards = optionalPositiveIntegerEnv(ENV.EVENT_SHARDS);
const allianceSecretArn = process.env[ENV.ALLIANCE_SECRET_ARN] || undefined;
const secretArn = requireEnv(ENV.HASH_SECRET_ARN);
const challengeSecretArn = requireEnv(ENV.CHALLENGE_SECRET_ARN);
// Set only when the construct puts the public edge (CloudFront + WAF) in front of the public routes.
const originSecretArn = process.env[ENV.ORIGIN_SECRET_ARN] || undefined;
const directCalls = oneOfEnv(ENV.PUBLIC_EDGE_DIRECT_CALLS, ['refuse', 'allow'], 'refuse');
const mode = process.env[ENV.DEFAULT_MODE] === 'shadow' ? 'shadow' : 'enforce';
// Set by the construct (prop maxListEntries); unset: the service default. Not a positive integer: the cold start fails.
const maxListEntries = optionalPositiveIntegerEnv(ENV.MAX_LIST_ENTRIES);

// Bounded: a verdict never waits on the store longer than 2 attempts of 1 s; then the
// scenario's onStoreError policy decides (fail open on stateless signals, or 503).
const dynamo = new DynamoDBClient(storeClientConfig());
// Bounded too: a publish attempt waits at most 3 s for SNS, and is retried once only when SNS
// certainly did not take it (throttled, never connected); a timed-out one is answered 504.
const sns = new SNSClient(snsClientConfig());
const secrets = new SecretsManagerClient({});
const readSecret = async (arn: string): Promise<string> => {
  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!SecretString) throw new Error(`Secret ${arn} has no string value`);
  return SecretString;
};
const [hashSecret, challengeSecret, allianceSecret, originSecret] = await Promise.all([
  readSecret(secretArn),
  readSecret(challengeSecretArn),
  allianceSecretArn ? readSecret(allianceSecretArn) : undefined,
  originSecretArn ? readSecret(originSecretArn) : undefined,
]);
// GeoIP databases come from a Lambda layer (SMS_SHIELD_GEO_DIR, default /opt/geo).
const geo = await loadGeoLookup();

const app = composeShield({
  counters: new DynamoCounterStore(dynamo, countersTable),
  lists: new DynamoListStore(dynamo, listsTable),
  verifications: new DynamoVerificationStore(dynamo, verificationsTable),
  geo,
  tenants: new DynamoTenantStore(dynamo, tenantsTable),
  sender: new SnsSmsSender(sns, process.env[ENV.SENDER_ID] || undefined),
  hasher: createHasher(hashSecret),
  clock: systemClock,
  logger,
  basePolicy: resolvePolicy({ mode }, DEFAULT_POLICY),
  events: new DynamoEventStore(dynamo, eventsTable, { shards: eventShards }),
  alliance: allianceSecret ? allianceKeys(allianceSecret) : undefined,
  // Used challenge solutions live next to pending codes: single-use records with TTL.
  manMachine: { secret: challengeSecret, replays: new DynamoReplayGuard(dynamo, verificationsTable) },
  // Idempotency records live there too, under their own key prefix.
  idempotency: new DynamoIdempotencyStore(dynamo, verificationsTable),
  maxListEntries,
  onVerdict: (record) => recordVerdictMetrics(metrics, record, requestStartedAt === undefined ? undefined : performance.now() - requestStartedAt),
});

// One request at a time per Lambda container: a module-level start time is safe here.
let requestStartedAt: number | undefined;
const startTimer = { before: () => void (requestStartedAt = performance.now()) };

// With the public edge on, the public routes answer only CloudFront (origin secret) and count the viewer it reports.
const guarded = guardPublicOrigin(app.handler, { secret: originSecret, allowDirect: directCalls === 'allow', logger });

export const handler = middy(guarded).use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(startTimer);
