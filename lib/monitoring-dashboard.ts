import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Dashboard, GraphWidget, MathExpression, SingleValueWidget, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE } from '../lambdas/shared/metric-names.js';
import type { MonitoringAlarms } from './monitoring-alarms.js';
import { FIVE_MINUTES, gatewayThrottledMetric, shieldMetric as shield, snsSmsMetric, topSeries } from './monitoring-metrics.js';
import type { ResolvedMonitoringOptions } from './monitoring-options.js';

/** What the dashboard graphs besides the SmsShield metrics. */
export interface DashboardSources {
  /** The API function first (labelled `api`), then the others (`fn1`, `fn2`…). */
  readonly functions: readonly IFunction[];
  /** Tables whose throttled reads and writes are graphed. */
  readonly tables: readonly ITable[];
}

/**
 * The dashboard with every row but the alarm row (see {@link addAlarmRow}): sent vs. blocked,
 * cost, top reasons, countries and tenants, latency, Lambda and DynamoDB throttles, joint defense.
 */
export function buildDashboard(scope: Construct, sources: DashboardSources, dashboardName: string | undefined): Dashboard {
  const dashboard = new Dashboard(scope, 'Dashboard', { dashboardName, defaultInterval: Duration.hours(6) });
  dashboard.addWidgets(
    new TextWidget({
      markdown: '## SMS Shield\nCost figures are **estimates**: SMS × a bundled per-country price table (`lambdas/shared/sms-prices.ts`), one segment each.',
      width: 24,
      height: 2,
    }),
  );
  dashboard.addWidgets(
    new GraphWidget({
      title: 'SMS sent vs. blocked',
      left: [
        shield(METRIC.smsSent).with({ label: 'sent' }),
        shield(METRIC.blocked).with({ label: 'blocked' }),
        shield(METRIC.challenged).with({ label: 'challenged' }),
      ],
      width: 12,
    }),
    new SingleValueWidget({
      title: 'Estimated cost (USD)',
      metrics: [
        shield(METRIC.estimatedCostAvoided, 'Sum', Duration.days(1)).with({ label: 'avoided, 24 h' }),
        shield(METRIC.estimatedSpend, 'Sum', Duration.days(1)).with({ label: 'spent, 24 h' }),
      ],
      width: 6,
    }),
    new GraphWidget({
      title: 'Estimated cost avoided (USD)',
      left: [shield(METRIC.estimatedCostAvoided, 'Sum', Duration.hours(1)).with({ label: 'avoided per hour' })],
      width: 6,
    }),
  );
  dashboard.addWidgets(
    new GraphWidget({ title: 'Top block and challenge reasons', left: [topSeries(METRIC.refusalReasons, 'reason', 'reasons')], width: 8 }),
    new GraphWidget({ title: 'Top refused countries', left: [topSeries(METRIC.refusedByCountry, 'country', 'refused')], width: 8 }),
    new GraphWidget({ title: 'Top sent countries', left: [topSeries(METRIC.sentByCountry, 'country', 'sent')], width: 8 }),
  );
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Top tenants by blocked verdicts',
      left: [
        new MathExpression({
          expression: `SORT(SEARCH('{${METRICS_NAMESPACE},service,tenant,decision} MetricName="${METRIC.verdictsByTenant}" decision="block"', 'Sum', 300), SUM, DESC, 10)`,
          usingMetrics: {},
          label: 'blocked',
          period: FIVE_MINUTES,
        }),
      ],
      width: 12,
    }),
    new GraphWidget({
      title: 'SMS with unknown outcome (provider timeouts)',
      left: [shield(METRIC.smsOutcomeUnknown).with({ label: 'outcome unknown (504)' })],
      width: 12,
    }),
  );
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Verdict latency (ms)',
      left: [shield(METRIC.verdictLatency, 'p50').with({ label: 'p50' }), shield(METRIC.verdictLatency, 'p99').with({ label: 'p99' })],
      width: 8,
    }),
    new GraphWidget({
      title: 'Lambda errors and throttles',
      left: sources.functions.flatMap((f, i) => [
        f.metricErrors({ period: FIVE_MINUTES, label: `errors ${i === 0 ? 'api' : `fn${i}`}` }),
        f.metricThrottles({ period: FIVE_MINUTES, label: `throttles ${i === 0 ? 'api' : `fn${i}`}` }),
      ]),
      width: 8,
    }),
    new GraphWidget({
      title: 'DynamoDB throttled requests',
      left: sources.tables.flatMap((t) => [
        t.metric('ReadThrottleEvents', { statistic: 'Sum', period: FIVE_MINUTES }),
        t.metric('WriteThrottleEvents', { statistic: 'Sum', period: FIVE_MINUTES }),
      ]),
      width: 8,
    }),
  );
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Joint defense: events folded per run',
      left: [shield(METRIC.jointDefenseEvents, 'Maximum').with({ label: 'events (max per run)' })],
      right: [
        shield(METRIC.jointDefenseTruncated, 'Sum').with({ label: 'minutes cut at what the job holds' }),
        shield(METRIC.jointDefenseSaturated, 'Sum').with({ label: 'subjects past the tenant cap' }),
      ],
      width: 8,
    }),
    new GraphWidget({
      title: 'Joint defense: shared reputation',
      left: [
        shield(METRIC.jointDefensePromoted, 'Maximum').with({ label: 'promoted (max per run)' }),
        shield(METRIC.jointDefenseWritten, 'Sum').with({ label: 'written' }),
      ],
      width: 8,
    }),
    new GraphWidget({ title: 'Joint defense: promotions by reason', left: [topSeries(METRIC.jointDefenseByReason, 'reason', 'promoted')], width: 8 }),
  );
  return dashboard;
}

