import { readFileSync } from 'node:fs';
import { App, CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/shared/env';
import type { SmsShieldCognitoSmsSenderProps } from '../../lib/cognito-sms-sender';
import { SmsShieldStack } from '../../lib/sms-shield-stack';
import { type TableAccess, TABLE_ACCESS } from '../../lib/tables';
import { policiesOf, type Resource, type Statement, toArray } from './support/shield-template';

/** The shield's stack with a Cognito sender, and a user pool wired by its props or by `protect`. */
function synthWithPool(wiring: 'props' | 'protect', props: Partial<SmsShieldCognitoSmsSenderProps> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new SmsShieldStack(app, 'Test');
  const sender = stack.shield.addCognitoSmsSender('Cognito', { tenantId: 'app', ...props });
  const pool =
    wiring === 'props'
      ? new UserPool(stack, 'Pool', {
          customSenderKmsKey: sender.key,
          lambdaTriggers: {
            customSmsSender: sender.function,
            ...(sender.feedbackFunction && { postConfirmation: sender.feedbackFunction, postAuthentication: sender.feedbackFunction }),
          },
        })
      : new UserPool(stack, 'Pool');
  if (wiring === 'protect') sender.protect(pool);
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  return { app, stack, sender, pool, template, resources, id: (c: IConstruct) => logicalId(stack, c) };
}

function logicalId(stack: Stack, construct: IConstruct): string {
  const element = construct instanceof CfnElement ? construct : construct.node.defaultChild;
  if (!(element instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation element`);
  return stack.getLogicalId(element);
}

const statementsOf = (resources: Record<string, Resource>, roleId: string): Statement[] =>
  policiesOf(resources)
    .filter((policy) => policy.roles.includes(roleId))
    .flatMap((policy) => policy.statements);

/** `<table>[/index/<name>] <action>` for every DynamoDB grant in `statements`, by table logical id. */
function dynamoGrants(statements: Statement[], tableNames: Record<string, string>): string[] {
  const target = (resource: any): string => {
    const join = resource['Fn::Join'];
    if (join === undefined) return tableNames[resource['Fn::GetAtt'][0]]!;
    return `${tableNames[join[1][0]['Fn::GetAtt'][0]]}${join[1][1]}`;
  };
  return statements
    .filter((statement) => toArray(statement.Action).some((action) => action.startsWith('dynamodb:')))
    .flatMap((statement) => toArray(statement.Resource).flatMap((resource) => toArray(statement.Action).map((action) => `${target(resource)} ${action}`)))
    .sort();
}

const expected = (access: Readonly<Partial<Record<string, TableAccess>>>): string[] =>
  (Object.entries(access) as [string, TableAccess][])
    .flatMap(([table, { table: onTable = [], indexes = {} }]) => [
      ...onTable.map((action) => `${table} dynamodb:${action}`),
      ...Object.entries(indexes).flatMap(([index, actions]) => actions.map((action) => `${table}/index/${index} dynamodb:${action}`)),
    ])
    .sort();

describe('SmsShield.addCognitoSmsSender', () => {
  it.each(['props', 'protect'] as const)('gives the pool (wired by %s) the sender, its key and the feedback triggers', (wiring) => {
    const s = synthWithPool(wiring);
    const fnArn = { 'Fn::GetAtt': [s.id(s.sender.function), 'Arn'] };
    const feedbackArn = { 'Fn::GetAtt': [s.id(s.sender.feedbackFunction!), 'Arn'] };
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        CustomSMSSender: { LambdaArn: fnArn, LambdaVersion: 'V1_0' },
        KMSKeyID: { 'Fn::GetAtt': [s.id(s.sender.key), 'Arn'] },
        PostConfirmation: feedbackArn,
        PostAuthentication: feedbackArn,
      },
    });
    // Cognito may invoke the sender, from this pool only.
    s.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: fnArn,
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [s.id(s.pool), 'Arn'] },
    });
  });

  it('makes a rotating key that Cognito may encrypt with, for pools of this account and region only', () => {
    const s = synthWithPool('props');
    const key = s.resources[s.id(s.sender.key)]!;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const cognito = (key.Properties.KeyPolicy.Statement as Statement[]).filter((st) => JSON.stringify(st).includes('cognito-idp'));
    expect(cognito).toEqual([
      {
        Sid: 'CognitoEncryptsCodes',
        Effect: 'Allow',
        Principal: { Service: 'cognito-idp.amazonaws.com' },
        Action: 'kms:Encrypt',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cognito-idp:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':userpool/*']],
            },
          },
        },
      },
    ]);
  });

  it('lets the sender, and no other role, decrypt with the key, and with kms:Decrypt only', () => {
    const s = synthWithPool('props');
    const keyArn = { 'Fn::GetAtt': [s.id(s.sender.key), 'Arn'] };
    const kms = policiesOf(s.resources).flatMap((policy) =>
      policy.statements.filter((st) => toArray(st.Action).some((a) => a.startsWith('kms:'))).map((st) => ({ roles: policy.roles, st })),
    );
    expect(kms).toEqual([{ roles: [s.id(s.sender.senderRole)], st: { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn } }]);
  });

  it('gives the sender exactly the send path: its tables, both secrets, SMS publish', () => {
    const s = synthWithPool('props');
    const shield = s.stack.shield;
    const tables: Record<string, string> = {
      [s.id(shield.countersTable)]: 'Counters',
      [s.id(shield.listsTable)]: 'Lists',
      [s.id(shield.tenantsTable)]: 'Tenants',
      [s.id(shield.verificationsTable)]: 'Verifications',
      [s.id(shield.eventsTable)]: 'Events',
    };
    const sender = statementsOf(s.resources, s.id(s.sender.senderRole));
    expect(dynamoGrants(sender, tables)).toEqual(expected(TABLE_ACCESS.cognitoSmsSender));
    // The send path, not the admin routes: no list or tenant writes, no key lookups by tenant.
    expect(expected(TABLE_ACCESS.cognitoSmsSender)).toEqual([
      'Counters dynamodb:BatchGetItem',
      'Counters dynamodb:UpdateItem',
      'Events dynamodb:PutItem',
      'Lists dynamodb:BatchGetItem',
      'Lists/index/byScope dynamodb:Query',
      'Tenants dynamodb:GetItem',
      'Verifications dynamodb:DeleteItem',
      'Verifications dynamodb:GetItem',
      'Verifications dynamodb:PutItem',
    ]);
    const secretReads = sender.filter((st) => toArray(st.Action).includes('secretsmanager:GetSecretValue')).map((st) => st.Resource);
    expect(secretReads).toEqual(expect.arrayContaining([{ Ref: s.id(shield.hashSecret) }, { Ref: s.id(shield.challengeSecret) }]));
    expect(sender.some((st) => toArray(st.Action).includes('sns:Publish') && st.Effect === 'Allow')).toBe(true);

    const feedback = statementsOf(s.resources, s.id(s.sender.feedbackFunction!.role!));
    expect(dynamoGrants(feedback, tables)).toEqual(expected(TABLE_ACCESS.cognitoFeedback));
    expect(expected(TABLE_ACCESS.cognitoFeedback)).toEqual(['Counters dynamodb:UpdateItem', 'Events dynamodb:PutItem', 'Verifications dynamodb:DeleteItem']);
    expect(feedback.filter((st) => toArray(st.Action).includes('secretsmanager:GetSecretValue')).map((st) => st.Resource)).toEqual([
      { Ref: s.id(shield.hashSecret) },
    ]);
    expect(feedback.some((st) => toArray(st.Action).some((a) => /^(sns|kms):/.test(a)))).toBe(false);
  });

  it('tells the sender its tenant, key and tables, and the templates only when given', () => {
    const plain = synthWithPool('props');
    const env = plain.resources[plain.id(plain.sender.function)]!.Properties.Environment.Variables;
    expect(env[ENV.COGNITO_TENANT_ID]).toBe('app');
    expect(env[ENV.COGNITO_KEY_ARN]).toEqual({ 'Fn::GetAtt': [plain.id(plain.sender.key), 'Arn'] });
    expect(env[ENV.COGNITO_CODE_TEMPLATE]).toBeUndefined();
    const worded = synthWithPool('props', { codeTemplate: '{code} is your code', temporaryPasswordTemplate: 'Password: {code}' });
    const env2 = worded.resources[worded.id(worded.sender.function)]!.Properties.Environment.Variables;
    expect(env2[ENV.COGNITO_CODE_TEMPLATE]).toBe('{code} is your code');
    expect(env2[ENV.COGNITO_TEMPORARY_PASSWORD_TEMPLATE]).toBe('Password: {code}');
    expect(plain.resources[plain.id(plain.sender.function)]!.Properties.Timeout).toBe(5);
  });

  it('sets every variable the two entry points require', () => {
    const s = synthWithPool('props');
    // An entry point's own requirements, and those of the AWS ports it builds the shield from.
    const required = (entry: string): string[] => {
      const text = readFileSync(new URL(`../../lambdas/handlers/${entry}`, import.meta.url), 'utf8');
      const own = [...text.matchAll(/requireEnv\(ENV\.([A-Z_]+)\)/g)].map((m) => ENV[m[1] as keyof typeof ENV]);
      return text.includes("from './aws-ports'") ? [...own, ...required('aws-ports.ts')] : own;
    };
    for (const [entry, fn] of [
      ['cognito-sms-sender-lambda.ts', s.sender.function],
      ['cognito-feedback-lambda.ts', s.sender.feedbackFunction!],
    ] as const) {
      const names = required(entry);
      expect(names.length, entry).toBeGreaterThan(3);
      const env = s.resources[s.id(fn)]!.Properties.Environment.Variables;
      for (const name of names) expect(env[name], `${entry} requires ${name}`).toBeDefined();
    }
  });

  it('builds no feedback function when asked not to', () => {
    const s = synthWithPool('protect', { feedback: false });
    expect(s.sender.feedbackFunction).toBeUndefined();
    const pool = Object.values(s.resources).find((r) => r.Type === 'AWS::Cognito::UserPool')!;
    expect(Object.keys(pool.Properties.LambdaConfig).sort()).toEqual(['CustomSMSSender', 'KMSKeyID']);
  });

  it.each([
    [{ tenantId: 'no spaces' }, /tenantId must be/],
    [{ codeTemplate: 'Hello' }, /codeTemplate must contain \{code\}/],
    [{ temporaryPasswordTemplate: `{code}${'x'.repeat(320)}` }, /temporaryPasswordTemplate must be at most 320 characters/],
    [{ codeTemplate: 'Code\u0007 {code}' }, /codeTemplate contains control characters/],
  ])('refuses %j at synth', (props, message) => {
    expect(() => synthWithPool('props', props as Partial<SmsShieldCognitoSmsSenderProps>)).toThrow(message);
  });

  it('refuses to guard a sender role (it sends the SMS itself), and guards others', () => {
    const s = synthWithPool('props');
    expect(() => s.stack.shield.guard(s.sender.senderRole)).toThrow(/Cognito sender role sends the SMS itself/);
    const other = new Role(s.stack, 'AppRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    expect(() => s.stack.shield.guard(other)).not.toThrow();
  });

  it('leaves cdk-nag nothing unacknowledged in the shield (the pool is the app’s own)', () => {
    const s = synthWithPool('props');
    const report = new AwsSolutionsChecks().validateScope(s.app);
    // The check sees the app: the pool's own findings (no MFA, no threat protection…) are reported, with their paths.
    const all = report.violations.flatMap((violation) => violation.violatingResources.map((resource) => resource.constructPath ?? ''));
    expect(all.some((path) => path.startsWith(s.pool.node.path))).toBe(true);
    const inShield = report.violations.flatMap((violation) =>
      violation.violatingResources
        .filter((resource) => (resource.constructPath ?? '').startsWith(s.stack.shield.node.path))
        .map((resource) => `${violation.ruleName} ${resource.constructPath}`),
    );
    expect(inShield).toEqual([]);
  });
});
