import { constants, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, Aws, Duration, RemovalPolicy, Stack, Token, Tokenization, Validations } from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { AttributeType, BillingMode, type CfnTable, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IRole, ManagedPolicy, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, LayerVersion, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  COUNTERS_TABLE,
  EVENTS_TABLE,
  LISTS_TABLE,
  TENANTS_TABLE,
  type TableSchema,
  VERIFICATIONS_TABLE,
} from '../lambdas/adapters/dynamo/schema';
import { GEO_DIR_ENV, LAMBDA_GEO_DIR, LAYER_GEO_DIR, resolveGeoDataFiles } from '../lambdas/shared/geo-files';
import { PUBLIC_ROUTES } from '../lambdas/handlers/public-routes';
import { ENV } from '../lambdas/shared/env';
import { SmsShieldMonitoring, type SmsShieldMonitoringOptions } from './sms-shield-monitoring';
import { EDGE_RATE_LIMIT_RANGE, SmsShieldPublicEdge, type SmsShieldPublicEdgeOptions } from './sms-shield-public-edge';

/** Steady-state and burst request limits of the HTTP API stage. */
export interface SmsShieldThrottle {
  /** Average requests per second over an extended period; a positive integer. */
  readonly rateLimit: number;
  /** Requests allowed in a short burst; a positive integer, at least `rateLimit`. */
  readonly burstLimit: number;
}

/** Properties of {@link SmsShield}. */
export interface SmsShieldProps {
  /**
   * Deployment-wide default mode: `enforce` blocks risky sends, `shadow` only records verdicts.
   * @default - 'enforce'
   */
  readonly defaultMode?: 'enforce' | 'shadow';
  /**
   * SNS sender id for outgoing SMS (1–11 letters or digits, at least one letter).
   * @default - no sender id; SNS uses the account or country default
   */
  readonly senderId?: string;
  /**
   * What happens to the tables, the secrets and the log groups when they leave the stack.
   * @default - RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Throttling of the `$default` route, the stage default: it carries every tenant and admin
   * route (and any request no other route matches), so this is the **total for all tenants
   * together**, not a limit per tenant — HTTP APIs have no usage plans or per-client throttles.
   * The public routes have limits of their own (`publicRouteThrottle`) and never draw on it.
   * @default - 100 requests per second, bursts of 200
   */
  readonly throttle?: SmsShieldThrottle;
  /**
   * Throttling of each public route (`GET` and `OPTIONS /v1/challenge`, `POST` and
   * `OPTIONS /v1/device`), which browsers call without a key. These are route settings of the
   * stage: each route has a bucket of this size of its own, and anonymous traffic on them leaves
   * the tenants' `throttle` untouched. Size it for the challenges and device tokens your users'
   * pages fetch at peak (one of each per protected form), not for what an attacker could send.
   * @default - 20 requests per second, bursts of 40, per route
   */
  readonly publicRouteThrottle?: SmsShieldThrottle;
  /**
   * Retention of the function logs and the API access logs.
   * @default - RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Memory of the API function in MiB (128–10240).
   * @default - 1024
   */
  readonly memorySize?: number;
  /**
   * How often the joint-defense job promotes shared reputation from the verdict events: whole
   * minutes, from 1 to 60 (the job reads the last hour of events).
   * @default - Duration.minutes(1)
   */
  readonly jointDefenseSchedule?: Duration;
  /**
   * Secret holding the alliance key shared with partner deployments: reputation keys are hashed
   * with its indicator key, so signed feeds (`sms-shield feed export|import`) match across
   * deployments. Only the API function may read it.
   * @default - no alliance; reputation is keyed with the deployment's own hashing key
   */
  readonly allianceSecret?: ISecret;
  /**
   * The guardrail that stops application code from bypassing the shield: a managed policy that
   * denies direct SMS (see {@link SmsShield.directSmsGuardrail}), attached to the roles named here.
   * @default - the policy is created but attached to no role
   */
  readonly guardrail?: SmsShieldGuardrailProps;
  /**
   * The dashboard and alarms: thresholds and the optional topic alarms notify.
   * @default - the SmsShieldMonitoring defaults, alarms without actions
   */
  readonly monitoring?: SmsShieldMonitoringOptions;
  /**
   * Live entries one list scope may hold: each tenant's own block and allow lists together, and
   * the global list. An add beyond it is refused (`409 LIST_FULL`). An integer from 1 to
   * 100,000: every add counts the scope's live entries first, so a larger cap makes adds to a
   * full list slower and dearer.
   * @default 5_000
   */
  readonly maxListEntries?: number;
  /**
   * The public edge: a CloudFront distribution with an AWS WAF web ACL (rate limit per client
   * address, Amazon IP reputation list) in front of the public routes, which then refuse callers
   * that skip it. AWS WAF cannot be associated with an HTTP API, hence CloudFront. A web ACL for
   * CloudFront lives in us-east-1: this construct creates one only when the stack's region is
   * `us-east-1`; elsewhere pass `webAclArn`. Point the browser SDK's `endpoint` at
   * {@link SmsShield.publicEndpointUrl}; backends keep calling {@link SmsShield.url}.
   * @default - no edge: browsers call the API directly
   */
  readonly publicEdge?: SmsShieldPublicEdgeOptions;
}

