import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
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

/**
 * Requests API Gateway itself refused with 429 (stage or route throttle), counted by a metric
 * filter on the access logs (namespace `SmsShield`, dimension `ApiId`): HTTP APIs publish no
 * throttle metric, and their `4xx` mixes throttles with the function's own 4xx and 429s.
 */
export const GATEWAY_THROTTLED_METRIC = 'GatewayThrottledRequests';

/** {@link GATEWAY_THROTTLED_METRIC} of one API, summed over 5 minutes. */
export function gatewayThrottledMetric(api: IHttpApi): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: GATEWAY_THROTTLED_METRIC,
    dimensionsMap: { ApiId: api.apiId },
    statistic: 'Sum',
    period: FIVE_MINUTES,
  });
}

/** An account-level SMS metric of Amazon SNS in this region (namespace `AWS/SNS`, no dimension). */
export function snsSmsMetric(metricName: 'SMSMonthToDateSpentUSD' | 'SMSSuccessRate', statistic: string, period: Duration): Metric {
  return new Metric({ namespace: 'AWS/SNS', metricName, statistic, period });
}
