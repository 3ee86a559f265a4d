/**
 * The shield's ports on AWS, built from a function's environment: the DynamoDB stores, SNS, the
 * secrets, GeoIP and the base policy. Every Lambda entry point that runs the shield in process
 * (the API, the Cognito sender) takes them from here, so a setting the construct gives one
 * function (a table, the event partitions, a secret) cannot be missed by another.
 * Configuration missing here fails the cold start loudly.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
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
import { DEFAULT_POLICY, type Policy, resolvePolicy } from '../engine/policy';
import { allianceKeys } from '../joint-defense/feed';
import { systemClock } from '../ports/clock';
import type { ListStore } from '../ports/list-store';
import type { TenantStore } from '../ports/tenant-store';
import { ENV, optionalPositiveIntegerEnv, requireEnv } from '../shared/env';
import { logger } from '../shared/observability';
import { type ShieldPorts, snsClientConfig, storeClientConfig } from './compose';

export interface AwsShieldPorts {
  /** Everything `composeShield` needs but the per-function `onVerdict` and `maxListEntries`. */
  readonly ports: Omit<ShieldPorts, 'onVerdict' | 'maxListEntries'>;
  readonly tenants: TenantStore;
  readonly basePolicy: Policy;
  /** Reads a Secrets Manager secret's string (for the function's own secrets). */
  readonly readSecret: (arn: string) => Promise<string>;
}

export interface AwsShieldOptions {
  /** Wraps the list store (the Cognito sender hides address allow entries from claimed addresses). */
  readonly lists?: (lists: ListStore) => ListStore;
}

export async function awsShieldPorts(options: AwsShieldOptions = {}): Promise<AwsShieldPorts> {
  const countersTable = requireEnv(ENV.COUNTERS_TABLE);
  const tenantsTable = requireEnv(ENV.TENANTS_TABLE);
  const listsTable = requireEnv(ENV.LISTS_TABLE);
  const verificationsTable = requireEnv(ENV.VERIFICATIONS_TABLE);
  const eventsTable = requireEnv(ENV.EVENTS_TABLE);
  // The partitions the joint-defense job reads (from the stated peak); unset: the adapter default.
  const eventShards = optionalPositiveIntegerEnv(ENV.EVENT_SHARDS);
  const secretArn = requireEnv(ENV.HASH_SECRET_ARN);
  const challengeSecretArn = requireEnv(ENV.CHALLENGE_SECRET_ARN);
  const allianceSecretArn = process.env[ENV.ALLIANCE_SECRET_ARN] || undefined;
  const mode = process.env[ENV.DEFAULT_MODE] === 'shadow' ? 'shadow' : 'enforce';

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
  const [hashSecret, challengeSecret, allianceSecret] = await Promise.all([
    readSecret(secretArn),
    readSecret(challengeSecretArn),
    allianceSecretArn ? readSecret(allianceSecretArn) : undefined,
  ]);
  // GeoIP databases come from a Lambda layer (SMS_SHIELD_GEO_DIR, default /opt/geo).
  const geo = await loadGeoLookup();
  const tenants = new DynamoTenantStore(dynamo, tenantsTable);
  const basePolicy = resolvePolicy({ mode }, DEFAULT_POLICY);
  const lists = new DynamoListStore(dynamo, listsTable);
  return {
    ports: {
      counters: new DynamoCounterStore(dynamo, countersTable),
      lists: options.lists ? options.lists(lists) : lists,
      verifications: new DynamoVerificationStore(dynamo, verificationsTable),
      geo,
      tenants,
      sender: new SnsSmsSender(sns, process.env[ENV.SENDER_ID] || undefined),
      hasher: createHasher(hashSecret),
      clock: systemClock,
      logger,
      basePolicy,
      events: new DynamoEventStore(dynamo, eventsTable, { shards: eventShards }),
      alliance: allianceSecret ? allianceKeys(allianceSecret) : undefined,
      // Used challenge solutions live next to pending codes: single-use records with TTL.
      manMachine: { secret: challengeSecret, replays: new DynamoReplayGuard(dynamo, verificationsTable) },
      // Idempotency records live there too, under their own key prefix.
      idempotency: new DynamoIdempotencyStore(dynamo, verificationsTable),
    },
    tenants,
    basePolicy,
    readSecret,
  };
}
