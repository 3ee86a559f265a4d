import { Aws, Duration, Names, Validations } from 'aws-cdk-lib';
import { type CfnUserPool, type UserPool, UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import { type Policy, PolicyStatement, type Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Function as LambdaFunction, type LayerVersion } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { eventShardsFor } from '../lambdas/adapters/dynamo/schema.js';
import { ENV } from '../lambdas/shared/env.js';
import { GEO_DIR_ENV, LAMBDA_GEO_DIR } from '../lambdas/shared/geo-files.js';
import { templateProblem } from '../lambdas/shared/sms-templates.js';
import { grantSmsPublish } from './api-function.js';
import { buildFunctionRole, prebuiltFunctionDefaults } from './lambda-defaults.js';
import type { ShieldSecrets } from './secrets.js';
import type { ResolvedSmsShieldProps } from './sms-shield-defaults.js';
import { grantTableAccess, type ShieldTables, TABLE_ACCESS, tablesByName } from './tables.js';

/** How a user pool's codes are judged and worded: `SmsShield.addCognitoSmsSender`. */
export interface SmsShieldCognitoSmsSenderProps {
  /**
   * The tenant the pool's codes are judged as: its policy, lists, limits and statistics. Create it
   * with the admin API or CLI (`sms-shield tenants create`) before users sign up; until it exists
   * every code is refused with `SHIELD_NOT_CONFIGURED`.
   */
  readonly tenantId: string;
  /**
   * SMS text of a code (sign-up, resend, sign-in, password reset, attribute verification), with
   * `{code}`, at most 320 characters. @default 'Your verification code is {code}'
   */
  readonly codeTemplate?: string;
  /** SMS text of an administrator-created user's temporary password, with `{code}`. @default 'Your temporary password is {code}' */
  readonly temporaryPasswordTemplate?: string;
  /**
   * Build the feedback function: wired to the pool's post confirmation and post authentication
   * triggers, it reports the codes that worked (conversion signals). @default true
   */
  readonly feedback?: boolean;
}

/** What the shield hands a Cognito sender: the shared tables, keys, layer and settings. */
export interface HookSources {
  readonly tables: ShieldTables;
  readonly secrets: ShieldSecrets;
  readonly geoLayer: LayerVersion;
  readonly config: Pick<
    ResolvedSmsShieldProps,
    'defaultMode' | 'senderId' | 'allianceSecret' | 'logRetention' | 'removalPolicy' | 'sourceMaps' | 'peakVerdictsPerSecond'
  >;
}

/** The user pool trigger version Cognito sends custom SMS sender events in. */
const CUSTOM_SENDER_VERSION = 'V1_0';

/** Cognito gives a trigger 5 seconds before it gives up (and may retry). */
const COGNITO_TRIGGER_TIMEOUT = Duration.seconds(5);

/**
 * A Cognito user pool as a protected SMS interface. Cognito encrypts each code with {@link key}
 * and hands it to {@link function}, which judges it through the shield (one tenant) and sends it
 * only on allow; a refusal fails the user's request with a `SHIELD_…` message. Pass both to
 * the pool (`lambdaTriggers.customSmsSender` and `customSenderKmsKey`), or call {@link protect}
 * on a pool of the same app.
 */
export class SmsShieldCognitoSmsSender extends Construct {
  /** The custom SMS sender function: the pool's `customSmsSender` trigger. */
  public readonly function: LambdaFunction;
  /**
   * The symmetric key Cognito encrypts codes with (rotation on): the pool's `customSenderKmsKey`.
   * Cognito may encrypt with it for any user pool of this account and region; only
   * {@link function} may decrypt.
   */
  public readonly key: Key;
  /** The feedback function, for the pool's `postConfirmation` and `postAuthentication` triggers (unless `feedback: false`). */
  public readonly feedbackFunction: LambdaFunction | undefined;
  /** The policy that lets {@link function} publish SMS (and nothing else on SNS). */
  public readonly smsPublishPolicy: Policy;

  constructor(scope: Construct, id: string, props: SmsShieldCognitoSmsSenderProps, sources: HookSources) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(props.tenantId)) {
      throw new Error(`SmsShield Cognito sender: tenantId must be 1–64 letters, digits, '_' or '-', got '${props.tenantId}'`);
    }
    for (const [name, template] of [
      ['codeTemplate', props.codeTemplate],
      ['temporaryPasswordTemplate', props.temporaryPasswordTemplate],
    ] as const) {
      const problem = template === undefined ? undefined : templateProblem(template);
      if (problem) throw new Error(`SmsShield Cognito sender: ${name} ${problem}`);
    }
    const { tables, secrets, config } = sources;

    this.key = new Key(this, 'Key', {
      description: 'SMS Shield: Amazon Cognito encrypts the codes it hands to the custom SMS sender with this key',
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
    });
    // Cognito encrypts for the pools of this account and region only. The pool's own ARN cannot be
    // named: the pool names the key, so the key naming the pool would be a circular dependency.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CognitoEncryptsCodes',
        principals: [new ServicePrincipal('cognito-idp.amazonaws.com')],
        actions: ['kms:Encrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cognito-idp:${Aws.REGION}:${Aws.ACCOUNT_ID}:userpool/*` },
        },
      }),
    );

    const sender = buildFunctionRole(
      this,
      { role: 'SenderRole', logGroup: 'SenderLogs' },
      'SMS Shield Cognito custom SMS sender',
      config.logRetention,
      config.removalPolicy,
    );
    const base = prebuiltFunctionDefaults('cognito-sms-sender', config.sourceMaps);
    this.function = new LambdaFunction(this, 'SenderFunction', {
      ...base,
      description: `SMS Shield: judges and sends the codes of a Cognito user pool (tenant ${props.tenantId})`,
      memorySize: 1024,
      timeout: COGNITO_TRIGGER_TIMEOUT,
      // Idempotent by the code's ciphertext anyway; an asynchronous retry could only repeat a refusal.
      retryAttempts: 0,
      role: sender.role,
      logGroup: sender.logGroup,
      layers: [sources.geoLayer],
      environment: {
        ...base.environment,
        [ENV.COGNITO_TENANT_ID]: props.tenantId,
        [ENV.COGNITO_KEY_ARN]: this.key.keyArn,
        [ENV.DEFAULT_MODE]: config.defaultMode,
        [ENV.COUNTERS_TABLE]: tables.countersTable.tableName,
        [ENV.LISTS_TABLE]: tables.listsTable.tableName,
        [ENV.TENANTS_TABLE]: tables.tenantsTable.tableName,
        [ENV.VERIFICATIONS_TABLE]: tables.verificationsTable.tableName,
        [ENV.EVENTS_TABLE]: tables.eventsTable.tableName,
        // The partitions the joint-defense job reads (from the stated peak), like the API function.
        [ENV.EVENT_SHARDS]: String(eventShardsFor(config.peakVerdictsPerSecond)),
        [ENV.HASH_SECRET_ARN]: secrets.hashSecret.secretArn,
        [ENV.CHALLENGE_SECRET_ARN]: secrets.challengeSecret.secretArn,
        [GEO_DIR_ENV]: LAMBDA_GEO_DIR,
        ...(props.codeTemplate !== undefined && { [ENV.COGNITO_CODE_TEMPLATE]: props.codeTemplate }),
        ...(props.temporaryPasswordTemplate !== undefined && { [ENV.COGNITO_TEMPORARY_PASSWORD_TEMPLATE]: props.temporaryPasswordTemplate }),
        ...(config.senderId !== undefined && { [ENV.SENDER_ID]: config.senderId }),
      },
    });
    grantTableAccess(sender.role, TABLE_ACCESS.cognitoSmsSender, tablesByName(tables));
    secrets.hashSecret.grantRead(sender.role);
    secrets.challengeSecret.grantRead(sender.role);
    if (config.allianceSecret) {
      this.function.addEnvironment(ENV.ALLIANCE_SECRET_ARN, config.allianceSecret.secretArn);
      config.allianceSecret.grantRead(sender.role);
    }
    this.key.grantDecrypt(sender.role);
    this.smsPublishPolicy = grantSmsPublish(this, sender.role);

    if (props.feedback ?? true) this.feedbackFunction = this.buildFeedback(props.tenantId, sources);
    this.acknowledgeNagFindings();
  }

  /** The cdk-nag (AwsSolutions) findings accepted here, as for the API function (nag-acknowledgements.ts). */
  private acknowledgeNagFindings(): void {
    for (const fn of [this.function, this.feedbackFunction]) {
      if (fn === undefined) continue;
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason: 'Pinned to nodejs22.x like the API function, matching the esbuild target node22; upgraded together, deliberately.',
      });
    }
    Validations.of(this.smsPublishPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'sns:Publish to a phone number has no resource ARN, so the Allow must use "*" (no SNS condition key ' +
        'covers phone numbers); it is limited to this region, and a Deny on every SNS ARN excludes topics and endpoints.',
    });
  }

  /** The role of {@link function}: it sends SMS, so it is never guarded against doing so. */
  public get senderRole(): Role {
    return this.function.role as Role;
  }

  /**
   * Wire an existing user pool of this app: its `customSmsSender` trigger and KMS key (as
   * properties of the pool's template, so the pool must not set its own), the permission for
   * Cognito to invoke the sender from that pool, and, with the feedback function, the pool's
   * post confirmation and post authentication triggers (which it must not have yet).
   */
  public protect(pool: UserPool): void {
    const cfn = pool.node.defaultChild as CfnUserPool;
    cfn.addPropertyOverride('LambdaConfig.KMSKeyID', this.key.keyArn);
    cfn.addPropertyOverride('LambdaConfig.CustomSMSSender', { LambdaArn: this.function.functionArn, LambdaVersion: CUSTOM_SENDER_VERSION });
    this.function.addPermission(`InvokedBy${Names.uniqueId(pool)}`, {
      principal: new ServicePrincipal('cognito-idp.amazonaws.com'),
      sourceArn: pool.userPoolArn,
    });
    if (this.feedbackFunction) {
      pool.addTrigger(UserPoolOperation.POST_CONFIRMATION, this.feedbackFunction);
      pool.addTrigger(UserPoolOperation.POST_AUTHENTICATION, this.feedbackFunction);
    }
  }

  /** The feedback function: the hashing key, and the ledger's three tables (no lists, no SNS, no KMS). */
  private buildFeedback(tenantId: string, { tables, secrets, config }: HookSources): LambdaFunction {
    const { role, logGroup } = buildFunctionRole(
      this,
      { role: 'FeedbackRole', logGroup: 'FeedbackLogs' },
      'SMS Shield Cognito verification feedback',
      config.logRetention,
      config.removalPolicy,
    );
    const base = prebuiltFunctionDefaults('cognito-feedback', config.sourceMaps);
    const fn = new LambdaFunction(this, 'FeedbackFunction', {
      ...base,
      description: `SMS Shield: reports the Cognito codes that worked (tenant ${tenantId})`,
      memorySize: 512,
      timeout: COGNITO_TRIGGER_TIMEOUT,
      retryAttempts: 0,
      role,
      logGroup,
      environment: {
        ...base.environment,
        [ENV.COGNITO_TENANT_ID]: tenantId,
        [ENV.COUNTERS_TABLE]: tables.countersTable.tableName,
        [ENV.VERIFICATIONS_TABLE]: tables.verificationsTable.tableName,
        [ENV.EVENTS_TABLE]: tables.eventsTable.tableName,
        // The partitions the joint-defense job reads (from the stated peak), like the API function.
        [ENV.EVENT_SHARDS]: String(eventShardsFor(config.peakVerdictsPerSecond)),
        [ENV.HASH_SECRET_ARN]: secrets.hashSecret.secretArn,
      },
    });
    grantTableAccess(role, TABLE_ACCESS.cognitoFeedback, tablesByName(tables));
    secrets.hashSecret.grantRead(role);
    return fn;
  }
}
