import { Aws } from 'aws-cdk-lib';
import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ResolvedSmsShieldProps } from './sms-shield-defaults.js';

/*
 * Every AWS API that texts or calls a phone number, so that a guarded role can reach a phone only
 * through the shield. Action names are those of the Service Authorization Reference.
 */

/**
 * AWS End User Messaging and Amazon Pinpoint (`denyEndUserMessagingSms`).
 * - `sms-voice:Send*` (End User Messaging SMS and Voice, v1 and v2): SendTextMessage,
 *   SendMediaMessage (MMS), SendVoiceMessage (text-to-speech call),
 *   SendDestinationNumberVerificationCode (texts or calls a code), and the Notify templates
 *   SendNotifyTextMessage and SendNotifyVoiceMessage; the wildcard also covers send actions
 *   AWS adds later, which a guardrail must not miss.
 * - `mobiletargeting:Send*` (Pinpoint, whose SMS and voice channels are End User Messaging):
 *   SendMessages, SendUsersMessages, SendOTPMessage.
 * - Pinpoint campaigns and journeys text their segments on a schedule: creating or changing one
 *   is a send by another name.
 * - `social-messaging:SendWhatsAppMessage` (End User Messaging Social): WhatsApp messages to a
 *   phone number, authentication templates billed per message like SMS.
 */
export const END_USER_MESSAGING_ACTIONS = [
  'sms-voice:Send*',
  'mobiletargeting:Send*',
  'mobiletargeting:CreateCampaign',
  'mobiletargeting:UpdateCampaign',
  'mobiletargeting:CreateJourney',
  'mobiletargeting:UpdateJourney',
  'social-messaging:SendWhatsAppMessage',
] as const;

/**
 * Contact centers and telephony (`denyContactCenterOutreach`): the calls and texts that premium
 * and international numbers are paid for (toll fraud by voice as well as by SMS).
 * - Amazon Connect: StartOutboundVoiceContact (a call), StartOutboundChatContact (an SMS or
 *   WhatsApp contact).
 * - Amazon Connect outbound campaigns: PutDialRequestBatch (v1) and PutOutboundRequestBatch (v2)
 *   queue calls and texts to the numbers they carry.
 * - Amazon Chime SDK: CreateSipMediaApplicationCall (a PSTN call), CreateMeetingDialOut (dials a
 *   number into a meeting).
 */
export const CONTACT_CENTER_ACTIONS = [
  'connect:StartOutboundVoiceContact',
  'connect:StartOutboundChatContact',
  'connect-campaigns:PutDialRequestBatch',
  'connect-campaigns:PutOutboundRequestBatch',
  'chime:CreateSipMediaApplicationCall',
  'chime:CreateMeetingDialOut',
] as const;

/**
 * The direct-SMS guardrail: a customer managed policy that only denies. Always: `sns:Publish` to
 * anything that is not an SNS ARN (phone numbers; topics and push endpoints keep working), `sms`
 * subscriptions and SMS sandbox codes. By default also End User Messaging and Pinpoint sends and
 * contact-center calls and texts (see the action lists above).
 *
 * Out of reach of an identity policy, and so of this one: the SMS that Amazon Cognito sends for a
 * user pool (the pool's own role publishes); a custom SMS sender trigger that calls the shield
 * covers those.
 */
export function buildDirectSmsGuardrail(
  scope: Construct,
  options: Pick<ResolvedSmsShieldProps, 'denyEndUserMessagingSms' | 'denyContactCenterOutreach'>,
): ManagedPolicy {
  const statements = [
    new PolicyStatement({
      sid: 'DenySmsToPhoneNumbersOutsideSmsShield',
      effect: Effect.DENY,
      actions: ['sns:Publish'],
      // Publishing to a phone number authorizes against "*"; every topic and endpoint has an SNS ARN.
      notResources: [`arn:${Aws.PARTITION}:sns:*:*:*`],
    }),
    new PolicyStatement({
      sid: 'DenySmsSubscriptionsOutsideSmsShield',
      effect: Effect.DENY,
      // An `sms` subscription turns every publish to the topic (allowed above) into an SMS to its number.
      actions: ['sns:Subscribe'],
      resources: ['*'],
      conditions: { StringEqualsIgnoreCase: { 'sns:Protocol': 'sms' } },
    }),
    new PolicyStatement({
      sid: 'DenySmsSandboxCodesOutsideSmsShield',
      effect: Effect.DENY,
      // Adding a number to the SMS sandbox texts it a one-time password.
      actions: ['sns:CreateSMSSandboxPhoneNumber'],
      resources: ['*'],
    }),
  ];
  if (options.denyEndUserMessagingSms) {
    statements.push(
      new PolicyStatement({
        sid: 'DenyEndUserMessagingOutsideSmsShield',
        effect: Effect.DENY,
        actions: [...END_USER_MESSAGING_ACTIONS],
        resources: ['*'],
      }),
    );
  }
  if (options.denyContactCenterOutreach) {
    statements.push(
      new PolicyStatement({
        sid: 'DenyContactCenterOutreachOutsideSmsShield',
        effect: Effect.DENY,
        actions: [...CONTACT_CENTER_ACTIONS],
        resources: ['*'],
      }),
    );
  }
  return new ManagedPolicy(scope, 'DirectSmsGuardrail', {
    // Unchanged on purpose: a new description replaces a managed policy (new ARN), which roles in
    // other stacks attach by ARN.
    description: 'SMS Shield guardrail: SMS to phone numbers only through the SMS Shield API (denies direct sns:Publish to numbers)',
    statements,
  });
}
