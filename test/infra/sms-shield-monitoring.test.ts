import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE } from '../../lambdas/shared/metric-names';
import { GATEWAY_THROTTLED_METRIC } from '../../lib/monitoring-metrics';
import type { SmsShieldProps } from '../../lib/sms-shield';
import { SmsShieldStack } from '../../lib/sms-shield-stack';

function synth(props?: SmsShieldProps, withTopic = false) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  let topicStack: Stack | undefined;
  let shieldProps = props;
  if (withTopic) {
    topicStack = new Stack(app, 'Topics');
    shieldProps = { ...props, monitoring: { ...props?.monitoring, alarmTopic: new Topic(topicStack, 'Alarms') } };
  }
  const stack = new SmsShieldStack(app, 'Test', { shield: shieldProps });
  const template = Template.fromStack(stack);
  return { stack, template };
}

type Widget = { type: string; properties: { title?: string; metrics?: unknown[][] } };

/** The dashboard's widgets: the body's `Fn::Join` parts joined, each token replaced by a placeholder, parsed. */
function dashboardWidgets(template: Template): Widget[] {
  const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
  expect(Object.keys(dashboards)).toHaveLength(1);
  const body = Object.values(dashboards)[0]?.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return (JSON.parse(text) as { widgets: Widget[] }).widgets;
}

/** Each metric line of a widget as `namespace/name[/stat]`, or the expression of a math line. */
function lines(widget: Widget | undefined): string[] {
  return (widget?.properties.metrics ?? []).map((line) => {
    const options = line[line.length - 1] as { expression?: string; stat?: string };
    if (options.expression) return options.expression;
    return `${String(line[0])}/${String(line[1])}${options.stat ? `/${options.stat}` : ''}`;
  });
}

type MetricQuery = {
  Id: string;
  Expression?: string;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: unknown[] }; Stat: string; Period: number };
};

/** The plain metrics of an alarm's metric math, by id: namespace, name, dimensions, statistic, period. */
function statsOf(parts: MetricQuery[]): Record<string, unknown> {
  return Object.fromEntries(
    parts.flatMap((m) => (m.MetricStat ? [[m.Id, { ...m.MetricStat.Metric, Stat: m.MetricStat.Stat, Period: m.MetricStat.Period }]] : [])),
  );
}

const alarmsOf = (template: Template) => Object.values(template.findResources('AWS::CloudWatch::Alarm')) as { Properties: Record<string, any> }[];
const alarmBy = (template: Template, description: RegExp) => {
  const found = alarmsOf(template).filter((a) => description.test(String(a.Properties.AlarmDescription)));
  expect(found).toHaveLength(1);
  return found[0]!.Properties;
};

