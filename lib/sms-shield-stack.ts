import { Aws, CfnOutput, Stack, type StackProps, Token } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { SmsShield, type SmsShieldProps } from './sms-shield.js';

/** Properties of {@link SmsShieldStack}. */
export interface SmsShieldStackProps extends StackProps {
  /**
   * Settings of the SMS Shield construct.
   * @default - the SmsShield defaults
   */
  readonly shield?: SmsShieldProps;
  /**
   * An email address to send every alarm (and its return to OK) to: the stack creates an SNS
   * topic with this address subscribed. AWS mails a confirmation link first; nothing arrives
   * until it is followed.
   * @default - no email
   */
  readonly alarmEmail?: string;
  /**
   * The ARN of an existing SNS topic (standard, in the stack's region) to send every alarm to,
   * e.g. one your on-call tooling already reads.
   * @default - no topic
   */
  readonly alarmTopicArn?: string;
}

/** An email address as SNS accepts it, loosely: something@domain.tld, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** The ARN of a standard SNS topic (CloudWatch alarms cannot notify FIFO topics). */
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):[0-9]{12}:[A-Za-z0-9_-]{1,256}$/;

/** A stack holding one {@link SmsShield} and the outputs clients and operators need. */
export class SmsShieldStack extends Stack {
  /** The SMS Shield deployed by this stack. */
  public readonly shield: SmsShield;
  /** The topic every alarm notifies, when `alarmEmail` or `alarmTopicArn` is set. */
  public readonly alarmTopic: ITopic | undefined;

  constructor(scope: Construct, id: string, props: SmsShieldStackProps = {}) {
    super(scope, id, props);
    this.alarmTopic = this.buildAlarmTopic(props);
    const shieldProps = props.shield ?? {};
    this.shield = new SmsShield(this, 'SmsShield', {
      ...shieldProps,
      ...(this.alarmTopic && { monitoring: { ...shieldProps.monitoring, alarmTopic: this.alarmTopic } }),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.shield.url, description: 'Base URL of the SMS Shield API' });
    new CfnOutput(this, 'PublicEndpointUrl', {
      value: this.shield.publicEndpointUrl,
      description: 'Base URL for the browser SDK and apps (public routes): the public edge when it is on, else the API',
    });
    new CfnOutput(this, 'TenantsTableName', { value: this.shield.tenantsTable.tableName });
    new CfnOutput(this, 'CountersTableName', { value: this.shield.countersTable.tableName });
    new CfnOutput(this, 'ListsTableName', { value: this.shield.listsTable.tableName });
    new CfnOutput(this, 'VerificationsTableName', { value: this.shield.verificationsTable.tableName });
    new CfnOutput(this, 'EventsTableName', { value: this.shield.eventsTable.tableName });
    new CfnOutput(this, 'HashSecretArn', { value: this.shield.hashSecret.secretArn });
    new CfnOutput(this, 'AdminKeySecretArn', {
      value: this.shield.adminKeySecret.secretArn,
      description: 'Secret holding the admin key: aws secretsmanager get-secret-value --secret-id <arn> --query SecretString --output text',
    });
    new CfnOutput(this, 'DirectSmsGuardrailArn', {
      value: this.shield.directSmsGuardrail.managedPolicyArn,
      description: 'Managed policy denying direct SMS: attach it to application roles so they cannot bypass the shield',
    });
    if (this.alarmTopic) new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: 'SNS topic every SMS Shield alarm notifies' });
  }

  /** The alarm topic the props ask for: created with an email subscription, imported, or none. */
  private buildAlarmTopic(props: SmsShieldStackProps): ITopic | undefined {
    const { alarmEmail, alarmTopicArn } = props;
    const errors: string[] = [];
    const given = [
      alarmEmail !== undefined && 'alarmEmail',
      alarmTopicArn !== undefined && 'alarmTopicArn',
      props.shield?.monitoring?.alarmTopic && 'shield.monitoring.alarmTopic',
    ];
    const destinations = given.filter((name): name is string => typeof name === 'string');
    if (destinations.length > 1) errors.push(`SmsShieldStackProps: set one alarm destination, not ${destinations.join(' and ')}`);
    if (alarmEmail !== undefined && !Token.isUnresolved(alarmEmail) && !EMAIL.test(alarmEmail)) {
      errors.push(`SmsShieldStackProps.alarmEmail must be an email address, got '${alarmEmail}'`);
    }
    if (alarmTopicArn !== undefined && !Token.isUnresolved(alarmTopicArn)) {
      const region = TOPIC_ARN.exec(alarmTopicArn)?.[1];
      if (region === undefined) {
        errors.push(
          `SmsShieldStackProps.alarmTopicArn must be the ARN of a standard SNS topic (arn:aws:sns:<region>:<account>:<name>), got '${alarmTopicArn}'`,
        );
      } else if (!Token.isUnresolved(this.region) && region !== this.region) {
        errors.push(`SmsShieldStackProps.alarmTopicArn must be in the stack's region (${this.region}): CloudWatch alarms notify topics of their own region`);
      }
    }
    if (errors.length > 0) throw new Error(errors.join('\n'));

    if (alarmTopicArn !== undefined) return Topic.fromTopicArn(this, 'AlarmTopic', alarmTopicArn);
    if (alarmEmail === undefined) return undefined;
    const topic = new Topic(this, 'AlarmTopic', { displayName: 'SMS Shield alarms', enforceSSL: true });
    topic.addSubscription(new EmailSubscription(alarmEmail));
    // The topic policy enforceSSL creates replaces the default one: let this account's alarms publish.
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
        },
      }),
    );
    return topic;
  }
}
