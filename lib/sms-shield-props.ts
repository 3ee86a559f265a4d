import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { SmsShieldMonitoringOptions } from './sms-shield-monitoring.js';
import type { SmsShieldPublicEdgeOptions } from './sms-shield-public-edge.js';

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
   * Ship the bundles' source maps and turn them on at run time (`--enable-source-maps`), so stack
   * traces name source files. Off by default: the maps are larger than the code, and the option
   * costs start-up time and memory on every cold start.
   * @default false
   */
  readonly sourceMaps?: boolean;
  /**
   * Memory of the API function in MiB (128–10240).
   * @default - 1024
   */
  readonly memorySize?: number;
  /**
   * Reserved concurrency of the API function: at most this many run at once, and the account
   * keeps them for it. A flood then throttles the shield (the function throttle alarm fires)
   * instead of taking the concurrency every other function of the account needs, and a burst
   * of sends is capped too. A positive integer; the account must keep 100 unreserved.
   * @default - none: the function shares the account's unreserved concurrency
   */
  readonly reservedConcurrency?: number;
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
   * denies direct SMS and calls to phone numbers (see {@link SmsShield.directSmsGuardrail}),
   * attached to the roles named here.
   * @default - the policy is created but attached to no role
   */
  readonly guardrail?: SmsShieldGuardrailProps;
  /**
   * The dashboard and alarms: thresholds and the optional topic alarms notify.
   * @default - the SmsShieldMonitoring defaults, alarms without actions
   */
  readonly monitoring?: SmsShieldMonitoringOptions;
  /**
   * The highest rate of verdicts (sends and verdict-only calls together, per second) the
   * deployment is sized for. The Events table's partitions per minute are derived from it
   * (`ceil(2 × peak / 500)`: a verdict and its code's verification are two events) so that no
   * partition key takes more than half of DynamoDB's per-partition write limit at that peak. Raising it is safe at any time; lowering it hides
   * events written to the partitions dropped until they leave the job's one-hour window.
   * An integer from 1 to 1,000,000.
   * @default 10_000
   */
  readonly peakVerdictsPerSecond?: number;
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
  /**
   * Generation of the admin key the deployment issues into {@link SmsShield.adminKeySecret}: a
   * positive integer. The first deployment issues one; changing the number issues a fresh key
   * into the secret and revokes the one issued before. That is the way back when every admin
   * key was revoked or one leaked; a deployment with the same number leaves the key alone.
   * @default 1
   */
  readonly adminKeyGeneration?: number;
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
   * Also deny AWS End User Messaging and Amazon Pinpoint sends: `sms-voice:Send*` (SMS, MMS,
   * voice messages, verification codes, Notify), `mobiletargeting:Send*` and Pinpoint campaigns
   * and journeys, and End User Messaging Social (WhatsApp). Set to false if these roles send
   * through them on purpose.
   * @default - true
   */
  readonly denyEndUserMessagingSms?: boolean;
  /**
   * Also deny outbound calls and texts from contact centers and telephony: Amazon Connect
   * (`StartOutboundVoiceContact`, `StartOutboundChatContact`), Connect outbound campaigns
   * (`PutDialRequestBatch`, `PutOutboundRequestBatch`) and the Chime SDK
   * (`CreateSipMediaApplicationCall`, `CreateMeetingDialOut`). Set to false if these roles
   * run a contact center.
   * @default - true
   */
  readonly denyContactCenterOutreach?: boolean;
}
