import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * examples/cognito/app.ts synthesizes offline, as `cdk synth --app "npx tsx examples/cognito/app.ts"`
 * runs it (the CLI sets CDK_OUTDIR and reads the template back), from the prebuilt Lambda code.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'sms-shield-cognito-example-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

type Resource = { Type: string; Properties: Record<string, any> };

describe('examples/cognito', () => {
  it('synthesizes a user pool whose SMS go through the shield: CustomSMSSender, its KMS key, the feedback triggers', () => {
    execFileSync(process.execPath, ['--import', 'tsx', 'examples/cognito/app.ts'], {
      cwd: ROOT,
      env: { ...process.env, CDK_OUTDIR: out },
      stdio: 'pipe',
      timeout: 120_000,
    });
    const template = JSON.parse(readFileSync(join(out, 'SmsShieldCognitoExample.template.json'), 'utf8')) as { Resources: Record<string, Resource> };
    const byType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

    const keys = byType('AWS::KMS::Key');
    expect(keys).toHaveLength(1);
    const [keyId, key] = keys[0]!;
    expect(key.Properties.EnableKeyRotation).toBe(true);

    const pools = byType('AWS::Cognito::UserPool');
    expect(pools).toHaveLength(1);
    const config = pools[0]![1].Properties.LambdaConfig;
    expect(config.KMSKeyID).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(config.CustomSMSSender.LambdaVersion).toBe('V1_0');
    const [senderId] = config.CustomSMSSender.LambdaArn['Fn::GetAtt'];
    expect(template.Resources[senderId]!.Properties.Environment.Variables.SMS_SHIELD_COGNITO_TENANT_ID).toBe('my-app');
    expect(config.PostConfirmation).toEqual(config.PostAuthentication);
    expect(config.PostConfirmation['Fn::GetAtt'][0]).not.toBe(senderId);
  }, 120_000);
});
