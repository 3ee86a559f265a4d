import { Duration, Validations } from 'aws-cdk-lib';
import type { Policy, Role } from 'aws-cdk-lib/aws-iam';
import { type FunctionUrl, FunctionUrlAuthType, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '../lambdas/shared/env.js';
import { GEO_DIR_ENV, LAMBDA_GEO_DIR } from '../lambdas/shared/geo-files.js';
import { templateProblem } from '../lambdas/shared/sms-templates.js';
import { grantSmsPublish } from './api-function.js';
import type { HookSources } from './cognito-sms-sender.js';
import { buildFunctionRole, prebuiltFunctionDefaults } from './lambda-defaults.js';
import { grantTableAccess, TABLE_ACCESS, tablesByName } from './tables.js';

/** How a Supabase project's codes are judged and worded: `SmsShield.addSupabaseSmsHook`. */
export interface SmsShieldSupabaseSmsHookProps {
  /**
   * The tenant the project's codes are judged as. Create it with the admin API or CLI before
   * users sign in; until it exists every code is refused with `SHIELD_NOT_CONFIGURED`.
   */
  readonly tenantId: string;
  /** SMS text of a code, with `{code}`, at most 320 characters. @default 'Your verification code is {code}' */
  readonly codeTemplate?: string;
  /**
   * The secret that holds the hook's secret as Supabase shows it (`v1,whsec_…`; several,
   * separated by spaces, while rotating). @default a new secret with a placeholder: put the
   * hook's secret in it once Supabase shows it (until then every call is refused with
   * `SHIELD_NOT_CONFIGURED`)
   */
  readonly hookSecret?: ISecret;
}

/** Supabase Auth waits 5 seconds for an HTTP hook. */
const SUPABASE_HOOK_TIMEOUT = Duration.seconds(5);

/**
 * A Supabase project as a protected SMS interface: its Send SMS hook (Authentication > Hooks,
 * type HTTPS) calls {@link url}; the function verifies the Standard Webhooks signature with
 * {@link hookSecret}, judges the code through the shield (one tenant) and sends it only on allow.
 */
export class SmsShieldSupabaseSmsHook extends Construct {
  /** The hook function. */
  public readonly function: LambdaFunction;
  /** Its function URL (no IAM auth: every call must carry the hook's signature). */
  public readonly functionUrl: FunctionUrl;
  /** The URL to give Supabase as the hook's endpoint. */
  public readonly url: string;
  /** Where the hook's secret (`v1,whsec_…`) goes. */
  public readonly hookSecret: ISecret;
  /** The policy that lets {@link function} publish SMS (and nothing else on SNS). */
  public readonly smsPublishPolicy: Policy;

  constructor(scope: Construct, id: string, props: SmsShieldSupabaseSmsHookProps, sources: HookSources) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(props.tenantId)) {
      throw new Error(`SmsShield Supabase hook: tenantId must be 1–64 letters, digits, '_' or '-', got '${props.tenantId}'`);
    }
    const problem = props.codeTemplate === undefined ? undefined : templateProblem(props.codeTemplate);
    if (problem) throw new Error(`SmsShield Supabase hook: codeTemplate ${problem}`);
    const { tables, secrets, config } = sources;

    const ownSecret =
      props.hookSecret === undefined
        ? new Secret(this, 'HookSecret', {
            description: `SMS Shield: the Supabase Send SMS hook's secret (v1,whsec_…) for tenant ${props.tenantId}; put it in once Supabase shows it`,
            generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
            removalPolicy: config.removalPolicy,
          })
        : undefined;
    this.hookSecret = props.hookSecret ?? (ownSecret as Secret);

    const { role, logGroup } = buildFunctionRole(
      this,
      { role: 'HookRole', logGroup: 'HookLogs' },
      'SMS Shield Supabase Send SMS hook',
      config.logRetention,
      config.removalPolicy,
    );
    const base = prebuiltFunctionDefaults('supabase-sms-hook', config.sourceMaps);
    this.function = new LambdaFunction(this, 'HookFunction', {
      ...base,
      description: `SMS Shield: judges and sends the codes of a Supabase project (tenant ${props.tenantId})`,
      memorySize: 1024,
      timeout: SUPABASE_HOOK_TIMEOUT,
      role,
      logGroup,
      layers: [sources.geoLayer],
      environment: {
        ...base.environment,
        [ENV.SUPABASE_TENANT_ID]: props.tenantId,
        [ENV.SUPABASE_HOOK_SECRET_ARN]: this.hookSecret.secretArn,
        [ENV.DEFAULT_MODE]: config.defaultMode,
        [ENV.COUNTERS_TABLE]: tables.countersTable.tableName,
        [ENV.LISTS_TABLE]: tables.listsTable.tableName,
        [ENV.TENANTS_TABLE]: tables.tenantsTable.tableName,
        [ENV.VERIFICATIONS_TABLE]: tables.verificationsTable.tableName,
        [ENV.EVENTS_TABLE]: tables.eventsTable.tableName,
        [ENV.HASH_SECRET_ARN]: secrets.hashSecret.secretArn,
        [GEO_DIR_ENV]: LAMBDA_GEO_DIR,
        ...(props.codeTemplate !== undefined && { [ENV.SUPABASE_CODE_TEMPLATE]: props.codeTemplate }),
        ...(config.senderId !== undefined && { [ENV.SENDER_ID]: config.senderId }),
      },
    });
    grantTableAccess(role, TABLE_ACCESS.supabaseSmsHook, tablesByName(tables));
    secrets.hashSecret.grantRead(role);
    this.hookSecret.grantRead(role);
    if (config.allianceSecret) {
      this.function.addEnvironment(ENV.ALLIANCE_SECRET_ARN, config.allianceSecret.secretArn);
      config.allianceSecret.grantRead(role);
    }
    this.smsPublishPolicy = grantSmsPublish(this, role);

    // Supabase calls from its own servers with a signature, not with AWS credentials.
    this.functionUrl = this.function.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    this.url = this.functionUrl.url;

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Pinned to nodejs22.x like the API function, matching the esbuild target node22; upgraded together, deliberately.',
    });
    Validations.of(this.smsPublishPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'sns:Publish to a phone number has no resource ARN, so the Allow must use "*" (no SNS condition key ' +
        'covers phone numbers); it is limited to this region, and a Deny on every SNS ARN excludes topics and endpoints.',
    });
    if (ownSecret) {
      Validations.of(ownSecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Supabase generates the hook secret and shows it once; rotating it means generating a new one in Supabase and ' +
          'putting both into this secret until Supabase signs with the new one, a manual step no rotation Lambda can do.',
      });
    }
  }

  /** The role of {@link function}: it sends SMS, so it is never guarded against doing so. */
  public get senderRole(): Role {
    return this.function.role as Role;
  }
}
