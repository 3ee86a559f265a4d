import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { METRIC } from '../lambdas/shared/metric-names.js';
import { FIVE_MINUTES, shieldMetric } from './monitoring-metrics.js';
import type { ResolvedMonitoringOptions } from './monitoring-options.js';

/** The three alarms of {@link buildAlarms}. */
export interface MonitoringAlarms {
  readonly spendAlarm: Alarm;
  readonly blockRateAlarm: Alarm;
  readonly errorRateAlarm: Alarm;
}

/** Spend spike, block-rate spike and API error rate, created in `scope` without actions. */
export function buildAlarms(scope: Construct, apiFunction: IFunction, options: ResolvedMonitoringOptions): MonitoringAlarms {
  const { spendUsd, blockRate, minVerdicts, errorRate } = options;
  const spendAlarm = new Alarm(scope, 'SpendSpikeAlarm', {
    alarmDescription: `SMS Shield: estimated SMS spend above ${spendUsd} USD in one hour (estimate from the bundled price table)`,
    metric: shieldMetric(METRIC.estimatedSpend, 'Sum', Duration.hours(1)),
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
  const errorRateAlarm = new Alarm(scope, 'ErrorRateAlarm', {
    alarmDescription: `SMS Shield: API function errors above ${errorRate}% of invocations for 10 minutes`,
    metric: new MathExpression({
      expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
      usingMetrics: {
        errors: apiFunction.metricErrors({ period: FIVE_MINUTES }),
        invocations: apiFunction.metricInvocations({ period: FIVE_MINUTES }),
      },
      label: 'error %',
      period: FIVE_MINUTES,
    }),
    threshold: errorRate,
    evaluationPeriods: 2,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  return { spendAlarm, blockRateAlarm, errorRateAlarm };
}

/** Send each alarm, and its return to OK, to `topic`. */
export function notifyTopic(topic: ITopic, alarms: readonly Alarm[]): void {
  const action = new SnsAction(topic);
  for (const alarm of alarms) {
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
