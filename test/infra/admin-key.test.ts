import { RemovalPolicy } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY_GENERATION_PROPERTY, ENV } from '../../lambdas/shared/env';
import { policiesOf, type Resource, type Statement, synth, toArray } from './support/shield-template';

const defaults = synth();
const ofType = (s: typeof defaults, type: string) => Object.entries(s.resources).filter(([, r]) => r.Type === type);
const bootstrapOf = (s: typeof defaults) => {
  const found = ofType(s, 'Custom::SmsShieldAdminKey');
  expect(found).toHaveLength(1);
  return found[0]![1];
};
const statementsOfRole = (s: typeof defaults, roleId: string): Statement[] =>
  policiesOf(s.resources)
    .filter((p) => p.roles.includes(roleId))
    .flatMap((p) => p.statements);
const roleIdOf = (fnId: string, s = defaults) => (s.resources[fnId]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
const arn = (construct: IConstruct) => ({ 'Fn::GetAtt': [defaults.logicalId(construct), 'Arn'] });
const ref = (construct: IConstruct) => ({ Ref: defaults.logicalId(construct) });

/** The bootstrap function: the one the custom resource's provider framework calls. */
function bootstrapFunctionId(s = defaults): string {
  const framework = (bootstrapOf(s).Properties.ServiceToken as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const target = s.resources[framework]!.Properties.Environment.Variables.USER_ON_EVENT_FUNCTION_ARN as { 'Fn::GetAtt': [string, string] };
  return target['Fn::GetAtt'][0];
}

describe('admin key: secret, custom resource, output', () => {
  it('holds the key in a secret the template carries no value for', () => {
    const secret = defaults.resourceOf(defaults.shield.adminKeySecret);
    expect(secret.Type).toBe('AWS::SecretsManager::Secret');
    expect(secret.Properties.SecretString).toBeUndefined();
    expect(secret.DeletionPolicy).toBe('Retain');
    expect(synth({ removalPolicy: RemovalPolicy.DESTROY }).resourceOf(synth().shield.adminKeySecret).DeletionPolicy).toBe('Delete');
    // No admin or tenant key anywhere in the template (keys start with ssk_).
    expect(JSON.stringify(defaults.template.toJSON())).not.toMatch(/ssk_/);
  });

  it('issues the key through a custom resource naming the Tenants table, the secret and generation 1', () => {
    const resource = bootstrapOf(defaults);
    expect(resource.Properties).toEqual({
      ServiceToken: expect.objectContaining({ 'Fn::GetAtt': [expect.stringMatching(/^SmsShieldAdminKeyProviderframeworkonEvent/), 'Arn'] }),
      [ENV.TENANTS_TABLE]: ref(defaults.shield.tenantsTable),
      [ENV.ADMIN_KEY_SECRET_ARN]: ref(defaults.shield.adminKeySecret),
      [ADMIN_KEY_GENERATION_PROPERTY]: '1',
    });
    expect(bootstrapFunctionId()).toBe(defaults.logicalId(defaults.shield.node.findChild('AdminKeyBootstrapFunction')));
  });

  it('passes adminKeyGeneration as the Generation property (changing it issues a fresh key)', () => {
    expect(bootstrapOf(synth({ adminKeyGeneration: 7 })).Properties[ADMIN_KEY_GENERATION_PROPERTY]).toBe('7');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses adminKeyGeneration %s', (generation) => {
    expect(() => synth({ adminKeyGeneration: generation })).toThrow(`SmsShieldProps.adminKeyGeneration must be a positive integer, got ${generation}`);
  });

  it('outputs the secret ARN as AdminKeySecretArn', () => {
    const outputs = defaults.template.toJSON().Outputs;
    expect(outputs.AdminKeySecretArn.Value).toEqual(ref(defaults.shield.adminKeySecret));
    expect(outputs.AdminKeySecretArn.Description).toContain('--query SecretString --output text');
  });
});

describe('admin key: IAM', () => {
  it('lets the bootstrap function put the secret value and read and write key items of the Tenants table, nothing else', () => {
    const fnId = bootstrapFunctionId();
    const fn = defaults.resources[fnId]!;
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
    const statements = statementsOfRole(defaults, roleIdOf(fnId));
    const data = statements.filter((s) => toArray(s.Action).some((a) => !a.startsWith('logs:')));
    expect(data).toEqual([
      { Sid: 'WriteAdminKeySecret', Effect: 'Allow', Action: 'secretsmanager:PutSecretValue', Resource: ref(defaults.shield.adminKeySecret) },
      {
        Sid: 'WriteAdminKeyRecords',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: arn(defaults.shield.tenantsTable),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['key#*'] } },
      },
    ]);
    // Its own log group only; its role is its alone.
    const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
    for (const s of statements.filter((st) => toArray(st.Action).some((a) => a.startsWith('logs:')))) expect(JSON.stringify(s.Resource)).toContain(logGroupId);
    const usersOfRole = Object.values(defaults.resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties.Role).includes(roleIdOf(fnId)),
    );
    expect(usersOfRole).toHaveLength(1);
  });

  it('lets the provider framework only invoke (and describe) the bootstrap function, and log to its own group', () => {
    const fnId = bootstrapFunctionId();
    const frameworkId = (bootstrapOf(defaults).Properties.ServiceToken as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const framework = defaults.resources[frameworkId]!;
    const statements = statementsOfRole(defaults, roleIdOf(frameworkId));
    const fnArn = { 'Fn::GetAtt': [fnId, 'Arn'] };
    expect(statements.filter((s) => toArray(s.Action).some((a) => !a.startsWith('logs:')))).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [fnArn, { 'Fn::Join': ['', [fnArn, ':*']] }] },
      { Effect: 'Allow', Action: 'lambda:GetFunction', Resource: fnArn },
    ]);
    const logGroupId = framework.Properties.LoggingConfig.LogGroup.Ref as string;
    for (const s of statements.filter((st) => toArray(st.Action).some((a) => a.startsWith('logs:')))) expect(JSON.stringify(s.Resource)).toContain(logGroupId);
    // No managed policy (AWSLambdaBasicExecutionRole) on either role.
    for (const id of [roleIdOf(fnId), roleIdOf(frameworkId)]) expect(defaults.resources[id]!.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('gives no principal in the stack a way to read the admin key secret', () => {
    const secretId = defaults.logicalId(defaults.shield.adminKeySecret);
    const readers = policiesOf(defaults.resources).flatMap((p) =>
      p.statements
        .filter((s: Statement) => JSON.stringify(s.Resource ?? '').includes(secretId))
        .flatMap((s) => toArray(s.Action))
        .filter((action) => action !== 'secretsmanager:PutSecretValue'),
    );
    expect(readers).toEqual([]);
    // Nor is the secret in any function's environment.
    const inEnvironment = Object.values(defaults.resources).filter(
      (r: Resource) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties.Environment ?? {}).includes(secretId),
    );
    expect(inEnvironment).toEqual([]);
  });
});