describe('SmsShield monitoring', () => {
  it('creates one dashboard with sent vs. blocked, reasons, countries, cost, latency, Lambda and DynamoDB panels', () => {
    const widgets = dashboardWidgets(synth().template);
    const byTitle = (title: string) => widgets.find((w) => w.properties.title === title);
    const ns = METRICS_NAMESPACE;
    expect(lines(byTitle('SMS sent vs. blocked'))).toEqual(expect.arrayContaining([`${ns}/${METRIC.smsSent}/Sum`, `${ns}/${METRIC.blocked}/Sum`]));
    expect(lines(byTitle('Top block and challenge reasons'))[0]).toMatch(
      new RegExp(`SEARCH\\('\\{${ns},service,reason\\} MetricName="${METRIC.refusalReasons}"`),
    );
    expect(lines(byTitle('Top refused countries'))[0]).toContain(`MetricName="${METRIC.refusedByCountry}"`);
    expect(lines(byTitle('Estimated cost avoided (USD)'))).toEqual([`${ns}/${METRIC.estimatedCostAvoided}/Sum`]);
    expect(lines(byTitle('Verdict latency (ms)'))).toEqual([`${ns}/${METRIC.verdictLatency}/p50`, `${ns}/${METRIC.verdictLatency}/p99`]);
    const lambda = lines(byTitle('Lambda errors and throttles'));
    expect(lambda.filter((l) => l === 'AWS/Lambda/Errors/Sum')).toHaveLength(2);
    expect(lambda.filter((l) => l === 'AWS/Lambda/Throttles/Sum')).toHaveLength(2);
    const dynamo = lines(byTitle('DynamoDB throttled requests'));
    expect(dynamo.filter((l) => l === 'AWS/DynamoDB/ReadThrottleEvents/Sum')).toHaveLength(5);
    expect(dynamo.filter((l) => l === 'AWS/DynamoDB/WriteThrottleEvents/Sum')).toHaveLength(5);
    expect(lines(byTitle('Joint defense: events folded per run'))).toEqual([
      `${ns}/${METRIC.jointDefenseEvents}/Maximum`,
      `${ns}/${METRIC.jointDefenseTruncated}/Sum`,
      `${ns}/${METRIC.jointDefenseSaturated}/Sum`,
    ]);
    expect(lines(byTitle('Joint defense: shared reputation'))).toEqual([
      `${ns}/${METRIC.jointDefensePromoted}/Maximum`,
      `${ns}/${METRIC.jointDefenseWritten}/Sum`,
    ]);
    expect(lines(byTitle('Joint defense: promotions by reason'))[0]).toContain(`MetricName="${METRIC.jointDefenseByReason}"`);
    expect(lines(byTitle('Top tenants by blocked verdicts'))[0]).toMatch(
      new RegExp(`SEARCH\\('\\{${ns},service,tenant,decision\\} MetricName="${METRIC.verdictsByTenant}" decision="block"`),
    );
    expect(lines(byTitle('SMS with unknown outcome (provider timeouts)'))).toEqual([`${ns}/${METRIC.smsOutcomeUnknown}/Sum`]);
    expect(lines(byTitle('API requests'))).toEqual([
      'AWS/ApiGateway/Count/Sum',
      'AWS/ApiGateway/4xx/Sum',
      'AWS/ApiGateway/5xx/Sum',
      `${ns}/${GATEWAY_THROTTLED_METRIC}/Sum`,
    ]);
    expect(lines(byTitle('API 5xx responses (% of requests)'))).toEqual([
      'IF(requests > 0, 100 * errors / requests, 0)',
      'AWS/ApiGateway/5xx/Sum',
      'AWS/ApiGateway/Count/Sum',
    ]);
    expect(lines(byTitle('SMS spend this month (USD, account)'))).toEqual(['AWS/SNS/SMSMonthToDateSpentUSD/Maximum']);
    expect(lines(byTitle('SMS not delivered (%, account)'))[0]).toBe('IF(sent >= 20, 100 * (1 - success), 0)');
  });

  it('alarms on spend, block rate and error rate, without actions by default', () => {
    const { template } = synth();
    const spend = alarmBy(template, /estimated SMS spend/);
    expect(spend).toMatchObject({
      MetricName: METRIC.estimatedSpend,
      Namespace: METRICS_NAMESPACE,
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 20,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    const blockRate = alarmBy(template, /verdicts blocked/);
    expect(blockRate.Threshold).toBe(50);
    expect(blockRate.EvaluationPeriods).toBe(3);
    const expressions = blockRate.Metrics as { Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
    expect(expressions.find((m) => m.Expression)?.Expression).toBe('IF(verdicts >= 20, 100 * blocked / verdicts, 0)');
    expect(expressions.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : [])).sort()).toEqual([METRIC.verdicts, METRIC.blocked].sort());
    for (const alarm of alarmsOf(template)) expect(alarm.Properties.AlarmActions).toBeUndefined();
  });

  it("alarms on the API's 5xx share, which sees the failures the function answers itself", () => {
    const { stack, template } = synth();
    const errors = alarmBy(template, /API 5xx responses/);
    expect(errors).toMatchObject({ Threshold: 5, EvaluationPeriods: 2, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
    const parts = errors.Metrics as MetricQuery[];
    expect(parts.find((m) => m.Expression)?.Expression).toBe('IF(requests > 0, 100 * errors / requests, 0)');
    const apiId = { Ref: stack.getLogicalId(stack.shield.api.node.defaultChild as CfnElement) };
    expect(statsOf(parts)).toEqual({
      errors: { Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: apiId }], Stat: 'Sum', Period: 300 },
      requests: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiId', Value: apiId }], Stat: 'Sum', Period: 300 },
    });
    // Lambda Errors stays at zero when the handler answers 500: no alarm reads it for the API function.
    expect(JSON.stringify(errors)).not.toContain('"Errors"');
  });

  it('alarms when the API function is throttled, and when API Gateway throttles requests', () => {
    const { stack, template } = synth();
    expect(alarmBy(template, /API function was throttled/)).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: stack.getLogicalId(stack.shield.apiFunction.node.defaultChild as CfnElement) } }],
    });
    // API Gateway's own 429s, told apart from the function's (which have an integration status).
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter'));
    expect(filters).toHaveLength(1);
    const filter = filters[0]!.Properties;
    expect(filter.LogGroupName).toEqual({
      Ref: stack.getLogicalId(stack.node.findChild('SmsShield').node.findChild('ApiAccessLogs').node.defaultChild as CfnElement),
    });
    expect(filter.FilterPattern).toBe('{ ($.status = "429") && ($.integrationStatus = "-") }');
    expect(filter.MetricTransformations).toEqual([
      { MetricNamespace: METRICS_NAMESPACE, MetricName: GATEWAY_THROTTLED_METRIC, MetricValue: '1', Dimensions: [{ Key: 'ApiId', Value: '$.apiId' }] },
    ]);
    expect(alarmBy(template, /API Gateway refused 10 or more/)).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: GATEWAY_THROTTLED_METRIC,
      Dimensions: [{ Name: 'ApiId', Value: { Ref: stack.getLogicalId(stack.shield.api.node.defaultChild as CfnElement) } }],
      Statistic: 'Sum',
      Threshold: 10,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it("alarms on the account's SMS spend against its limit and on SMS delivery failures (AWS/SNS)", () => {
    const { template } = synth();
    // The metric has no dimension: it is the account's, in the stack's region.
    expect(alarmBy(template, /SMS spend this month reached/)).toEqual(
      expect.objectContaining({
        Namespace: 'AWS/SNS',
        MetricName: 'SMSMonthToDateSpentUSD',
        Statistic: 'Maximum',
        Period: 3600,
        Threshold: 0.8,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'ignore',
      }),
    );
    expect(alarmBy(template, /SMS spend this month reached/).Dimensions).toBeUndefined();
    const delivery = alarmBy(template, /SMS not delivered/);
    expect(delivery).toMatchObject({ Threshold: 20, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
    const parts = delivery.Metrics as MetricQuery[];
    expect(parts.find((m) => m.Expression)?.Expression).toBe('IF(sent >= 20, 100 * (1 - success), 0)');
    expect(statsOf(parts)).toEqual({
      sent: {
        Namespace: METRICS_NAMESPACE,
        MetricName: METRIC.smsSent,
        Dimensions: [{ Name: 'service', Value: METRICS_SERVICE }],
        Stat: 'Sum',
        Period: 3600,
      },
      success: { Namespace: 'AWS/SNS', MetricName: 'SMSSuccessRate', Stat: 'Average', Period: 3600 },
    });
  });

  it('sets the SMS spend alarm from the limit and the share, and the delivery alarm from its props', () => {
    const { template } = synth({
      monitoring: { smsSpendLimitUsd: 250, smsSpendAlarmPercent: 90, smsDeliveryFailureAlarmPercent: 35, smsDeliveryMinSent: 100 },
    });
    expect(alarmBy(template, /SMS spend this month reached/)).toMatchObject({ Threshold: 225 });
    expect(alarmBy(template, /SMS spend this month reached/).AlarmDescription).toContain('90% of its 250 USD limit');
    const delivery = alarmBy(template, /SMS not delivered/);
    expect(delivery.Threshold).toBe(35);
    expect((delivery.Metrics as MetricQuery[]).find((m) => m.Expression)?.Expression).toBe('IF(sent >= 100, 100 * (1 - success), 0)');
    expect(alarmBy(synth({ monitoring: { throttledRequestsAlarmCount: 3 } }).template, /API Gateway refused 3 or more/).Threshold).toBe(3);
  });

  it('sends every alarm, the joint-defense ones included, to the alarm topic', () => {
    const { template } = synth({ monitoring: { spendAlarmUsdPerHour: 5, blockRateAlarmPercent: 30, errorRateAlarmPercent: 2 } }, true);
    const alarms = alarmsOf(template);
    // Spend, block rate, 5xx, function and gateway throttles, cost guardrail, SMS spend limit and delivery, dropped joint-defense evidence, and the job's two.
    expect(alarms).toHaveLength(11);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(alarm.Properties.OKActions).toHaveLength(1);
    }
    expect(alarmBy(template, /estimated SMS spend/).Threshold).toBe(5);
    expect(alarmBy(template, /verdicts blocked/).Threshold).toBe(30);
    expect(alarmBy(template, /API 5xx responses/).Threshold).toBe(2);
    const dropped = alarmBy(template, /joint-defense job dropped evidence/);
    expect(dropped.Threshold).toBe(1);
    expect(JSON.stringify(dropped.Metrics)).toContain('JointDefenseTruncated');
    expect(JSON.stringify(dropped.Metrics)).toContain('JointDefenseSaturated');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('cost guardrail'),
      MetricName: 'CostGuardrailHits',
      Threshold: 1,
      AlarmActions: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('joint-defense job failed'),
      AlarmActions: Match.anyValue(),
    });
  });

  it('rejects thresholds that cannot work, naming the prop', () => {
    expect(() => synth({ monitoring: { blockRateAlarmPercent: 150 } })).toThrow(/blockRateAlarmPercent/);
    expect(() => synth({ monitoring: { spendAlarmUsdPerHour: 0 } })).toThrow(/spendAlarmUsdPerHour/);
    expect(() => synth({ monitoring: { blockRateMinVerdicts: 0.5 } })).toThrow(/blockRateMinVerdicts/);
    expect(() => synth({ monitoring: { smsSpendLimitUsd: 0 } })).toThrow(/smsSpendLimitUsd must be positive, got 0/);
    expect(() => synth({ monitoring: { smsSpendLimitUsd: Number.POSITIVE_INFINITY } })).toThrow(/smsSpendLimitUsd/);
    expect(() => synth({ monitoring: { smsSpendAlarmPercent: 120 } })).toThrow(/smsSpendAlarmPercent must be in \(0, 100\]/);
    expect(() => synth({ monitoring: { smsDeliveryFailureAlarmPercent: -5 } })).toThrow(/smsDeliveryFailureAlarmPercent/);
    expect(() => synth({ monitoring: { smsDeliveryMinSent: 0 } })).toThrow(/smsDeliveryMinSent/);
    expect(() => synth({ monitoring: { throttledRequestsAlarmCount: 2.5 } })).toThrow(/throttledRequestsAlarmCount/);
    // A JavaScript caller (or a context value) handing a string is refused, not written into an alarm.
    expect(() => synth({ monitoring: { smsSpendLimitUsd: '5' as unknown as number } })).toThrow(/smsSpendLimitUsd/);
  });
});