/** Properties of the direct-SMS guardrail. */
export interface SmsShieldGuardrailProps {
  /**
   * Roles that must send SMS only through the shield (your application's roles). The shield's
   * own API function role cannot be one of them.
   * @default - none
   */
  readonly roles?: readonly IRole[];
  /**
   * Also deny `sms-voice:SendTextMessage` (AWS End User Messaging SMS), the other way to send
   * an SMS from AWS without SNS. Set to false if these roles send other SMS through it on purpose.
   * @default - true
   */
  readonly denyEndUserMessagingSms?: boolean;
}

const DEFAULT_THROTTLE: SmsShieldThrottle = { rateLimit: 100, burstLimit: 200 };
const DEFAULT_PUBLIC_ROUTE_THROTTLE: SmsShieldThrottle = { rateLimit: 20, burstLimit: 40 };
const DEFAULT_MAX_LIST_ENTRIES = 5_000;
const MAX_LIST_ENTRIES_CEILING = 100_000;
const SENDER_ID_PATTERN = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;
const API_ENTRY = fileURLToPath(new URL('../lambdas/handlers/api.ts', import.meta.url));
const JOINT_DEFENSE_ENTRY = fileURLToPath(new URL('../lambdas/handlers/joint-defense-job.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOCK_FILE = fileURLToPath(new URL('../package-lock.json', import.meta.url));
// ESM bundles still contain CommonJS dependencies that call `require`; the alias avoids
// clashing with a `createRequire` import the bundle itself may hoist.
const ESM_REQUIRE_BANNER =
  "import { createRequire as __smsShieldCreateRequire } from 'node:module'; const require = __smsShieldCreateRequire(import.meta.url);";

/** How both functions are bundled: minified ESM for Node 22, the AWS SDK left to the runtime. */
const LAMBDA_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  banner: ESM_REQUIRE_BANNER,
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  target: 'node22',
  externalModules: ['@aws-sdk/*'],
};

/**
 * SMS Shield: DynamoDB tables, the identifier-hashing and challenge secrets, the API function (the only
 * principal allowed to send SMS), the HTTP API in front of it, and the joint-defense job that turns
 * every tenant's verdict events into shared reputation on a schedule, with its alarms.
 */
export class SmsShield extends Construct {
  /** The HTTP API. Its `url` is unset (the stage is created explicitly): use {@link SmsShield.url}. */
  public readonly api: HttpApi;
  /** The `$default` stage, with throttling (stage default and public route settings) and access logging. */
  public readonly stage: HttpStage;
  /** The public routes (challenge and device token, with their preflights), throttled apart from the tenants. */
  public readonly publicRoutes: readonly HttpRoute[];
  /** The function behind the `$default` route and the public routes. */
  public readonly apiFunction: NodejsFunction;
  /** GeoIP databases (country .mmdb files and the ASN table) under `geo/`, i.e. `/opt/geo` at run time. */
  public readonly geoLayer: LayerVersion;
  /** Velocity counters (TTL on `expiresAt`). */
  public readonly countersTable: Table;
  /** Block/allow lists and shared reputation (GSI `byScope`, TTL on `expiresAt`). */
  public readonly listsTable: Table;
  /** Tenants and hashed API keys. */
  public readonly tenantsTable: Table;
  /** Pending verifications of sent SMS (TTL on `expiresAt`). */
  public readonly verificationsTable: Table;
  /** Verdict events, read by minute by the joint-defense job (TTL on `expiresAt`). */
  public readonly eventsTable: Table;
  /** The joint-defense job: verdict events → shared reputation in the Lists table. */
  public readonly jointDefenseFunction: NodejsFunction;
  /** The EventBridge schedule that runs the joint-defense job. */
  public readonly jointDefenseSchedule: Rule;
  /** In alarm when a joint-defense run failed (function errors) in the last 5 minutes. */
  public readonly jointDefenseAlarm: Alarm;
  /** In alarm when the joint-defense job has not run for 15 minutes (schedule disabled, invocations failing). */
  public readonly jointDefenseStalledAlarm: Alarm;
  /** Key used to hash phone numbers and other identifiers before storage. */
  public readonly hashSecret: Secret;
  /** Key that signs proof-of-work challenges and device tokens (man-machine identification). */
  public readonly challengeSecret: Secret;
  /** Base URL of the API (`$default` stage), ending in `/`: what tenant backends call. */
  public readonly url: string;
  /**
   * Base URL for browsers and apps (the public routes), ending in `/`: the public edge's
   * distribution when `publicEdge` is set, else the API's {@link SmsShield.url}.
   */
  public readonly publicEndpointUrl: string;
  /** The public edge (CloudFront and its web ACL), when `publicEdge` is set. */
  public readonly publicEdge: SmsShieldPublicEdge | undefined;
  /** The secret CloudFront sends to prove a request came through the public edge, when `publicEdge` is set. */
  public readonly originSecret: Secret | undefined;
  /** The CloudWatch dashboard and alarms. */
  public readonly monitoring: SmsShieldMonitoring;
  /**
   * Guardrail against bypassing the shield: a customer managed policy that only denies —
   * `sns:Publish` to anything that is not an SNS ARN (a phone number's resource is `*`, while
   * topics and mobile push endpoints keep working) and, by default, End User Messaging SMS.
   * Attach it with `guardrail.roles`, {@link SmsShield.guard}, or to roles outside the stack by ARN.
   */
  public readonly directSmsGuardrail: ManagedPolicy;

  constructor(scope: Construct, id: string, props: SmsShieldProps = {}) {
    super(scope, id);
    validateProps(props, Stack.of(this).region);
    const geoFiles = geoDataFiles();

    const defaultMode = props.defaultMode ?? 'enforce';
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const throttle = props.throttle ?? DEFAULT_THROTTLE;
    const publicRouteThrottle = props.publicRouteThrottle ?? DEFAULT_PUBLIC_ROUTE_THROTTLE;
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const memorySize = props.memorySize ?? 1024;

    this.countersTable = this.createTable(COUNTERS_TABLE, removalPolicy);
    this.listsTable = this.createTable(LISTS_TABLE, removalPolicy);
    this.tenantsTable = this.createTable(TENANTS_TABLE, removalPolicy);
    this.verificationsTable = this.createTable(VERIFICATIONS_TABLE, removalPolicy);
    this.eventsTable = this.createTable(EVENTS_TABLE, removalPolicy);

    this.hashSecret = this.createKeySecret(
      'HashSecret',
      'SMS Shield key for hashing phone numbers and other identifiers',
      'The secret is the key of the identifier hashes stored in the tables; rotating it would orphan every ' +
        'counter, list entry and API-key hash. Re-keying is a deliberate, manual migration, not a schedule.',
      removalPolicy,
    );
    this.challengeSecret = this.createKeySecret(
      'ChallengeSecret',
      'SMS Shield key for signing proof-of-work challenges and device tokens',
      'The function reads the key once per cold start; replacing it invalidates open challenges (minutes) and ' +
        'device tokens, which the SDK re-issues. Rotation is a manual step (put a new value, redeploy), not a schedule.',
      removalPolicy,
    );

    // An own role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
    const role = new Role(this, 'ApiFunctionRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'SMS Shield API function',
    });
    const logGroup = new LogGroup(this, 'ApiFunctionLogs', { retention: logRetention, removalPolicy });
    logGroup.grantWrite(role);

    this.geoLayer = new LayerVersion(this, 'GeoLayer', {
      description: 'SMS Shield GeoIP data: country (ip-location-db, CC0) and ASN table (derived from @ip-location-db/asn)',
      code: geoLayerCode(geoFiles),
      compatibleRuntimes: [Runtime.NODEJS_22_X],
      compatibleArchitectures: [Architecture.ARM_64],
    });

    this.apiFunction = new NodejsFunction(this, 'ApiFunction', {
      entry: API_ENTRY,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: LOCK_FILE,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize,
      timeout: Duration.seconds(10),
      role,
      logGroup,
      // The GeoIP databases (≈ 18 MB) come from the layer at run time, never from the bundle.
      layers: [this.geoLayer],
      tracing: Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        [ENV.DEFAULT_MODE]: defaultMode,
        [ENV.MAX_LIST_ENTRIES]: Tokenization.stringifyNumber(props.maxListEntries ?? DEFAULT_MAX_LIST_ENTRIES),
        [GEO_DIR_ENV]: LAMBDA_GEO_DIR,
      },
      bundling: LAMBDA_BUNDLING,
    });
    if (props.senderId !== undefined) this.apiFunction.addEnvironment(ENV.SENDER_ID, props.senderId);
    Validations.of(this.apiFunction).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x, a supported runtime matching the esbuild target node22; runtime and bundle ' +
        'target are upgraded together, deliberately, not implicitly by a CDK release.',
    });

    // Each resource's environment variable and its grant, side by side.
    const tables: readonly [string, Table][] = [
      [ENV.COUNTERS_TABLE, this.countersTable],
      [ENV.LISTS_TABLE, this.listsTable],
      [ENV.TENANTS_TABLE, this.tenantsTable],
      [ENV.VERIFICATIONS_TABLE, this.verificationsTable],
    ];
    for (const [envName, table] of tables) {
      this.apiFunction.addEnvironment(envName, table.tableName);
      table.grantReadWriteData(this.apiFunction);
    }
    // Verdict events: the API function only appends them.
    this.apiFunction.addEnvironment(ENV.EVENTS_TABLE, this.eventsTable.tableName);
    this.eventsTable.grant(this.apiFunction, 'dynamodb:PutItem');
    if (props.allianceSecret) {
      this.apiFunction.addEnvironment(ENV.ALLIANCE_SECRET_ARN, props.allianceSecret.secretArn);
      props.allianceSecret.grantRead(this.apiFunction);
    }
    this.apiFunction.addEnvironment(ENV.HASH_SECRET_ARN, this.hashSecret.secretArn);
    this.hashSecret.grantRead(this.apiFunction);
    this.apiFunction.addEnvironment(ENV.CHALLENGE_SECRET_ARN, this.challengeSecret.secretArn);
    this.challengeSecret.grantRead(this.apiFunction);
    this.grantSmsPublish(role);
    this.acknowledgeDefaultPolicyWildcards(role);
    this.directSmsGuardrail = this.createDirectSmsGuardrail(props.guardrail?.denyEndUserMessagingSms ?? true);
    for (const guarded of props.guardrail?.roles ?? []) this.guard(guarded);

    const job = this.createJointDefenseJob(props.jointDefenseSchedule ?? Duration.minutes(1), logRetention, removalPolicy);
    this.jointDefenseFunction = job.fn;
    this.jointDefenseSchedule = job.rule;
    this.jointDefenseAlarm = job.alarm;
    this.jointDefenseStalledAlarm = job.stalled;

    const integration = new HttpLambdaIntegration('ApiIntegration', this.apiFunction);
    this.api = new HttpApi(this, 'Api', {
      description: 'SMS Shield API',
      createDefaultStage: false,
      defaultIntegration: integration,
    });
    Validations.of(this.api.node.findChild('DefaultRoute')).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Callers authenticate with a per-tenant API key that the function checks against the hashed keys in ' +
        'the Tenants table; HTTP APIs have no native API keys, and a Lambda authorizer would repeat that lookup.',
    });
    // The public routes get routes of their own, to the same function, only so that the stage can
    // throttle them apart from $default (the tenants). The wire format is unchanged.
    this.publicRoutes = PUBLIC_ROUTES.map(({ method, path }) => {
      const route = new HttpRoute(this.api, `PublicRoute${method}${path.replaceAll('/', '-')}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(path, HttpMethod[method]),
        integration,
      });
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          `${method} ${path} is public by design: a browser cannot keep a key, and what it hands out is worthless ` +
          'without the tenant backend that holds one. Its own route throttle keeps it off the tenants\' budget.',
      });
      return route;
    });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: logRetention, removalPolicy });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: throttle.rateLimit, burstLimit: throttle.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      PUBLIC_ROUTES.map(({ method, path }) => [
        `${method} ${path}`,
        { ThrottlingRateLimit: publicRouteThrottle.rateLimit, ThrottlingBurstLimit: publicRouteThrottle.burstLimit },
      ]),
    );
    // Route settings name routes by key: the routes must exist before the stage that throttles them.
    for (const route of this.publicRoutes) cfnStage.node.addDependency(route);
    this.url = this.stage.url;

    if (props.publicEdge) {
      this.originSecret = this.createKeySecret(
        'OriginSecret',
        'SMS Shield public edge origin secret: CloudFront sends it, the public routes require it',
        'CloudFront takes the value when the distribution is updated and the function once per cold start, so a new ' +
          'value needs both to change together (put it, then update the distribution and the function): a manual step.',
        removalPolicy,
      );
      this.apiFunction.addEnvironment(ENV.ORIGIN_SECRET_ARN, this.originSecret.secretArn);
      this.apiFunction.addEnvironment(ENV.PUBLIC_EDGE_DIRECT_CALLS, props.publicEdge.refuseDirectCalls === false ? 'allow' : 'refuse');
      this.originSecret.grantRead(this.apiFunction);
      this.publicEdge = new SmsShieldPublicEdge(this, 'PublicEdge', { ...props.publicEdge, api: this.api, originSecret: this.originSecret });
    }
    this.publicEndpointUrl = this.publicEdge?.url ?? this.url;

    this.monitoring = new SmsShieldMonitoring(this, 'Monitoring', {
      ...props.monitoring,
      apiFunction: this.apiFunction,
      otherFunctions: [this.jointDefenseFunction],
      tables: [this.countersTable, this.listsTable, this.tenantsTable, this.verificationsTable, this.eventsTable],
      extraAlarms: [this.jointDefenseAlarm, this.jointDefenseStalledAlarm],
    });
  }

  /**
   * The joint-defense job: its own role (its log group; Query on Events; BatchGetItem and
   * PutItem on the Lists table itself, not its index; no secret, no SNS), the schedule, and
   * the alarms. Runs are idempotent, so a failed run is not retried: the next one covers it.
   */
  private createJointDefenseJob(schedule: Duration, logRetention: RetentionDays, removalPolicy: RemovalPolicy) {
    const role = new Role(this, 'JointDefenseRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'SMS Shield joint-defense job',
    });
    const logGroup = new LogGroup(this, 'JointDefenseLogs', { retention: logRetention, removalPolicy });
    logGroup.grantWrite(role);
    role.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'ReadVerdictEvents', actions: ['dynamodb:Query'], resources: [this.eventsTable.tableArn] }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'WriteSharedReputation',
        actions: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'],
        resources: [this.listsTable.tableArn],
      }),
    );

    const fn = new NodejsFunction(this, 'JointDefenseFunction', {
      entry: JOINT_DEFENSE_ENTRY,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: LOCK_FILE,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      // Well inside the one-minute cadence: a run that cannot finish in time fails loudly.
      timeout: Duration.seconds(50),
      retryAttempts: 0,
      role,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        [ENV.EVENTS_TABLE]: this.eventsTable.tableName,
        [ENV.LISTS_TABLE]: this.listsTable.tableName,
      },
      bundling: LAMBDA_BUNDLING,
    });
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Pinned to nodejs22.x like the API function, matching the esbuild target node22; upgraded together, deliberately.',
    });

    const rule = new Rule(this, 'JointDefenseSchedule', {
      description: 'Runs the SMS Shield joint-defense job',
      schedule: Schedule.rate(schedule),
      targets: [new LambdaFunction(fn, { retryAttempts: 0 })],
    });
    const alarm = new Alarm(this, 'JointDefenseFailureAlarm', {
      alarmDescription: 'SMS Shield joint-defense job failed: shared reputation (bombing victims, pumped ranges) is not being refreshed',
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const stalled = new Alarm(this, 'JointDefenseStalledAlarm', {
      alarmDescription: 'SMS Shield joint-defense job has not run for 15 minutes (schedule disabled or invocations failing)',
      metric: fn.metricInvocations({ period: Duration.minutes(15), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
    });
    return { fn, rule, alarm, stalled };
  }

  /** A generated 48-character key, with the reason it is not rotated on a schedule (cdk-nag SMG4). */
  private createKeySecret(id: string, description: string, noRotationReason: string, removalPolicy: RemovalPolicy): Secret {
    const secret = new Secret(this, id, {
      description,
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy,
    });
    Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: noRotationReason });
    return secret;
  }

  private createTable(schema: TableSchema, removalPolicy: RemovalPolicy): Table {
    const table = new Table(this, `${schema.name}Table`, {
      partitionKey: { name: schema.partitionKey, type: AttributeType.STRING },
      ...(schema.sortKey && { sortKey: { name: schema.sortKey, type: AttributeType.STRING } }),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: schema.ttlAttribute,
      removalPolicy,
    });
    for (const index of schema.globalIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }
    return table;
  }

  /**
   * Lets the API function, and nothing else, publish SMS. Direct SMS has no resource ARN and
   * no SNS condition key covers the phone number, so the Allow needs Resource "*". It is
   * limited to the stack's region (whose SMS spend limit then caps the damage), and an
   * explicit Deny on every SNS ARN keeps it from publishing to topics or push endpoints.
   */
  /**
   * Deny `role` direct SMS: its code must go through the shield. The shield's own API function
   * role is refused (it is the one principal that sends).
   */
  public guard(role: IRole): void {
    if (role === this.apiFunction.role) {
      throw new Error('SmsShield.guard: the API function role sends the SMS itself and cannot be guarded');
    }
    this.directSmsGuardrail.attachToRole(role);
  }

  private createDirectSmsGuardrail(denyEndUserMessaging: boolean): ManagedPolicy {
    const statements = [
      new PolicyStatement({
        sid: 'DenySmsToPhoneNumbersOutsideSmsShield',
        effect: Effect.DENY,
        actions: ['sns:Publish'],
        // Publishing to a phone number authorizes against "*"; every topic and endpoint has an SNS ARN.
        notResources: [`arn:${Aws.PARTITION}:sns:*:*:*`],
      }),
    ];
    if (denyEndUserMessaging) {
      statements.push(
        new PolicyStatement({
          sid: 'DenyEndUserMessagingSmsOutsideSmsShield',
          effect: Effect.DENY,
          actions: ['sms-voice:SendTextMessage'],
          resources: ['*'],
        }),
      );
    }
    return new ManagedPolicy(this, 'DirectSmsGuardrail', {
      description: 'SMS Shield guardrail: SMS to phone numbers only through the SMS Shield API (denies direct sns:Publish to numbers)',
      statements,
    });
  }

  private grantSmsPublish(role: Role): void {
    const policy = new Policy(this, 'SmsPublishPolicy', {
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
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'sns:Publish to a phone number has no resource ARN, so the Allow must use "*" (no SNS condition key ' +
        'covers phone numbers); it is limited to this region, and a Deny on every SNS ARN excludes topics and endpoints.',
    });
  }

  /** Wildcards the grants above put in the role's default policy, each with its reason. */
  private acknowledgeDefaultPolicyWildcards(role: Role): void {
    const defaultPolicy = role.node.findChild('DefaultPolicy');
    Validations.of(defaultPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) use Resource "*": X-Ray has ' +
        'no resource-level permissions for them. SMS publishing lives in its own policy.',
    });
    for (const [schema, table] of [
      [COUNTERS_TABLE, this.countersTable],
      [LISTS_TABLE, this.listsTable],
      [TENANTS_TABLE, this.tenantsTable],
      [VERIFICATIONS_TABLE, this.verificationsTable],
    ] as const) {
      if (schema.globalIndexes.length === 0) continue;
      const logicalId = Stack.of(this).getLogicalId(table.node.defaultChild as CfnTable);
      Validations.of(defaultPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
        reason:
          `grantReadWriteData covers the indexes of the ${schema.name} table only (${schema.globalIndexes
            .map((index) => index.name)
            .join(', ')}); the wildcard reaches no other table.`,
      });
    }
  }
}

/**
 * Local paths of the geo data files, checked before anything is built. They honour
 * `SMS_SHIELD_GEO_DIR` at synth time too, so a deployment can ship its own copy of the data.
 */
function geoDataFiles(): string[] {
  let files: string[];
  try {
    files = Object.values(resolveGeoDataFiles());
  } catch (error) {
    throw new Error(`SmsShield needs the geo data for its layer: run \`npm ci\`, then \`npm run build:geo-data\``, {
      cause: error,
    });
  }
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `SmsShield needs the geo data for its layer, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} ` +
        'missing: run `npm run build:geo-data` (it builds data/geo/asn.bin; `npm ci` installs the .mmdb files)',
    );
  }
  return files;
}

