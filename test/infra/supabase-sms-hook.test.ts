import { readFileSync } from 'node:fs';
import { App, CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/shared/env';
import type { SmsShieldSupabaseSmsHookProps } from '../../lib/supabase-sms-hook';
import { TABLE_ACCESS, type TableAccess } from '../../lib/tables';
import { SmsShieldStack } from '../../lib/sms-shield-stack';
import { policiesOf, type Resource, toArray } from './support/shield-template';

function synthWithHook(props: Partial<SmsShieldSupabaseSmsHookProps> = {}, ownSecret = false) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new SmsShieldStack(app, 'Test');
  const hookSecret = ownSecret ? new Secret(stack, 'MyHookSecret') : undefined;
  const hook = stack.shield.addSupabaseSmsHook('Supabase', { tenantId: 'app', ...(hookSecret && { hookSecret }), ...props });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  return { app, stack, hook, hookSecret, template, resources, id: (c: IConstruct) => logicalId(stack, c) };
}

function logicalId(stack: Stack, construct: IConstruct): string {
  const element = construct instanceof CfnElement ? construct : construct.node.defaultChild;
  if (!(element instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation element`);
  return stack.getLogicalId(element);
}

describe('SmsShield.addSupabaseSmsHook', () => {
  it('puts the hook behind a function URL without IAM auth (Supabase signs its calls instead)', () => {
    const s = synthWithHook();
    s.template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [s.id(s.hook.function), 'Arn'] },
    });
    const fn = s.resources[s.id(s.hook.function)]!.Properties;
    expect(fn.Timeout).toBe(5);
    expect(fn.Environment.Variables[ENV.SUPABASE_TENANT_ID]).toBe('app');
    expect(fn.Environment.Variables[ENV.SUPABASE_HOOK_SECRET_ARN]).toEqual({ Ref: s.id(s.hook.hookSecret) });
  });

  it('gives the hook the send path, the hashing key and its own secret: no challenge key, no KMS', () => {
    const s = synthWithHook();
    const statements = policiesOf(s.resources)
      .filter((policy) => policy.roles.includes(s.id(s.hook.senderRole)))
      .flatMap((policy) => policy.statements);
    const actions = statements.flatMap((st) => toArray(st.Action));
    const shield = s.stack.shield;
    const tables: Record<string, string> = {
      [s.id(shield.countersTable)]: 'Counters',
      [s.id(shield.listsTable)]: 'Lists',
      [s.id(shield.tenantsTable)]: 'Tenants',
      [s.id(shield.verificationsTable)]: 'Verifications',
      [s.id(shield.eventsTable)]: 'Events',
    };
    const target = (resource: any): string => {
      const join = resource['Fn::Join'];
      return join === undefined ? tables[resource['Fn::GetAtt'][0]]! : `${tables[join[1][0]['Fn::GetAtt'][0]]}${join[1][1]}`;
    };
    const grants = statements
      .filter((st) => toArray(st.Action).some((a) => a.startsWith('dynamodb:')))
      .flatMap((st) => toArray(st.Resource).flatMap((resource) => toArray(st.Action).map((a) => `${target(resource)} ${a}`)))
      .sort();
    const expected = (Object.entries(TABLE_ACCESS.supabaseSmsHook) as [string, TableAccess][])
      .flatMap(([table, { table: onTable = [], indexes = {} }]) => [
        ...onTable.map((a) => `${table} dynamodb:${a}`),
        ...Object.entries(indexes).flatMap(([index, list]) => list.map((a) => `${table}/index/${index} dynamodb:${a}`)),
      ])
      .sort();
    expect(grants).toEqual(expected);
    expect(TABLE_ACCESS.supabaseSmsHook).toBe(TABLE_ACCESS.cognitoSmsSender);
    const secretReads = statements.filter((st) => toArray(st.Action).includes('secretsmanager:GetSecretValue')).map((st) => st.Resource);
    expect(secretReads).toEqual(expect.arrayContaining([{ Ref: s.id(s.stack.shield.hashSecret) }, { Ref: s.id(s.hook.hookSecret) }]));
    expect(secretReads).not.toContainEqual({ Ref: s.id(s.stack.shield.challengeSecret) });
    expect(actions.some((a) => a.startsWith('kms:'))).toBe(false);
    expect(statements.some((st) => toArray(st.Action).includes('sns:Publish') && st.Effect === 'Allow')).toBe(true);
  });

  it('uses a secret of the app when given one, and creates none', () => {
    const s = synthWithHook({}, true);
    expect(s.hook.hookSecret).toBe(s.hookSecret);
    expect(Object.values(s.resources).filter((r) => r.Type === 'AWS::SecretsManager::Secret' && /Supabase/.test(r.Properties.Description ?? ''))).toEqual([]);
  });

  it('sets every variable the entry point requires', () => {
    const s = synthWithHook();
    const source = readFileSync(new URL('../../lambdas/handlers/supabase-sms-hook-lambda.ts', import.meta.url), 'utf8');
    const names = [...source.matchAll(/requireEnv\(ENV\.([A-Z_]+)\)/g)].map((m) => ENV[m[1] as keyof typeof ENV]);
    expect(names.length).toBeGreaterThan(5);
    const env = s.resources[s.id(s.hook.function)]!.Properties.Environment.Variables;
    for (const name of names) expect(env[name], name).toBeDefined();
  });

  it.each([
    [{ tenantId: 'a b' }, /tenantId must be/],
    [{ codeTemplate: 'no code' }, /codeTemplate must contain \{code\}/],
  ])('refuses %j at synth', (props, message) => {
    expect(() => synthWithHook(props)).toThrow(message);
  });

  it('refuses to guard the hook role, and leaves cdk-nag nothing unacknowledged in the shield', () => {
    const s = synthWithHook();
    expect(() => s.stack.shield.guard(s.hook.senderRole)).toThrow(/sends the SMS itself/);
    const report = new AwsSolutionsChecks().validateScope(s.app);
    const inShield = report.violations.flatMap((violation) =>
      violation.violatingResources
        .filter((resource) => (resource.constructPath ?? '').startsWith(s.stack.shield.node.path))
        .map((resource) => `${violation.ruleName} ${resource.constructPath}`),
    );
    expect(inShield).toEqual([]);
  });
});
