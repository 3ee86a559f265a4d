import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type IRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { SmsShield, type SmsShieldProps } from '../../lib/sms-shield';
import { actionMatches, type Resource, type Statement, toArray } from './support/shield-template';

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

  it('denies sns:Publish to anything that is not an SNS ARN (phone numbers), SMS subscriptions and sandbox codes', () => {
    const { policy } = withAppRoles();
    const [publish, subscribe, sandbox] = policy.Properties.PolicyDocument.Statement as Statement[];
    expect(publish).toEqual({
      Sid: 'DenySmsToPhoneNumbersOutsideSmsShield',
      Effect: 'Deny',
      Action: 'sns:Publish',
      NotResource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] },
    });
    // Subscribing a phone number to a topic would turn every (allowed) topic publish into an SMS.
    expect(subscribe).toEqual({
      Sid: 'DenySmsSubscriptionsOutsideSmsShield',
      Effect: 'Deny',
      Action: 'sns:Subscribe',
      Resource: '*',
      Condition: { StringEqualsIgnoreCase: { 'sns:Protocol': 'sms' } },
    });
    expect(sandbox).toEqual({ Sid: 'DenySmsSandboxCodesOutsideSmsShield', Effect: 'Deny', Action: 'sns:CreateSMSSandboxPhoneNumber', Resource: '*' });
    // Created for users to attach, attached to nobody by default.
    expect(policy.Properties.Roles).toBeUndefined();
  });

  it('denies, by default, every other AWS API that texts or calls a phone number', () => {
    const { policy } = withAppRoles();
    const statements = policy.Properties.PolicyDocument.Statement as Statement[];
    for (const statement of statements) expect(statement.Effect).toBe('Deny');
    const denied = (action: string) =>
      statements.some((s) => s.Resource === '*' && s.Condition === undefined && toArray(s.Action).some((pattern) => actionMatches(pattern, action)));
    const phoneApis = [
      // AWS End User Messaging SMS and Voice (v2 and v1), Notify included.
      'sms-voice:SendTextMessage',
      'sms-voice:SendMediaMessage',
      'sms-voice:SendVoiceMessage',
      'sms-voice:SendDestinationNumberVerificationCode',
      'sms-voice:SendNotifyTextMessage',
      'sms-voice:SendNotifyVoiceMessage',
      // Amazon Pinpoint: direct sends, OTP, and campaigns and journeys that send on a schedule.
      'mobiletargeting:SendMessages',
      'mobiletargeting:SendUsersMessages',
      'mobiletargeting:SendOTPMessage',
      'mobiletargeting:CreateCampaign',
      'mobiletargeting:UpdateCampaign',
      'mobiletargeting:CreateJourney',
      'mobiletargeting:UpdateJourney',
      // End User Messaging Social (WhatsApp).
      'social-messaging:SendWhatsAppMessage',
      // Amazon Connect: outbound calls, outbound SMS, campaigns.
      'connect:StartOutboundVoiceContact',
      'connect:StartOutboundChatContact',
      'connect-campaigns:PutDialRequestBatch',
      'connect-campaigns:PutOutboundRequestBatch',
      // Amazon Chime SDK: PSTN calls and meeting dial-outs.
      'chime:CreateSipMediaApplicationCall',
      'chime:CreateMeetingDialOut',
      // Amazon SNS.
      'sns:CreateSMSSandboxPhoneNumber',
    ];
    for (const action of phoneApis) expect(denied(action), action).toBe(true);
    // The wildcards stay inside the sending actions: reading and configuring stays allowed.
    for (const action of [
      'sms-voice:DescribePhoneNumbers',
      'mobiletargeting:GetCampaign',
      'connect:DescribeContact',
      'sns:ListTopics',
      'sns:VerifySMSSandboxPhoneNumber',
    ]) {
      expect(denied(action), action).toBe(false);
    }
  });

  it('is attached to the named roles, in the stack or imported by name, and never to the API function role', () => {
    const { policy, logicalId, shield, stack } = withAppRoles((roles) => ({ roles }));
    expect(policy.Properties.Roles).toEqual([{ Ref: logicalId }, 'legacy-sms-sender']);
    const apiRole = stack.getLogicalId(shield.apiFunction.role!.node.defaultChild as CfnElement);
    expect(policy.Properties.Roles).not.toContainEqual({ Ref: apiRole });
  });

  it('leaves End User Messaging, or contact centers, alone when asked', () => {
    const sids = (guardrail: SmsShieldProps['guardrail']) =>
      (withAppRoles(() => guardrail).policy.Properties.PolicyDocument.Statement as Statement[]).map((s) => s.Sid);
    const sns = ['DenySmsToPhoneNumbersOutsideSmsShield', 'DenySmsSubscriptionsOutsideSmsShield', 'DenySmsSandboxCodesOutsideSmsShield'];
    expect(sids({})).toEqual([...sns, 'DenyEndUserMessagingOutsideSmsShield', 'DenyContactCenterOutreachOutsideSmsShield']);
    expect(sids({ denyEndUserMessagingSms: false })).toEqual([...sns, 'DenyContactCenterOutreachOutsideSmsShield']);
    expect(sids({ denyContactCenterOutreach: false })).toEqual([...sns, 'DenyEndUserMessagingOutsideSmsShield']);
    // SNS, the shield's own channel, is never left open.
    expect(sids({ denyEndUserMessagingSms: false, denyContactCenterOutreach: false })).toEqual(sns);
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