/**
 * The layer asset: exactly the files of `GEO_LAYER_FILES`, copied under `geo/` at synth time (no Docker;
 * the local bundler always succeeds or throws). Hashed by output, so a data update is a new layer version.
 */
function geoLayerCode(files: readonly string[]): Code {
  return Code.fromAsset(dirname(files[0]!), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: Runtime.NODEJS_22_X.bundlingImage, // required by the type; never run, local bundling handles it
      local: {
        tryBundle(outputDir: string): boolean {
          const target = join(outputDir, LAYER_GEO_DIR);
          mkdirSync(target, { recursive: true });
          for (const file of files) copyFileSync(file, join(target, basename(file)), constants.COPYFILE_FICLONE);
          return true;
        },
      },
    },
  });
}

/**
 * Checks every prop and throws once, listing every mistake (so a synth names them all, not the
 * first). Values that are unresolved tokens (e.g. a CfnParameter) are left to CloudFormation.
 */
function validateProps(props: SmsShieldProps, region: string): void {
  const errors: string[] = [];
  if (props.publicEdge !== undefined) errors.push(...publicEdgeErrors(props.publicEdge, region));
  if (props.defaultMode !== undefined && props.defaultMode !== 'enforce' && props.defaultMode !== 'shadow') {
    errors.push(`SmsShieldProps.defaultMode must be 'enforce' or 'shadow', got '${String(props.defaultMode)}'`);
  }
  if (props.senderId !== undefined && !Token.isUnresolved(props.senderId) && !SENDER_ID_PATTERN.test(props.senderId)) {
    errors.push(`SmsShieldProps.senderId must be 1–11 letters or digits with at least one letter, got '${props.senderId}'`);
  }
  if (props.throttle !== undefined) errors.push(...throttleErrors('throttle', props.throttle));
  if (props.publicRouteThrottle !== undefined) errors.push(...throttleErrors('publicRouteThrottle', props.publicRouteThrottle));
  if (props.jointDefenseSchedule !== undefined && !props.jointDefenseSchedule.isUnresolved()) {
    const minutes = props.jointDefenseSchedule.toSeconds() / 60;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
      errors.push(`SmsShieldProps.jointDefenseSchedule must be whole minutes from 1 to 60, got ${props.jointDefenseSchedule.toHumanString()}`);
    }
  }
  const { memorySize } = props;
  if (memorySize !== undefined && !Token.isUnresolved(memorySize) && (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240)) {
    errors.push(`SmsShieldProps.memorySize must be an integer between 128 and 10240 MiB, got ${memorySize}`);
  }
  const { maxListEntries } = props;
  if (
    maxListEntries !== undefined &&
    !Token.isUnresolved(maxListEntries) &&
    (!Number.isInteger(maxListEntries) || maxListEntries < 1 || maxListEntries > MAX_LIST_ENTRIES_CEILING)
  ) {
    errors.push(`SmsShieldProps.maxListEntries must be an integer from 1 to ${MAX_LIST_ENTRIES_CEILING}, got ${maxListEntries}`);
  }
  if (errors.length === 1) throw new Error(errors[0]);
  if (errors.length > 1) throw new Error(`Invalid SmsShieldProps:\n- ${errors.join('\n- ')}`);
}

