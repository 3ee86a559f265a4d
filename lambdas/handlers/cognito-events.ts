/**
 * The Amazon Cognito user pool events the shield's Cognito functions take, as the Cognito
 * developer guide documents them (custom SMS sender V1_0, post confirmation, post
 * authentication), and what each trigger source means to the shield.
 */
import * as z from 'zod';
import type { Scenario } from '../domain/types';

/** Every custom SMS sender trigger source, with the scenario the shield judges it as. */
export const SCENARIO_OF_SMS_TRIGGER = {
  /** A user signs up: the confirmation code. */
  CustomSMSSender_SignUp: 'register',
  /** A user asks for a new confirmation code. */
  CustomSMSSender_ResendCode: 'register',
  /** A user signs in: an SMS OTP or SMS MFA code. */
  CustomSMSSender_Authentication: 'login',
  /** A user asks for a code to reset the password. */
  CustomSMSSender_ForgotPassword: 'reset_password',
  /** A user (or the app) asks to verify the phone number attribute again. */
  CustomSMSSender_VerifyUserAttribute: 'other',
  /** A user changes the phone number attribute: the code that verifies the new one. */
  CustomSMSSender_UpdateUserAttribute: 'other',
  /** An administrator creates a user: the temporary password. */
  CustomSMSSender_AdminCreateUser: 'other',
} as const satisfies Record<string, Scenario>;

export type SmsTriggerSource = keyof typeof SCENARIO_OF_SMS_TRIGGER;

/** The triggers that tell a code worked: the feedback function credits the verification. */
export const FEEDBACK_TRIGGERS = ['PostConfirmation_ConfirmSignUp', 'PostConfirmation_ConfirmForgotPassword', 'PostAuthentication_Authentication'] as const;

/**
 * The `clientMetadata` keys the sender reads. The app passes them with the Cognito call that
 * sends the code (`SignUp`, `ResendConfirmationCode`, `ForgotPassword`, `InitiateAuth` /
 * `RespondToAuthChallenge`, `UpdateUserAttributes`, `GetUserAttributeVerificationCode`,
 * `AdminCreateUser`: their `ClientMetadata` parameter). They come from whoever calls Cognito, so
 * they are claims: a challenge solution and a device token are verified (signed, single-use),
 * an address is only used for signals that can add risk (never for an allow-list match).
 */
export const METADATA_KEYS = {
  /** The end user's IP address, as the app's backend saw it (a browser cannot know its own). */
  ip: 'shield_ip',
  /** The end user's user agent. */
  userAgent: 'shield_user_agent',
  /** A device token from `POST /v1/device` (or the SDK). */
  device: 'shield_device',
  /** A proof-of-work solution from `GET /v1/challenge` (or the SDK). */
  challenge: 'shield_challenge',
} as const;

const stringMap = z.record(z.string(), z.string());

/** What every user pool trigger event carries. */
const common = {
  version: z.string(),
  region: z.string(),
  userPoolId: z.string().min(1).max(128),
  userName: z.string().min(1).max(256),
  callerContext: z.looseObject({ awsSdkVersion: z.string().optional(), clientId: z.string().optional() }),
};

/** A custom SMS sender event (`request.type` `customSMSSenderRequestV1`). */
export const customSmsSenderEventSchema = z.looseObject({
  ...common,
  triggerSource: z.enum(Object.keys(SCENARIO_OF_SMS_TRIGGER) as [SmsTriggerSource, ...SmsTriggerSource[]]),
  request: z.looseObject({
    type: z.literal('customSMSSenderRequestV1'),
    /** Base64 of an AWS Encryption SDK message, encrypted with the pool's custom sender KMS key. */
    code: z.string().min(1).max(16_384),
    userAttributes: stringMap,
    clientMetadata: stringMap.nullish(),
  }),
});
export type CustomSmsSenderEvent = z.infer<typeof customSmsSenderEventSchema>;

/** A post confirmation or post authentication event: the function returns it as it came. */
export const feedbackEventSchema = z.looseObject({
  ...common,
  triggerSource: z.enum(FEEDBACK_TRIGGERS),
  request: z.looseObject({
    userAttributes: stringMap,
    clientMetadata: stringMap.nullish(),
  }),
});
export type FeedbackEvent = z.infer<typeof feedbackEventSchema>;

/** Where a zod error was, without the values (they may hold a number or a code). */
export function issuePaths(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.code}`).slice(0, 5);
}
