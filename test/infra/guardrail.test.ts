import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type IRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { SmsShield, type SmsShieldProps } from '../../lib/sms-shield';
import type { Resource, Statement } from './support/shield-template';

describe('direct-SMS guardrail', () => {
  function withAppRoles(guardrail?: (roles: IRole[]) => SmsShieldProps['guardrail']) {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'App');
    const appRole = new Role(stack, 'CheckoutRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const imported = Role.fromRoleName(stack, 'Imported', 'legacy-sms-sender');
    const shield = new SmsShield(stack, 'Shield', { guardrail: guardrail?.([appRole, imported]) });
    const template = Template.fromStack(stack);
    const [id, policy] = Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))[0]!;
    return {
      stack,
      shield,
      appRole,
      imported,
      template,
      id,
      policy: policy as Resource,
      logicalId: stack.getLogicalId(appRole.node.defaultChild as CfnElement),
    };
  }

  it('denies sns:Publish to anything that is not an SNS ARN (phone numbers) and End User Messaging SMS', () => {
    const { policy } = withAppRoles();
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'DenySmsToPhoneNumbersOutsideSmsShield',
        Effect: 'Deny',
        Action: 'sns:Publish',
        NotResource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] },
      },
      { Sid: 'DenyEndUserMessagingSmsOutsideSmsShield', Effect: 'Deny', Action: 'sms-voice:SendTextMessage', Resource: '*' },
    ]);
    // Created for users to attach, attached to nobody by default.
    expect(policy.Properties.Roles).toBeUndefined();
  });

  it('is attached to the named roles, in the stack or imported by name, and never to the API function role', () => {
    const { policy, logicalId, shield, stack } = withAppRoles((roles) => ({ roles }));
    expect(policy.Properties.Roles).toEqual([{ Ref: logicalId }, 'legacy-sms-sender']);
    const apiRole = stack.getLogicalId(shield.apiFunction.role!.node.defaultChild as CfnElement);
    expect(policy.Properties.Roles).not.toContainEqual({ Ref: apiRole });
  });

  it('leaves End User Messaging alone when asked', () => {
    const { policy } = withAppRoles((roles) => ({ roles, denyEndUserMessagingSms: false }));
    expect(policy.Properties.PolicyDocument.Statement.map((s: Statement) => s.Action)).toEqual(['sns:Publish']);
  });

  it('refuses to guard the role that sends the SMS', () => {
    const { shield } = withAppRoles();
    expect(() => shield.guard(shield.apiFunction.role!)).toThrow(/API function role/);
  });

  it('denies a publish to a phone number (resource "*") and lets topic and endpoint publishes through', () => {
    const { policy } = withAppRoles((roles) => ({ roles }));
    const [deny] = policy.Properties.PolicyDocument.Statement as { NotResource: { 'Fn::Join': [string, unknown[]] } }[];
    // IAM glob semantics on the rendered pattern, in the aws partition.
    const pattern = deny!.NotResource['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'aws')).join('');
    const matches = (arn: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(arn);
    const denied = (resource: string) => !matches(resource);
    expect(denied('*')).toBe(true);
    expect(denied('arn:aws:sns:eu-west-1:123456789012:order-events')).toBe(false);
    expect(denied('arn:aws:sns:eu-west-1:123456789012:endpoint/GCM/app/0f2c')).toBe(false);
  });
});