/**
 * The last rows: what the alarms see, with their thresholds — block rate, API 5xx rate and
 * requests (gateway throttles included), and the account's SMS spend and delivery as Amazon SNS
 * reports them.
 */
export function addAlarmRows(dashboard: Dashboard, alarms: MonitoringAlarms, api: IHttpApi, options: ResolvedMonitoringOptions): void {
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Block rate (%)',
      left: [alarms.blockRateAlarm.metric],
      leftAnnotations: [{ value: options.blockRate, label: 'alarm' }],
      width: 8,
    }),
    new GraphWidget({
      title: 'API 5xx responses (% of requests)',
      left: [alarms.errorRateAlarm.metric],
      leftAnnotations: [{ value: options.errorRate, label: 'alarm' }],
      width: 8,
    }),
    new GraphWidget({
      title: 'API requests',
      left: [
        api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum', label: 'requests' }),
        api.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum', label: '4xx' }),
        api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum', label: '5xx' }),
      ],
      right: [gatewayThrottledMetric(api).with({ label: 'throttled by API Gateway (429)' })],
      rightAnnotations: [{ value: options.throttledRequests, label: 'throttle alarm' }],
      width: 8,
    }),
  );
  dashboard.addWidgets(
    new TextWidget({
      markdown:
        "### SMS in this account (Amazon SNS)\nEvery SMS the account sends in this region, not only the shield's: " +
        `SNS stops sending at the monthly spend limit (${options.smsSpendLimitUsd} USD as configured).`,
      width: 8,
      height: 6,
    }),
    new GraphWidget({
      title: 'SMS spend this month (USD, account)',
      left: [snsSmsMetric('SMSMonthToDateSpentUSD', 'Maximum', Duration.hours(1)).with({ label: 'month to date' })],
      leftAnnotations: [
        { value: options.smsSpendLimitUsd, label: 'spend limit' },
        { value: options.smsSpendAlarmUsd, label: 'alarm' },
      ],
      width: 8,
    }),
    new GraphWidget({
      title: 'SMS not delivered (%, account)',
      left: [alarms.smsDeliveryAlarm.metric],
      leftAnnotations: [{ value: options.smsDeliveryFailure, label: 'alarm' }],
      width: 8,
    }),
  );
}
