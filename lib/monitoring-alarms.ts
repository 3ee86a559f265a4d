import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE } from '../lambdas/shared/metric-names.js';
import { FIVE_MINUTES, GATEWAY_THROTTLED_METRIC, gatewayThrottledMetric, shieldMetric, snsSmsMetric } from './monitoring-metrics.js';
import type { ResolvedMonitoringOptions } from './monitoring-options.js';

/** What the alarms watch besides the SmsShield metrics. */
export interface AlarmSources {
  /** The API function (its throttles). */
  readonly apiFunction: IFunction;
  /** The HTTP API (its 5xx and request counts). */
  readonly api: IHttpApi;
  /** The API's access logs, from which gateway throttles are counted. */
  readonly accessLogs: ILogGroup;
}

/** The alarms of {@link buildAlarms}. */
export interface MonitoringAlarms {
  readonly spendAlarm: Alarm;
  readonly blockRateAlarm: Alarm;
  readonly errorRateAlarm: Alarm;
  readonly functionThrottleAlarm: Alarm;
  readonly gatewayThrottleAlarm: Alarm;
  readonly smsSpendLimitAlarm: Alarm;
  readonly smsDeliveryAlarm: Alarm;
  /** A verdict met a cost guardrail (country burst cap or daily budget). */
  readonly costGuardrailAlarm: Alarm;
  /** The joint-defense job dropped evidence: a minute had more verdict events than it folds, or a partial hit its tenant cap. */
  readonly jointDefenseDroppedAlarm: Alarm;
}

const ONE_HOUR = Duration.hours(1);

/**
 * Every alarm of the monitoring, created in `scope` without actions: spend spike and block-rate
 * spike (the shield's metrics), API 5xx rate and throttles (API Gateway, Lambda), the account's
 * SMS spend against its limit and SMS delivery failures (Amazon SNS).
 */
