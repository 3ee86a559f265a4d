import { Aws } from 'aws-cdk-lib';
import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * The direct-SMS guardrail: a customer managed policy that only denies — `sns:Publish` to
 * anything that is not an SNS ARN (a phone number's resource is `*`, while topics and mobile
 * push endpoints keep working) and, when `denyEndUserMessaging`, End User Messaging SMS.
 */
export function buildDirectSmsGuardrail(scope: Construct, denyEndUserMessaging: boolean): ManagedPolicy {
  const statements = [
    new PolicyStatement({
      sid: 'DenySmsToPhoneNumbersOutsideSmsShield',
      effect: Effect.DENY,
      actions: ['sns:Publish'],
      // Publishing to a phone number authorizes against "*"; every topic and endpoint has an SNS ARN.
      notResources: [`arn:${Aws.PARTITION}:sns:*:*:*`],
    }),
  ];
  if (denyEndUserMessaging) {
    statements.push(
      new PolicyStatement({
        sid: 'DenyEndUserMessagingSmsOutsideSmsShield',
        effect: Effect.DENY,
        actions: ['sms-voice:SendTextMessage'],
        resources: ['*'],
      }),
    );
  }
  return new ManagedPolicy(scope, 'DirectSmsGuardrail', {
    description: 'SMS Shield guardrail: SMS to phone numbers only through the SMS Shield API (denies direct sns:Publish to numbers)',
    statements,
  });
}
