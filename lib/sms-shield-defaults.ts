import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { DEFAULT_PEAK_VERDICTS_PER_SECOND } from '../lambdas/adapters/dynamo/schema.js';
import type { SmsShieldMonitoringOptions } from './sms-shield-monitoring.js';
import type { SmsShieldProps, SmsShieldThrottle } from './sms-shield-props.js';
import type { SmsShieldPublicEdgeOptions } from './sms-shield-public-edge.js';

/** Stage default throttle: the tenants' total. */
export const DEFAULT_THROTTLE: SmsShieldThrottle = { rateLimit: 100, burstLimit: 200 };
/** Throttle of each public route. */
export const DEFAULT_PUBLIC_ROUTE_THROTTLE: SmsShieldThrottle = { rateLimit: 20, burstLimit: 40 };
/** Live entries one list scope may hold. */
export const DEFAULT_MAX_LIST_ENTRIES = 5_000;
/** Memory of the API function, MiB. */
export const DEFAULT_MEMORY_SIZE = 1024;

/** {@link SmsShieldProps} with every default applied: what the build steps read. */
export interface ResolvedSmsShieldProps {
  readonly defaultMode: 'enforce' | 'shadow';
  readonly senderId: string | undefined;
  readonly removalPolicy: RemovalPolicy;
  readonly throttle: SmsShieldThrottle;
  readonly publicRouteThrottle: SmsShieldThrottle;
  readonly logRetention: RetentionDays;
  readonly sourceMaps: boolean;
  readonly memorySize: number;
  readonly reservedConcurrency: number | undefined;
  readonly jointDefenseSchedule: Duration;
  readonly allianceSecret: ISecret | undefined;
  readonly guardrailRoles: readonly IRole[];
  readonly denyEndUserMessagingSms: boolean;
  readonly denyContactCenterOutreach: boolean;
  readonly monitoring: SmsShieldMonitoringOptions;
  readonly maxListEntries: number;
  readonly peakVerdictsPerSecond: number;
  readonly publicEdge: SmsShieldPublicEdgeOptions | undefined;
  readonly adminKeyGeneration: number;
}

/** The one place where the defaults documented on {@link SmsShieldProps} are applied. */
export function resolveProps(props: SmsShieldProps): ResolvedSmsShieldProps {
  return {
    defaultMode: props.defaultMode ?? 'enforce',
    senderId: props.senderId,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    throttle: props.throttle ?? DEFAULT_THROTTLE,
    publicRouteThrottle: props.publicRouteThrottle ?? DEFAULT_PUBLIC_ROUTE_THROTTLE,
    logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
    sourceMaps: props.sourceMaps ?? false,
    memorySize: props.memorySize ?? DEFAULT_MEMORY_SIZE,
    reservedConcurrency: props.reservedConcurrency,
    jointDefenseSchedule: props.jointDefenseSchedule ?? Duration.minutes(1),
    allianceSecret: props.allianceSecret,
    guardrailRoles: props.guardrail?.roles ?? [],
    denyEndUserMessagingSms: props.guardrail?.denyEndUserMessagingSms ?? true,
    denyContactCenterOutreach: props.guardrail?.denyContactCenterOutreach ?? true,
    monitoring: props.monitoring ?? {},
    maxListEntries: props.maxListEntries ?? DEFAULT_MAX_LIST_ENTRIES,
    peakVerdictsPerSecond: props.peakVerdictsPerSecond ?? DEFAULT_PEAK_VERDICTS_PER_SECOND,
    publicEdge: props.publicEdge,
    adminKeyGeneration: props.adminKeyGeneration ?? 1,
  };
}
