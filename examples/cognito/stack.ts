import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { AccountRecovery, Mfa, UserPool } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
// In your own app: import { SmsShield } from 'sms-shield';
import { SmsShield } from '../../lib/index.js';

/**
 * A Cognito user pool whose every SMS (sign-up and resend codes, SMS sign-in / MFA codes,
 * password reset codes, attribute verification, temporary passwords) goes through SMS Shield.
 *
 * After `cdk deploy`: create the tenant the pool is judged as (`sms-shield tenants create
 * --id my-app --name "My app"` with the admin key from the `AdminKeySecretArn` output), then
 * pass the end user's claims in `ClientMetadata` (`shield_ip`, `shield_user_agent`,
 * `shield_device`, `shield_challenge`) with each Cognito call that sends a code.
 */
export class CognitoExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Shadow mode first: every code is sent and judged; switch to enforce once the verdicts look right.
    const shield = new SmsShield(this, 'Shield', { defaultMode: 'shadow' });
    const sms = shield.addCognitoSmsSender('UserPoolSms', {
      tenantId: 'my-app',
      codeTemplate: 'Your My App code is {code}',
    });

    const pool = new UserPool(this, 'Users', {
      selfSignUpEnabled: true,
      signInAliases: { phone: true },
      autoVerify: { phone: true },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: true, otp: true },
      accountRecovery: AccountRecovery.PHONE_ONLY_WITHOUT_MFA,
      // The key Cognito encrypts each code with, and the function that judges and sends it.
      customSenderKmsKey: sms.key,
      lambdaTriggers: {
        customSmsSender: sms.function,
        // Codes that worked feed the conversion signals (pumping, bombing).
        postConfirmation: sms.feedbackFunction,
        postAuthentication: sms.feedbackFunction,
      },
    });
    const client = pool.addClient('App', { authFlows: { userSrp: true } });

    new CfnOutput(this, 'UserPoolId', { value: pool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'ShieldUrl', { value: shield.url, description: 'Base URL of the shield API (challenges, device tokens, admin)' });
    new CfnOutput(this, 'AdminKeySecretArn', { value: shield.adminKeySecret.secretArn });
  }
}
