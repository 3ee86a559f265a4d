#!/usr/bin/env node
import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SmsShieldStack } from '../lib/sms-shield-stack.js';

/**
 * CDK app. Optional context: `-c mode=enforce|shadow` (deployment-wide default mode),
 * `-c senderId=Acme` (SNS sender id), `-c maxListEntries=N` (live entries per list scope),
 * `-c reservedConcurrency=N` (reserved concurrency of the API function), and
 * the public edge (CloudFront + AWS WAF in front of the public routes): `-c webAclArn=<ARN of a
 * CLOUDFRONT web ACL>`, or `-c publicEdge=true` to create the web ACL in the stack, which needs
 * the stack in us-east-1; `-c refuseDirectCalls=false` while pages move to the edge;
 * `-c adminKeyGeneration=N` (a fresh admin key into the secret when N changes: keep it in
 * cdk.json's context, or the next deploy without it goes back to 1 and issues another). Alarm
 * destination: `-c alarmEmail=ops@example.com` (an SNS topic with that address subscribed) or
 * `-c alarmTopicArn=<ARN of an SNS topic in the stack's region>`; without either, the alarms
 * notify nobody and the synth warns; `-c smsSpendLimitUsd=N`, the account's SNS monthly SMS
 * spend limit (default 1 USD), which the spend alarm watches; `-c reservedConcurrency=N`. The
 * stack is environment-agnostic (it deploys to the account and region of the credentials used
 * by `cdk deploy`), except with `-c publicEdge=true` and no web ACL ARN: then it takes the
 * CLI's account and region, so the construct can see that it is us-east-1.
 */
const app = new App();

const webAclArn = optionalContext(app, 'webAclArn');
const publicEdge = webAclArn !== undefined || optionalContext(app, 'publicEdge') === 'true';
const maxListEntries = optionalContext(app, 'maxListEntries');
const adminKeyGeneration = optionalContext(app, 'adminKeyGeneration');
const smsSpendLimitUsd = optionalContext(app, 'smsSpendLimitUsd');
const reservedConcurrency = optionalContext(app, 'reservedConcurrency');

const alarmEmail = optionalContext(app, 'alarmEmail');
const alarmTopicArn = optionalContext(app, 'alarmTopicArn');

const stack = new SmsShieldStack(app, 'SmsShield', {
  description: 'SMS Shield: anti-abuse checks in front of SMS-sending endpoints',
  alarmEmail,
  alarmTopicArn,
  ...(publicEdge && webAclArn === undefined && { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } }),
  shield: {
    // SmsShield validates these values, so a typo fails the synth with the prop's name.
    defaultMode: optionalContext(app, 'mode') as 'enforce' | 'shadow' | undefined,
    senderId: optionalContext(app, 'senderId'),
    maxListEntries: maxListEntries === undefined ? undefined : Number(maxListEntries),
    adminKeyGeneration: adminKeyGeneration === undefined ? undefined : Number(adminKeyGeneration),
    reservedConcurrency: reservedConcurrency === undefined ? undefined : Number(reservedConcurrency),
    // The account's SNS MonthlySpendLimit in USD: the SMS spend alarm fires at 80% of it.
    monitoring: smsSpendLimitUsd === undefined ? undefined : { smsSpendLimitUsd: Number(smsSpendLimitUsd) },
    publicEdge: publicEdge ? { webAclArn, refuseDirectCalls: optionalContext(app, 'refuseDirectCalls') !== 'false' } : undefined,
  },
});

if (alarmEmail === undefined && alarmTopicArn === undefined) {
  Annotations.of(stack).addWarningV2(
    'sms-shield:alarms-without-destination',
    'The alarms have no destination: nobody hears of an outage, a spend spike or the SMS spend limit. ' +
      'Deploy with -c alarmEmail=<address> or -c alarmTopicArn=<SNS topic ARN>.',
  );
}

// cdk-nag 3 is a policy-validation plugin: unacknowledged errors fail `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

function optionalContext(scope: App, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}
