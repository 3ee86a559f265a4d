import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SmsShieldStack, type SmsShieldStackProps } from '../../lib/sms-shield-stack';
import { synth } from './support/shield-template';

const defaults = synth();

describe('SmsShieldStack', () => {
  it('outputs the API URL, the public endpoint URL, table names, secret ARN and the guardrail policy ARN', () => {
    const outputs = defaults.template.toJSON().Outputs;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'AdminKeySecretArn',
        'ApiUrl',
        'CountersTableName',
        'DirectSmsGuardrailArn',
        'EventsTableName',
        'HashSecretArn',
        'ListsTableName',
        'PublicEndpointUrl',
        'TenantsTableName',
        'VerificationsTableName',
      ].sort(),
    );
    expect(outputs.DirectSmsGuardrailArn.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.directSmsGuardrail.node.defaultChild as CfnElement) });
    expect(outputs.TenantsTableName.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.tenantsTable) });
    expect(outputs.VerificationsTableName.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.verificationsTable) });
    expect(outputs.HashSecretArn.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.hashSecret) });
    expect(outputs.AdminKeySecretArn.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.adminKeySecret) });
    expect(outputs.EventsTableName.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.eventsTable) });
    expect(JSON.stringify(outputs.ApiUrl.Value)).toContain('execute-api');
  });
});

describe('SmsShieldStack alarm destination', () => {
  const stackWith = (props: SmsShieldStackProps) => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new SmsShieldStack(app, 'Alarmed', props);
    return { stack, template: Template.fromStack(stack) };
  };

  it('lets only CloudWatch alarms of this account publish to the topic it creates, over TLS', () => {
    const { stack, template } = stackWith({ alarmEmail: 'oncall@example.com' });
    const topicId = stack.getLogicalId(stack.alarmTopic!.node.defaultChild as CfnElement);
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    expect(policies).toHaveLength(1);
    const statements = policies[0]!.Properties.PolicyDocument.Statement as Record<string, unknown>[];
    expect(statements).toEqual([
      expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      {
        Sid: 'CloudWatchAlarmsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topicId },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']],
            },
          },
        },
      },
    ]);
    expect(template.toJSON().Outputs.AlarmTopicArn.Value).toEqual({ Ref: topicId });
  });

  it.each<[string, SmsShieldStackProps, RegExp]>([
    ['an address without a domain', { alarmEmail: 'oncall' }, /alarmEmail must be an email address, got 'oncall'/],
    ['an address with a space', { alarmEmail: 'on call@example.com' }, /alarmEmail must be an email address/],
    [
      'something that is not a topic ARN',
      { alarmTopicArn: 'arn:aws:sqs:eu-west-1:123456789012:queue' },
      /alarmTopicArn must be the ARN of a standard SNS topic/,
    ],
    ['a FIFO topic', { alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alarms.fifo' }, /alarmTopicArn must be the ARN of a standard SNS topic/],
    [
      "a topic outside the stack's region",
      { env: { region: 'eu-west-1' }, alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:alarms' },
      /alarmTopicArn must be in the stack's region \(eu-west-1\)/,
    ],
    [
      'two destinations',
      { alarmEmail: 'oncall@example.com', alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alarms' },
      /set one alarm destination, not alarmEmail and alarmTopicArn/,
    ],
  ])('refuses %s', (_name, props, message) => {
    expect(() => stackWith(props)).toThrow(message);
  });
});
