import { Aws, Duration, Tokenization } from 'aws-cdk-lib';
import { Effect, Policy, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction, type LayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { eventShardsFor } from '../lambdas/adapters/dynamo/schema.js';
import { ENV } from '../lambdas/shared/env.js';
import { GEO_DIR_ENV, LAMBDA_GEO_DIR } from '../lambdas/shared/geo-files.js';
import { buildGeoLayer, type GeoLayerSource } from './geo-layer.js';
import { buildFunctionRole, prebuiltFunctionDefaults } from './lambda-defaults.js';
import type { ShieldSecrets } from './secrets.js';
import type { ResolvedSmsShieldProps } from './sms-shield-defaults.js';
import { grantTableAccess, type ShieldTables, TABLE_ACCESS, tablesByName } from './tables.js';

/** What {@link buildApiFunction} wires the function to. */
export interface ApiFunctionSources {
  /** The geo data for the layer, as `geoLayerSource` checked it. */
  readonly geoLayer: GeoLayerSource;
  readonly tables: ShieldTables;
  readonly secrets: ShieldSecrets;
}

/** The API function and the policy the nag acknowledgements name. */
export interface ApiFunctionParts {
  readonly fn: LambdaFunction;
  /** The GeoIP layer the function reads its databases from. */
  readonly geoLayer: LayerVersion;
  /** The one policy in the stack that allows `sns:Publish`. */
  readonly smsPublishPolicy: Policy;
}

/**
 * The function behind the HTTP API: its own role and log group, the GeoIP layer, and for each
 * table and secret the environment variable that names it next to the grant that opens it.
 */
export function buildApiFunction(
  scope: Construct,
  config: Pick<
    ResolvedSmsShieldProps,
    | 'defaultMode'
    | 'senderId'
    | 'memorySize'
    | 'reservedConcurrency'
    | 'maxListEntries'
    | 'peakVerdictsPerSecond'
    | 'allianceSecret'
    | 'logRetention'
    | 'removalPolicy'
    | 'sourceMaps'
  >,
  sources: ApiFunctionSources,
): ApiFunctionParts {
  const { role, logGroup } = buildFunctionRole(
    scope,
    { role: 'ApiFunctionRole', logGroup: 'ApiFunctionLogs' },
    'SMS Shield API function',
    config.logRetention,
    config.removalPolicy,
  );
  const geoLayer = buildGeoLayer(scope, sources.geoLayer);
  const base = prebuiltFunctionDefaults('api', config.sourceMaps);
  const fn = new LambdaFunction(scope, 'ApiFunction', {
    ...base,
    memorySize: config.memorySize,
    reservedConcurrentExecutions: config.reservedConcurrency,
    timeout: Duration.seconds(10),
    role,
    logGroup,
    // The GeoIP databases (≈ 18 MB) come from the layer at run time, never from the bundle.
    layers: [geoLayer],
    environment: {
      ...base.environment,
      [ENV.DEFAULT_MODE]: config.defaultMode,
      [ENV.MAX_LIST_ENTRIES]: Tokenization.stringifyNumber(config.maxListEntries),
      [GEO_DIR_ENV]: LAMBDA_GEO_DIR,
    },
  });
  if (config.senderId !== undefined) fn.addEnvironment(ENV.SENDER_ID, config.senderId);

  // Each table's environment variable; the grants, exactly the calls the code sends, in TABLE_ACCESS.
  const { tables, secrets } = sources;
  fn.addEnvironment(ENV.COUNTERS_TABLE, tables.countersTable.tableName);
  fn.addEnvironment(ENV.LISTS_TABLE, tables.listsTable.tableName);
  fn.addEnvironment(ENV.TENANTS_TABLE, tables.tenantsTable.tableName);
  fn.addEnvironment(ENV.VERIFICATIONS_TABLE, tables.verificationsTable.tableName);
  fn.addEnvironment(ENV.EVENTS_TABLE, tables.eventsTable.tableName);
  fn.addEnvironment(ENV.EVENT_SHARDS, String(eventShardsFor(config.peakVerdictsPerSecond)));
  grantTableAccess(role, TABLE_ACCESS.apiFunction, tablesByName(tables));
  if (config.allianceSecret) {
    fn.addEnvironment(ENV.ALLIANCE_SECRET_ARN, config.allianceSecret.secretArn);
    config.allianceSecret.grantRead(fn);
  }
  fn.addEnvironment(ENV.HASH_SECRET_ARN, secrets.hashSecret.secretArn);
  secrets.hashSecret.grantRead(fn);
  fn.addEnvironment(ENV.CHALLENGE_SECRET_ARN, secrets.challengeSecret.secretArn);
  secrets.challengeSecret.grantRead(fn);

  return { fn, geoLayer, smsPublishPolicy: grantSmsPublish(scope, role) };
}

/**
 * Lets `role` (the API function's or a Cognito sender's), and nothing else,
 * publish SMS. Direct SMS has no resource ARN and no SNS condition key covers the phone number,
 * so the Allow needs Resource "*". It is
 * limited to the stack's region (whose SMS spend limit then caps the damage), and an
 * explicit Deny on every SNS ARN keeps it from publishing to topics or push endpoints.
 */
export function grantSmsPublish(scope: Construct, role: Role): Policy {
  return new Policy(scope, 'SmsPublishPolicy', {
    roles: [role],
    statements: [
      new PolicyStatement({
        sid: 'PublishSmsToPhoneNumbers',
        effect: Effect.ALLOW,
        actions: ['sns:Publish'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:RequestedRegion': Aws.REGION } },
      }),
      new PolicyStatement({
        sid: 'DenyPublishToTopicsAndEndpoints',
        effect: Effect.DENY,
        actions: ['sns:Publish'],
        resources: [`arn:${Aws.PARTITION}:sns:*:*:*`],
      }),
    ],
  });
}
