/**
 * Lambda entry point of a user pool's custom SMS sender trigger: the shield in process, built by
 * the same composition root as the API (`composeShield`) on the same tables, for the one tenant
 * the construct names. Addresses in `clientMetadata` are claims: the lists it sees hide address
 * allow entries (`withClaimedAddresses`). Configuration missing here fails the cold start loudly.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { kmsCodeDecryptor } from '../adapters/aws/cognito-code-decryptor';
import { SnsSmsSender } from '../adapters/aws/sns-sms-sender';
import { DynamoCounterStore } from '../adapters/dynamo/dynamo-counter-store';
import { DynamoEventStore } from '../adapters/dynamo/dynamo-event-store';
import { DynamoIdempotencyStore } from '../adapters/dynamo/dynamo-idempotency-store';
import { DynamoListStore } from '../adapters/dynamo/dynamo-list-store';
import { DynamoReplayGuard } from '../adapters/dynamo/dynamo-replay-guard';
import { DynamoTenantStore } from '../adapters/dynamo/dynamo-tenant-store';
import { DynamoVerificationStore } from '../adapters/dynamo/dynamo-verification-store';
import { loadGeoLookup } from '../adapters/geo/geo-lookup';
import { createHasher } from '../engine/hasher';
import { DEFAULT_POLICY, resolvePolicy } from '../engine/policy';
import { allianceKeys } from '../joint-defense/feed';
import { systemClock } from '../ports/clock';
import { withClaimedAddresses } from '../service/claimed-address-lists';
import { ENV, optionalPositiveIntegerEnv, requireEnv } from '../shared/env';
import { logger, metrics } from '../shared/observability';
import { createCognitoSmsSender } from './cognito-sms-sender';
import { composeShield, snsClientConfig, storeClientConfig } from './compose';
import { recordVerdictMetrics } from './verdict-metrics';

const tenantId = requireEnv(ENV.COGNITO_TENANT_ID);
const keyArn = requireEnv(ENV.COGNITO_KEY_ARN);
const countersTable = requireEnv(ENV.COUNTERS_TABLE);
const tenantsTable = requireEnv(ENV.TENANTS_TABLE);
const listsTable = requireEnv(ENV.LISTS_TABLE);
const verificationsTable = requireEnv(ENV.VERIFICATIONS_TABLE);
const eventsTable = requireEnv(ENV.EVENTS_TABLE);
const secretArn = requireEnv(ENV.HASH_SECRET_ARN);
const challengeSecretArn = requireEnv(ENV.CHALLENGE_SECRET_ARN);
const allianceSecretArn = process.env[ENV.ALLIANCE_SECRET_ARN] || undefined;
const mode = process.env[ENV.DEFAULT_MODE] === 'shadow' ? 'shadow' : 'enforce';

const dynamo = new DynamoDBClient(storeClientConfig());
const sns = new SNSClient(snsClientConfig());
const secrets = new SecretsManagerClient({});
const readSecret = async (arn: string): Promise<string> => {
  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!SecretString) throw new Error(`Secret ${arn} has no string value`);
  return SecretString;
};
const [hashSecret, challengeSecret, allianceSecret] = await Promise.all([
  readSecret(secretArn),
  readSecret(challengeSecretArn),
  allianceSecretArn ? readSecret(allianceSecretArn) : undefined,
]);
const geo = await loadGeoLookup();
const basePolicy = resolvePolicy({ mode }, DEFAULT_POLICY);
const tenants = new DynamoTenantStore(dynamo, tenantsTable);

const app = composeShield({
  counters: new DynamoCounterStore(dynamo, countersTable),
  lists: withClaimedAddresses(new DynamoListStore(dynamo, listsTable)),
  verifications: new DynamoVerificationStore(dynamo, verificationsTable),
  geo,
  tenants,
  sender: new SnsSmsSender(sns, process.env[ENV.SENDER_ID] || undefined),
  hasher: createHasher(hashSecret),
  clock: systemClock,
  logger,
  basePolicy,
  events: new DynamoEventStore(dynamo, eventsTable, { shards: optionalPositiveIntegerEnv(ENV.EVENT_SHARDS) }),
  alliance: allianceSecret ? allianceKeys(allianceSecret) : undefined,
  manMachine: { secret: challengeSecret, replays: new DynamoReplayGuard(dynamo, verificationsTable) },
  idempotency: new DynamoIdempotencyStore(dynamo, verificationsTable),
  onVerdict: (record) => recordVerdictMetrics(metrics, record, undefined),
});

const send = createCognitoSmsSender({
  service: app.service,
  tenants,
  tenantId,
  basePolicy,
  decrypt: kmsCodeDecryptor(keyArn),
  templates: {
    code: process.env[ENV.COGNITO_CODE_TEMPLATE] || undefined,
    temporaryPassword: process.env[ENV.COGNITO_TEMPORARY_PASSWORD_TEMPLATE] || undefined,
  },
  logger,
  clock: systemClock,
});

export const handler = middy(send).use(injectLambdaContext(logger)).use(logMetrics(metrics));