/** Mistakes in a throttle prop: rate and burst positive integers, burst at least the rate. */
function throttleErrors(name: string, throttle: SmsShieldThrottle): string[] {
  const errors: string[] = [];
  const { rateLimit, burstLimit } = throttle;
  const known = (n: number) => !Token.isUnresolved(n);
  if (known(rateLimit) && (!Number.isInteger(rateLimit) || rateLimit <= 0)) {
    errors.push(`SmsShieldProps.${name}.rateLimit must be a positive integer, got ${rateLimit}`);
  }
  if (known(burstLimit) && (!Number.isInteger(burstLimit) || burstLimit <= 0)) {
    errors.push(`SmsShieldProps.${name}.burstLimit must be a positive integer, got ${burstLimit}`);
  } else if (known(rateLimit) && known(burstLimit) && burstLimit < rateLimit) {
    errors.push(`SmsShieldProps.${name}.burstLimit (${burstLimit}) must be at least ${name}.rateLimit (${rateLimit})`);
  }
  return errors;
}

/** ARN of a web ACL CloudFront can use: WAFv2, us-east-1, scope CLOUDFRONT ("global"). */
const CLOUDFRONT_WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:[0-9]{12}:global\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/;

/** Mistakes in the public edge settings, given the stack's region (a token when environment-agnostic). */
function publicEdgeErrors(edge: SmsShieldPublicEdgeOptions, region: string): string[] {
  const errors: string[] = [];
  const { webAclArn, rateLimitPer5Minutes: limit, ipReputationRule } = edge;
  if (webAclArn === undefined) {
    if (Token.isUnresolved(region) || region !== 'us-east-1') {
      const where = Token.isUnresolved(region) ? 'this stack has no region (it is environment-agnostic)' : `this stack is in ${region}`;
      errors.push(
        'SmsShieldProps.publicEdge.webAclArn is required: AWS WAF web ACLs for CloudFront (scope CLOUDFRONT) exist only ' +
          `in us-east-1 and ${where}. Create the web ACL in us-east-1 (e.g. in a stack of its own) and pass its ARN, or ` +
          "deploy this stack with env: { region: 'us-east-1' } to have it created here.",
      );
    }
    const [min, max] = EDGE_RATE_LIMIT_RANGE;
    if (limit !== undefined && !Token.isUnresolved(limit) && (!Number.isInteger(limit) || limit < min || limit > max)) {
      errors.push(`SmsShieldProps.publicEdge.rateLimitPer5Minutes must be an integer from ${min} to ${max}, got ${limit}`);
    }
  } else {
    if (!Token.isUnresolved(webAclArn) && !CLOUDFRONT_WEB_ACL_ARN.test(webAclArn)) {
      errors.push(
        'SmsShieldProps.publicEdge.webAclArn must be the ARN of a WAFv2 web ACL of scope CLOUDFRONT ' +
          `(arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>), got '${webAclArn}'`,
      );
    }
    for (const [name, value] of [['rateLimitPer5Minutes', limit], ['ipReputationRule', ipReputationRule]] as const) {
      if (value !== undefined) {
        errors.push(`SmsShieldProps.publicEdge.${name} applies only to the web ACL the construct creates; with webAclArn, set your own ACL's rules instead`);
      }
    }
  }
  return errors;
}
