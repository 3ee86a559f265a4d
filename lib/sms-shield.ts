import { Stack } from 'aws-cdk-lib';
import type { HttpApi, HttpRoute, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Rule } from 'aws-cdk-lib/aws-events';
import type { IRole, ManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction, LayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { eventShardsFor } from '../lambdas/adapters/dynamo/schema.js';
import { jobMemoryFor } from '../lambdas/shared/job-sizing.js';
import { buildAdminKey } from './admin-key.js';
import { buildApiFunction } from './api-function.js';
import { type HookSources, SmsShieldCognitoSmsSender, type SmsShieldCognitoSmsSenderProps } from './cognito-sms-sender.js';
import { geoLayerSource } from './geo-layer.js';
import { buildDirectSmsGuardrail } from './guardrail.js';
import { buildHttpApi } from './http-api.js';
import { buildJointDefenseJob } from './joint-defense-job.js';
import { acknowledgeNagFindings } from './nag-acknowledgements.js';
import { buildPublicEdge } from './public-edge-wiring.js';
import { buildShieldSecrets } from './secrets.js';
import { resolveProps } from './sms-shield-defaults.js';
import { SmsShieldMonitoring } from './sms-shield-monitoring.js';
import type { SmsShieldProps } from './sms-shield-props.js';
import type { SmsShieldPublicEdge } from './sms-shield-public-edge.js';
import { validateProps } from './sms-shield-validation.js';
import { buildTables } from './tables.js';

export type { SmsShieldGuardrailProps, SmsShieldProps, SmsShieldThrottle } from './sms-shield-props.js';
export type { SmsShieldCognitoSmsSenderProps } from './cognito-sms-sender.js';

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
  public readonly apiFunction: LambdaFunction;
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
  public readonly jointDefenseFunction: LambdaFunction;
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
  /**
   * The deployment's admin key, a plain string written at deploy time (never in the template):
   * `aws secretsmanager get-secret-value --secret-id <arn> --query SecretString --output text`.
   * A new one is issued when `adminKeyGeneration` changes.
   */
  public readonly adminKeySecret: ISecret;
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
   * topics and mobile push endpoints keep working), SMS subscriptions and sandbox codes and, by
   * default, End User Messaging, Pinpoint and contact-center sends (lib/guardrail.ts lists them).
   * Attach it with `guardrail.roles`, {@link SmsShield.guard}, or to roles outside the stack by ARN.
   */
  public readonly directSmsGuardrail: ManagedPolicy;
  /** What a Cognito sender shares with the API function. */
  private readonly hookSources: HookSources;
  /** Roles that send SMS themselves: the API function's and each Cognito sender's. */
  private readonly sendingRoles: IRole[] = [];

  constructor(scope: Construct, id: string, props: SmsShieldProps = {}) {
    super(scope, id);
    validateProps(props, Stack.of(this).region);
    const config = resolveProps(props);
    // First, so that missing geo data fails the synth before anything is built.
    const geoLayer = geoLayerSource();

    const tables = buildTables(this, config.removalPolicy);
    this.countersTable = tables.countersTable;
    this.listsTable = tables.listsTable;
    this.tenantsTable = tables.tenantsTable;
    this.verificationsTable = tables.verificationsTable;
    this.eventsTable = tables.eventsTable;
    const secrets = buildShieldSecrets(this, config.removalPolicy);
    this.hashSecret = secrets.hashSecret;
    this.challengeSecret = secrets.challengeSecret;
    // What every function of the shield is built with, besides its own settings.
    const functionSettings = { logRetention: config.logRetention, removalPolicy: config.removalPolicy, sourceMaps: config.sourceMaps };
    this.adminKeySecret = buildAdminKey(this, { ...functionSettings, generation: config.adminKeyGeneration, tenantsTable: this.tenantsTable }).secret;

    const apiFunction = buildApiFunction(this, config, { geoLayer, tables, secrets });
    this.apiFunction = apiFunction.fn;
    this.geoLayer = apiFunction.geoLayer;
    this.hookSources = { tables, secrets, geoLayer: this.geoLayer, config };
    this.directSmsGuardrail = buildDirectSmsGuardrail(this, config);
    for (const guarded of config.guardrailRoles) this.guard(guarded);

    // The job keeps an hour of per-minute partials in memory: sized from the stated peak, within
    // Lambda's largest function (past it, see README, Scale: the runs fail and the alarm fires).
    const jobMemory = jobMemoryFor(config.peakVerdictsPerSecond);
    const job = buildJointDefenseJob(this, {
      ...functionSettings,
      schedule: config.jointDefenseSchedule,
      eventsTable: this.eventsTable,
      eventShards: eventShardsFor(config.peakVerdictsPerSecond),
      memorySize: jobMemory.mib,
      listsTable: this.listsTable,
    });
    this.jointDefenseFunction = job.fn;
    this.jointDefenseSchedule = job.rule;
    this.jointDefenseAlarm = job.alarm;
    this.jointDefenseStalledAlarm = job.stalled;

    const http = buildHttpApi(this, {
      apiFunction: this.apiFunction,
      throttle: config.throttle,
      publicRouteThrottle: config.publicRouteThrottle,
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    this.api = http.api;
    this.publicRoutes = http.publicRoutes;
    this.stage = http.stage;
    this.url = this.stage.url;

    if (config.publicEdge) {
      const edge = buildPublicEdge(this, config.publicEdge, { api: this.api, apiFunction: this.apiFunction, removalPolicy: config.removalPolicy });
      this.publicEdge = edge.publicEdge;
      this.originSecret = edge.originSecret;
    }
    this.publicEndpointUrl = this.publicEdge?.url ?? this.url;

    this.monitoring = new SmsShieldMonitoring(this, 'Monitoring', {
      ...config.monitoring,
      apiFunction: this.apiFunction,
      api: this.api,
      accessLogs: http.accessLogs,
      otherFunctions: [this.jointDefenseFunction],
      tables: [this.countersTable, this.listsTable, this.tenantsTable, this.verificationsTable, this.eventsTable],
      extraAlarms: [this.jointDefenseAlarm, this.jointDefenseStalledAlarm],
    });

    acknowledgeNagFindings({
      ...secrets,
      originSecret: this.originSecret,
      apiFunction: this.apiFunction,
      smsPublishPolicy: apiFunction.smsPublishPolicy,
      tables,
      jointDefenseFunction: this.jointDefenseFunction,
      api: this.api,
      publicRoutes: this.publicRoutes,
    });
  }

  /**
   * Deny `role` direct SMS: its code must go through the shield. The shield's own API function
   * role is refused (it is the one principal that sends).
   */
  public guard(role: IRole): void {
    if (role === this.apiFunction.role) {
      throw new Error('SmsShield.guard: the API function role sends the SMS itself and cannot be guarded');
    }
    if (this.sendingRoles.includes(role)) {
      throw new Error('SmsShield.guard: a Cognito sender role sends the SMS itself and cannot be guarded');
    }
    this.directSmsGuardrail.attachToRole(role);
  }

  /**
   * Protect a Cognito user pool: the KMS key and the custom SMS sender function for the pool
   * (`lambdaTriggers.customSmsSender` and `customSenderKmsKey`, or `sender.protect(pool)`), which
   * judge every code as `props.tenantId` through the same service as `POST /v1/sms/send`, and the
   * optional feedback function for the pool's post confirmation and post authentication triggers.
   */
  public addCognitoSmsSender(id: string, props: SmsShieldCognitoSmsSenderProps): SmsShieldCognitoSmsSender {
    const sender = new SmsShieldCognitoSmsSender(this, id, props, this.hookSources);
    this.sendingRoles.push(sender.senderRole);
    return sender;
  }
}
