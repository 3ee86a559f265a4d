import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../lambdas/shared/metric-names.js';

/** The period of every graph and alarm but the hourly and daily cost figures. */
export const FIVE_MINUTES = Duration.minutes(5);

/** A total the API function emits (namespace `SmsShield`, dimension `service` only). */
export function shieldMetric(metricName: string, statistic = 'Sum', period = FIVE_MINUTES): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: METRICS_SERVICE }, statistic, period });
}

/** The ten largest series of a breakdown metric (one small dimension besides `service`), by sum. */
export function topSeries(metricName: string, dimension: string, label: string): MathExpression {
  return new MathExpression({
    expression: `SORT(SEARCH('{${METRICS_NAMESPACE},service,${dimension}} MetricName="${metricName}"', 'Sum', 300), SUM, DESC, 10)`,
    usingMetrics: {},
    label,
    period: FIVE_MINUTES,
  });
}
