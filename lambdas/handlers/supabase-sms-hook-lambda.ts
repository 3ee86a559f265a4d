/**
 * Lambda entry point of a Supabase Send SMS hook, behind a function URL: the shield in process,
 * built by the same composition root as the API (`composeShield`) on the same tables, for the one
 * tenant the construct names. The hook's secret is read from Secrets Manager when needed (it is
 * put in after the deploy, once Supabase shows it), never logged.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SnsSmsSender } from '../adapters/aws/sns-sms-sender';
import { DynamoCounterStore } from '../adapters/dynamo/dynamo-counter-store';
import { DynamoEventStore } from '../adapters/dynamo/dynamo-event-store';
import { DynamoIdempotencyStore } from '../adapters/dynamo/dynamo-idempotency-store';
import { DynamoListStore } from '../adapters/dynamo/dynamo-list-store';
import { DynamoTenantStore } from '../adapters/dynamo/dynamo-tenant-store';
import { DynamoVerificationStore } from '../adapters/dynamo/dynamo-verification-store';
import { loadGeoLookup } from '../adapters/geo/geo-lookup';
import { createHasher } from '../engine/hasher';
import { DEFAULT_POLICY, resolvePolicy } from '../engine/policy';
import { allianceKeys } from '../joint-defense/feed';
import { systemClock } from '../ports/clock';
import { ENV, requireEnv } from '../shared/env';
import { logger, metrics } from '../shared/observability';
import { composeShield, snsClientConfig, storeClientConfig } from './compose';
import { createSupabaseSmsHook, hookRequestOf, hookSecrets } from './supabase-sms-hook';
import { recordVerdictMetrics } from './verdict-metrics';

const tenantId = requireEnv(ENV.SUPABASE_TENANT_ID);
const hookSecretArn = requireEnv(ENV.SUPABASE_HOOK_SECRET_ARN);
const secretArn = requireEnv(ENV.HASH_SECRET_ARN);
const allianceSecretArn = process.env[ENV.ALLIANCE_SECRET_ARN] || undefined;
const mode = process.env[ENV.DEFAULT_MODE] === 'shadow' ? 'shadow' : 'enforce';

const dynamo = new DynamoDBClient(storeClientConfig());
const sns = new SNSClient(snsClientConfig());
const secretsManager = new SecretsManagerClient({});
const readSecret = async (arn: string): Promise<string> => {
  const { SecretString } = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!SecretString) throw new Error(`Secret ${arn} has no string value`);
  return SecretString;
};
const [hashSecret, allianceSecret] = await Promise.all([readSecret(secretArn), allianceSecretArn ? readSecret(allianceSecretArn) : undefined]);
const geo = await loadGeoLookup();
const basePolicy = resolvePolicy({ mode }, DEFAULT_POLICY);
const tenants = new DynamoTenantStore(dynamo, requireEnv(ENV.TENANTS_TABLE));
const verificationsTable = requireEnv(ENV.VERIFICATIONS_TABLE);

const app = composeShield({
  counters: new DynamoCounterStore(dynamo, requireEnv(ENV.COUNTERS_TABLE)),
  lists: new DynamoListStore(dynamo, requireEnv(ENV.LISTS_TABLE)),
  verifications: new DynamoVerificationStore(dynamo, verificationsTable),
  geo,
  tenants,
  sender: new SnsSmsSender(sns, process.env[ENV.SENDER_ID] || undefined),
  hasher: createHasher(hashSecret),
  clock: systemClock,
  logger,
  basePolicy,
  events: new DynamoEventStore(dynamo, requireEnv(ENV.EVENTS_TABLE)),
  alliance: allianceSecret ? allianceKeys(allianceSecret) : undefined,
  idempotency: new DynamoIdempotencyStore(dynamo, verificationsTable),
  onVerdict: (record) => recordVerdictMetrics(metrics, record, undefined),
});

/** The hook's secrets, kept 15 minutes (30 s while unset); read again on a bad signature, at most once a minute. */
let cached: { secrets: readonly string[]; readAt: number; until: number } | undefined;
async function secrets(stale = false): Promise<readonly string[]> {
  const now = Date.now();
  if (cached && cached.until > now && !(stale && now - cached.readAt > 60_000)) return cached.secrets;
  const list = hookSecrets(await readSecret(hookSecretArn));
  cached = { secrets: list, readAt: now, until: now + (list.length > 0 ? 15 * 60_000 : 30_000) };
  return list;
}

const hook = createSupabaseSmsHook({
  service: app.service,
  tenants,
  tenantId,
  basePolicy,
  secrets,
  codeTemplate: process.env[ENV.SUPABASE_CODE_TEMPLATE] || undefined,
  logger,
  clock: systemClock,
});

export const handler = middy((event: APIGatewayProxyEventV2) => hook(hookRequestOf(event)))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
