import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SmsShield, type SmsShieldProps } from './sms-shield.js';

/** Properties of {@link SmsShieldStack}. */
export interface SmsShieldStackProps extends StackProps {
  /**
   * Settings of the SMS Shield construct.
   * @default - the SmsShield defaults
   */
  readonly shield?: SmsShieldProps;
}

/** A stack holding one {@link SmsShield} and the outputs clients and operators need. */
export class SmsShieldStack extends Stack {
  /** The SMS Shield deployed by this stack. */
  public readonly shield: SmsShield;

  constructor(scope: Construct, id: string, props: SmsShieldStackProps = {}) {
    super(scope, id, props);
    this.shield = new SmsShield(this, 'SmsShield', props.shield);

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
  }
}