export function buildAlarms(scope: Construct, sources: AlarmSources, options: ResolvedMonitoringOptions): MonitoringAlarms {
  const { spendUsd, blockRate, minVerdicts, errorRate } = options;
  const spendAlarm = new Alarm(scope, 'SpendSpikeAlarm', {
    alarmDescription: `SMS Shield: estimated SMS spend above ${spendUsd} USD in one hour (estimate from the bundled price table)`,
    metric: shieldMetric(METRIC.estimatedSpend, 'Sum', ONE_HOUR),
    threshold: spendUsd,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  const blockRateAlarm = new Alarm(scope, 'BlockRateSpikeAlarm', {
    alarmDescription: `SMS Shield: more than ${blockRate}% of verdicts blocked for 15 minutes (an attack, or a rule hurting real users)`,
    metric: new MathExpression({
      expression: `IF(verdicts >= ${minVerdicts}, 100 * blocked / verdicts, 0)`,
      usingMetrics: { verdicts: shieldMetric(METRIC.verdicts), blocked: shieldMetric(METRIC.blocked) },
      label: 'blocked %',
      period: FIVE_MINUTES,
    }),
    threshold: blockRate,
    evaluationPeriods: 3,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  // The function turns every failure (DynamoDB, SNS, a bug) into a 5xx response, so Lambda's
  // Errors stays at zero: the API's 5xx count is what sees them.
  const errorRateAlarm = new Alarm(scope, 'ErrorRateAlarm', {
    alarmDescription: `SMS Shield: API 5xx responses above ${errorRate}% of requests for 10 minutes (store or SNS failures, bugs, timeouts)`,
    metric: new MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: sources.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
        requests: sources.api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
      },
      label: '5xx %',
      period: FIVE_MINUTES,
    }),
    threshold: errorRate,
    evaluationPeriods: 2,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  const functionThrottleAlarm = new Alarm(scope, 'FunctionThrottleAlarm', {
    alarmDescription: 'SMS Shield: the API function was throttled (account or reserved concurrency exhausted): requests are failing',
    metric: sources.apiFunction.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  return {
    spendAlarm,
    blockRateAlarm,
    errorRateAlarm,
    functionThrottleAlarm,
    gatewayThrottleAlarm: buildGatewayThrottleAlarm(scope, sources, options),
    costGuardrailAlarm: new Alarm(scope, 'CostGuardrailAlarm', {
      alarmDescription:
        'SMS Shield: a tenant met a cost guardrail (SMS to one country per 10 minutes, or estimated spend on it today): ' +
        'refused in enforce mode, sent and named in monitor mode. Look at COUNTRY_BURST_CAP and COUNTRY_BUDGET verdicts.',
      metric: shieldMetric(METRIC.costGuardrailHits),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
    jointDefenseDroppedAlarm: new Alarm(scope, 'JointDefenseDroppedAlarm', {
      alarmDescription:
        'SMS Shield: the joint-defense job dropped evidence: a minute had more verdict events than it folds (it judged the newest), ' +
        'or more tenants on one subject in a minute than a partial keeps. Raise peakVerdictsPerSecond (the job memory follows) or look for a flood.',
      metric: new MathExpression({
        expression: 'truncated + saturated',
        usingMetrics: { truncated: shieldMetric(METRIC.jointDefenseTruncated), saturated: shieldMetric(METRIC.jointDefenseSaturated) },
        label: 'evidence dropped',
        period: FIVE_MINUTES,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
    ...buildSnsSmsAlarms(scope, options),
  };
}

/** 429s that API Gateway answered itself (the function was never called), from the access logs. */
function buildGatewayThrottleAlarm(scope: Construct, sources: AlarmSources, options: ResolvedMonitoringOptions): Alarm {
  new MetricFilter(scope, 'GatewayThrottledFilter', {
    logGroup: sources.accessLogs,
    // The function's own 429s (tenant usage limit, device tokens) have an integration status.
    filterPattern: FilterPattern.all(FilterPattern.stringValue('$.status', '=', '429'), FilterPattern.stringValue('$.integrationStatus', '=', '-')),
    metricNamespace: METRICS_NAMESPACE,
    metricName: GATEWAY_THROTTLED_METRIC,
    metricValue: '1',
    dimensions: { ApiId: '$.apiId' },
  });
  const { throttledRequests } = options;
  return new Alarm(scope, 'GatewayThrottleAlarm', {
    alarmDescription:
      `SMS Shield: API Gateway refused ${throttledRequests} or more requests with 429 in 5 minutes ` +
      '(tenants over the stage throttle, or a flood on the public routes)',
    metric: gatewayThrottledMetric(sources.api),
    threshold: throttledRequests,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/** What Amazon SNS reports for the whole account in this region: spend against the limit, delivery. */
function buildSnsSmsAlarms(scope: Construct, options: ResolvedMonitoringOptions): Pick<MonitoringAlarms, 'smsSpendLimitAlarm' | 'smsDeliveryAlarm'> {
  const { smsSpendLimitUsd, smsSpendPercent, smsSpendAlarmUsd, smsDeliveryFailure, smsDeliveryMinSent } = options;
  const smsSpendLimitAlarm = new Alarm(scope, 'SmsSpendLimitAlarm', {
    alarmDescription:
      `SMS Shield: the account's SMS spend this month reached ${smsSpendAlarmUsd} USD, ${smsSpendPercent}% of its ` +
      `${smsSpendLimitUsd} USD limit: SNS stops sending every SMS at the limit`,
    metric: snsSmsMetric('SMSMonthToDateSpentUSD', 'Maximum', ONE_HOUR),
    threshold: smsSpendAlarmUsd,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    // SNS reports the spend only while SMS go out: an hour without sends keeps the state.
    treatMissingData: TreatMissingData.IGNORE,
  });
  const smsDeliveryAlarm = new Alarm(scope, 'SmsDeliveryAlarm', {
    alarmDescription:
      `SMS Shield: more than ${smsDeliveryFailure}% of SMS not delivered in one hour ` +
      '(SMS pumping to numbers that never answer, or carriers filtering the sender)',
    metric: new MathExpression({
      expression: `IF(sent >= ${smsDeliveryMinSent}, 100 * (1 - success), 0)`,
      usingMetrics: { sent: shieldMetric(METRIC.smsSent, 'Sum', ONE_HOUR), success: snsSmsMetric('SMSSuccessRate', 'Average', ONE_HOUR) },
      label: 'not delivered %',
      period: ONE_HOUR,
    }),
    threshold: smsDeliveryFailure,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  return { smsSpendLimitAlarm, smsDeliveryAlarm };
}

/** Send each alarm, and its return to OK, to `topic`. */
export function notifyTopic(topic: ITopic, alarms: readonly Alarm[]): void {
  const action = new SnsAction(topic);
  for (const alarm of alarms) {
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
