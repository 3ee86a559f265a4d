import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/shared/env';
import { SmsShield } from '../../lib/sms-shield';
import { apiFunctionPropsOf, policiesOf, type Resource, synth, toArray } from './support/shield-template';

const defaults = synth();

function apiFunctionProps(s = defaults) {
  return apiFunctionPropsOf(s);
}

describe('joint-defense job', () => {
  const job = () => defaults.resourceOf(defaults.shield.jointDefenseFunction);
  const statementsOf = (s: typeof defaults, construct: IConstruct) => {
    const role = s.logicalId(construct);
    return policiesOf(s.resources)
      .filter((policy) => policy.roles.includes(role))
      .flatMap((policy) => policy.statements);
  };

  it('runs Node.js 22 on arm64 inside the one-minute cadence, never retried (the next run covers a failed one)', () => {
    expect(job().Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 50 });
    const invokeConfig = Object.values(defaults.resources).find((r) => r.Type === 'AWS::Lambda::EventInvokeConfig')!;
    expect(invokeConfig.Properties).toMatchObject({
      FunctionName: { Ref: defaults.logicalId(defaults.shield.jointDefenseFunction) },
      MaximumRetryAttempts: 0,
    });
  });

  it('is invoked by an EventBridge schedule, every minute by default', () => {
    const rule = defaults.resourceOf(defaults.shield.jointDefenseSchedule);
    expect(rule.Properties).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [defaults.logicalId(defaults.shield.jointDefenseFunction), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0 },
      }),
    ]);
    const permission = Object.values(defaults.resources).find(
      (r) => r.Type === 'AWS::Lambda::Permission' && r.Properties.Principal === 'events.amazonaws.com',
    )!;
    expect(permission.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [defaults.logicalId(defaults.shield.jointDefenseFunction), 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [defaults.logicalId(defaults.shield.jointDefenseSchedule), 'Arn'] },
    });
    const s = synth({ jointDefenseSchedule: Duration.minutes(5) });
    expect(s.resourceOf(s.shield.jointDefenseSchedule).Properties.ScheduleExpression).toBe('rate(5 minutes)');
  });

  it('reads the Events table (and writes its partials there) and writes the Lists table, and may do nothing else', () => {
    const props = job().Properties;
    const ref = (construct: IConstruct) => ({ Ref: defaults.logicalId(construct) });
    expect(props.Environment.Variables).toEqual({
      [ENV.EVENTS_TABLE]: ref(defaults.shield.eventsTable),
      [ENV.EVENT_SHARDS]: '40',
      [ENV.LISTS_TABLE]: ref(defaults.shield.listsTable),
    });
    const arn = (construct: IConstruct) => ({ 'Fn::GetAtt': [defaults.logicalId(construct), 'Arn'] });
    const statements = statementsOf(defaults, defaults.shield.jointDefenseFunction.role!);
    const data = statements.filter((s) => toArray(s.Action).some((a) => !a.startsWith('logs:')));
    expect(data).toEqual([
      { Sid: 'EventsTable', Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:Query'], Resource: arn(defaults.shield.eventsTable) },
      {
        Sid: 'ListsTable',
        Effect: 'Allow',
        Action: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'],
        Resource: arn(defaults.shield.listsTable),
      },
    ]);
    // Logs only to its own log group.
    const logGroupId = props.LoggingConfig.LogGroup.Ref as string;
    for (const s of statements.filter((st) => toArray(st.Action).some((a) => a.startsWith('logs:')))) {
      expect(JSON.stringify(s.Resource)).toContain(logGroupId);
    }
    // The role is the job's alone, and the job's role is not the API function's.
    expect(defaults.logicalId(defaults.shield.jointDefenseFunction.role!)).not.toBe(defaults.logicalId(defaults.shield.apiFunction.role!));
  });

  it('lets the API function only append events (PutItem), nothing more', () => {
    const statements = statementsOf(defaults, defaults.shield.apiFunction.role!);
    const onEvents = statements.filter((s) => JSON.stringify(s.Resource).includes(defaults.logicalId(defaults.shield.eventsTable)));
    expect(onEvents.map((s) => s.Action)).toEqual(['dynamodb:PutItem']);
    expect(apiFunctionProps().Environment.Variables[ENV.EVENTS_TABLE]).toEqual({ Ref: defaults.logicalId(defaults.shield.eventsTable) });
  });

  it('alarms on a failed run and on a stalled schedule', () => {
    const failure = defaults.resourceOf(defaults.shield.jointDefenseAlarm).Properties;
    expect(failure).toMatchObject({
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: defaults.logicalId(defaults.shield.jointDefenseFunction) } }],
    });
    const stalled = defaults.resourceOf(defaults.shield.jointDefenseStalledAlarm).Properties;
    expect(stalled).toMatchObject({
      MetricName: 'Invocations',
      Period: 900,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('gives the API function, and only it, the alliance secret when one is set', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Alliance');
    const allianceSecret = new Secret(stack, 'AllianceKey');
    const shield = new SmsShield(stack, 'Shield', { allianceSecret });
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
    const id = (c: IConstruct) => stack.getLogicalId((c instanceof CfnElement ? c : c.node.defaultChild) as CfnElement);
    expect(resources[id(shield.apiFunction)]!.Properties.Environment.Variables[ENV.ALLIANCE_SECRET_ARN]).toEqual({ Ref: id(allianceSecret) });
    const readers = policiesOf(resources).filter((p) =>
      p.statements.some((s) => toArray(s.Action).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes(id(allianceSecret))),
    );
    expect(readers.flatMap((p) => p.roles)).toEqual([id(shield.apiFunction.role!)]);
    expect(apiFunctionProps().Environment.Variables).not.toHaveProperty(ENV.ALLIANCE_SECRET_ARN);
  });
});
