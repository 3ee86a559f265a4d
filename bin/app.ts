#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SmsShieldStack } from '../lib/sms-shield-stack';

/**
 * CDK app. Optional context: `-c mode=enforce|shadow` (deployment-wide default mode) and
 * `-c senderId=Acme` (SNS sender id). The stack is environment-agnostic: it deploys to the
 * account and region of the credentials used by `cdk deploy`.
 */
const app = new App();

new SmsShieldStack(app, 'SmsShield', {
  description: 'SMS Shield: anti-abuse checks in front of SMS-sending endpoints',
  shield: {
    // SmsShield validates these values, so a typo fails the synth with the prop's name.
    defaultMode: optionalContext(app, 'mode') as 'enforce' | 'shadow' | undefined,
    senderId: optionalContext(app, 'senderId'),
  },
});

// cdk-nag 3 is a policy-validation plugin: unacknowledged errors fail `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

function optionalContext(scope: App, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}
