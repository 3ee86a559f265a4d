import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { METRIC, METRICS_NAMESPACE } from '../../lambdas/shared/metric-names';
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
    expect(lines(byTitle('Joint defense: events read per run'))).toEqual([
      `${ns}/${METRIC.jointDefenseEvents}/Maximum`,
      `${ns}/${METRIC.jointDefenseTruncated}/Sum`,
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
    const errors = alarmBy(template, /API function errors/);
    expect(errors.Threshold).toBe(5);
    expect(JSON.stringify(errors.Metrics)).toContain('"Errors"');
    for (const alarm of alarmsOf(template)) expect(alarm.Properties.AlarmActions).toBeUndefined();
  });

  it('sends every alarm, the joint-defense ones included, to the alarm topic', () => {
    const { template } = synth({ monitoring: { spendAlarmUsdPerHour: 5, blockRateAlarmPercent: 30, errorRateAlarmPercent: 2 } }, true);
    const alarms = alarmsOf(template);
    expect(alarms.length).toBeGreaterThanOrEqual(5);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(alarm.Properties.OKActions).toHaveLength(1);
    }
    expect(alarmBy(template, /estimated SMS spend/).Threshold).toBe(5);
    expect(alarmBy(template, /verdicts blocked/).Threshold).toBe(30);
    expect(alarmBy(template, /API function errors/).Threshold).toBe(2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('joint-defense job failed'),
      AlarmActions: Match.anyValue(),
    });
  });

  it('rejects thresholds that cannot work, naming the prop', () => {
    expect(() => synth({ monitoring: { blockRateAlarmPercent: 150 } })).toThrow(/blockRateAlarmPercent/);
    expect(() => synth({ monitoring: { spendAlarmUsdPerHour: 0 } })).toThrow(/spendAlarmUsdPerHour/);
    expect(() => synth({ monitoring: { blockRateMinVerdicts: 0.5 } })).toThrow(/blockRateMinVerdicts/);
  });
});
