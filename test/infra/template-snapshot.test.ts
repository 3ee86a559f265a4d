import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { SmsShield } from '../../lib/sms-shield';
import { SmsShieldStack, type SmsShieldStackProps } from '../../lib/sms-shield-stack';

/*
 * Whole-template snapshots: every logical ID, property and dependency of the stacks the construct
 * builds. A refactoring of lib/ must leave them byte for byte unchanged; a deliberate change to the
 * infrastructure updates them (`npx vitest run test/infra/template-snapshot.test.ts -u`) and the
 * diff shows what CloudFormation will do. Asset hashes are masked: they follow the bundled code
 * and the geo data, which change without any change to the infrastructure.
 */

// The same feature flags as `cdk synth`, so the snapshot is the deployed template.
const cdkJson = JSON.parse(readFileSync(fileURLToPath(new URL('../../cdk.json', import.meta.url)), 'utf8')) as {
  context?: Record<string, unknown>;
};

function newApp(): App {
  // An empty bundling-stacks list skips asset bundling (the prebuilt code needs none; only a layer from
  // $SMS_SHIELD_GEO_DIR is bundled): the template, not the assets, is under test.
  return new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
}

/**
 * The template as stable text: asset hashes (64 hex digits) masked and the keys of every object
 * sorted (CloudFormation maps are unordered: the order constructs were created in is not part of
 * the template's meaning); arrays, whose order can matter, stay as synthesized.
 */
function templateText(stack: Stack): string {
  const text = JSON.stringify(
    Template.fromStack(stack).toJSON(),
    (_key, value: unknown) => {
      if (typeof value === 'string') return value.replace(/[0-9a-f]{64}/g, '<asset-hash>');
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
      return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    },
    2,
  );
  return `${text}\n`;
}

function stackText(props: SmsShieldStackProps): string {
  return templateText(new SmsShieldStack(newApp(), 'SmsShield', props));
}

describe('CloudFormation template snapshots', () => {
  it('default stack (environment-agnostic, every default)', async () => {
    await expect(stackText({})).toMatchFileSnapshot('__snapshots__/default.template.json');
  });

  it('public edge on, web ACL created (us-east-1)', async () => {
    const text = stackText({ env: { account: '123456789012', region: 'us-east-1' }, shield: { publicEdge: {} } });
    await expect(text).toMatchFileSnapshot('__snapshots__/public-edge-us-east-1.template.json');
  });

  it('every option set: web ACL by ARN, guardrail roles, alliance secret, alarm topic', async () => {
    const app = newApp();
    const stack = new Stack(app, 'Options', { env: { account: '123456789012', region: 'eu-west-1' } });
    const appRole = new Role(stack, 'CheckoutRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    new SmsShield(stack, 'Shield', {
      defaultMode: 'shadow',
      senderId: 'Acme',
      removalPolicy: RemovalPolicy.DESTROY,
      throttle: { rateLimit: 25, burstLimit: 50 },
      publicRouteThrottle: { rateLimit: 5, burstLimit: 10 },
      logRetention: RetentionDays.ONE_WEEK,
      memorySize: 512,
      reservedConcurrency: 25,
      jointDefenseSchedule: Duration.minutes(5),
      allianceSecret: new Secret(stack, 'AllianceKey'),
      guardrail: { roles: [appRole, Role.fromRoleName(stack, 'Legacy', 'legacy-sms-sender')], denyEndUserMessagingSms: false },
      monitoring: { alarmTopic: new Topic(stack, 'Alarms'), dashboardName: 'sms-shield', spendAlarmUsdPerHour: 5, smsSpendLimitUsd: 100 },
      maxListEntries: 250,
      publicEdge: {
        webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/sms-shield-edge/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
        refuseDirectCalls: false,
      },
    });
    await expect(templateText(stack)).toMatchFileSnapshot('__snapshots__/every-option.template.json');
  });
});
