import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Function as JobFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENV } from '../lambdas/shared/env.js';
import { buildFunctionRole, prebuiltFunctionDefaults } from './lambda-defaults.js';
import { grantTableAccess, TABLE_ACCESS } from './tables.js';

/** Settings of {@link buildJointDefenseJob}. */
export interface JointDefenseJobProps {
  /** How often the job runs (whole minutes, validated with the shield's props). */
  readonly schedule: Duration;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Ship source maps and enable them at run time (see `SmsShieldProps.sourceMaps`). */
  readonly sourceMaps: boolean;
  /** Read: the verdict events; written: the job's per-minute partials (`p#<minute>`). */
  readonly eventsTable: Table;
  /** Partitions per minute of the events, as the API function writes them (`eventShardsFor`). */
  readonly eventShards: number;
  /** Written: shared reputation. */
  readonly listsTable: Table;
  /** The function's memory, MiB: the window's partials at the stated peak (`jobMemoryFor`). */
  readonly memorySize: number;
}

/** The job, its schedule and its two alarms. */
export interface JointDefenseJob {
  readonly fn: JobFunction;
  readonly rule: Rule;
  /** A run failed in the last 5 minutes. */
  readonly alarm: Alarm;
  /** No run in 15 minutes. */
  readonly stalled: Alarm;
}

/**
 * The joint-defense job: its own role (its log group; Query on Events and PutItem of its
 * per-minute partials there; BatchGetItem and PutItem on the Lists table itself, not its index;
 * no secret, no SNS), the schedule, and the alarms. Runs are idempotent, so a failed run is not retried: the next one covers it.
 */
export function buildJointDefenseJob(scope: Construct, props: JointDefenseJobProps): JointDefenseJob {
  const { role, logGroup } = buildFunctionRole(
    scope,
    { role: 'JointDefenseRole', logGroup: 'JointDefenseLogs' },
    'SMS Shield joint-defense job',
    props.logRetention,
    props.removalPolicy,
  );
  grantTableAccess(role, TABLE_ACCESS.jointDefense, { Events: props.eventsTable, Lists: props.listsTable });

  const base = prebuiltFunctionDefaults('joint-defense-job', props.sourceMaps);
  const fn = new JobFunction(scope, 'JointDefenseFunction', {
    ...base,
    memorySize: props.memorySize,
    // Well inside the one-minute cadence: a run that cannot finish in time fails loudly.
    timeout: Duration.seconds(50),
    retryAttempts: 0,
    role,
    logGroup,
    environment: {
      ...base.environment,
      [ENV.EVENTS_TABLE]: props.eventsTable.tableName,
      [ENV.EVENT_SHARDS]: String(props.eventShards),
      [ENV.LISTS_TABLE]: props.listsTable.tableName,
    },
  });

  const rule = new Rule(scope, 'JointDefenseSchedule', {
    description: 'Runs the SMS Shield joint-defense job',
    schedule: Schedule.rate(props.schedule),
    targets: [new LambdaFunction(fn, { retryAttempts: 0 })],
  });
  const alarm = new Alarm(scope, 'JointDefenseFailureAlarm', {
    alarmDescription: 'SMS Shield joint-defense job failed: shared reputation (bombing victims, pumped ranges) is not being refreshed',
    metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  const stalled = new Alarm(scope, 'JointDefenseStalledAlarm', {
    alarmDescription: 'SMS Shield joint-defense job has not run for 15 minutes (schedule disabled or invocations failing)',
    metric: fn.metricInvocations({ period: Duration.minutes(15), statistic: 'Sum' }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
    treatMissingData: TreatMissingData.BREACHING,
  });
  return { fn, rule, alarm, stalled };
}
