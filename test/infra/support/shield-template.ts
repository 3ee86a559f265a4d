import { App, CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { SmsShieldProps } from '../../../lib/sms-shield';
import { SmsShieldStack } from '../../../lib/sms-shield-stack';

/** Helpers shared by the SmsShield construct tests (test/infra/*.test.ts). */

export type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

export type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

export function synth(props?: SmsShieldProps) {
  // An empty bundling-stacks list skips asset bundling (the prebuilt code needs none; only a layer from
  // $SMS_SHIELD_GEO_DIR is bundled): construct tests check the template, not the assets.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new SmsShieldStack(app, 'Test', { shield: props });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const logicalId = (construct: IConstruct): string => {
    const element = construct instanceof CfnElement ? construct : construct.node.defaultChild;
    if (!(element instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation element`);
    return stack.getLogicalId(element);
  };
  const resourceOf = (construct: IConstruct): Resource => resources[logicalId(construct)]!;
  return { stack, shield: stack.shield, template, resources, logicalId, resourceOf };
}

export type Synthesized = ReturnType<typeof synth>;

export const byRef = (a: { Ref: string }, b: { Ref: string }) => a.Ref.localeCompare(b.Ref);

/** The API function's resource properties. */
export function apiFunctionPropsOf(s: Synthesized) {
  return s.resourceOf(s.shield.apiFunction).Properties;
}

/** Every identity policy in the template: standalone policies and roles' inline policies. */
export function policiesOf(resources: Record<string, Resource>): { id: string; roles: string[]; statements: Statement[] }[] {
  return Object.entries(resources).flatMap(([id, r]) => {
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
      const roles = (r.Properties.Roles ?? []).map((role: { Ref: string }) => role.Ref);
      return [{ id, roles, statements: r.Properties.PolicyDocument.Statement as Statement[] }];
    }
    if (r.Type === 'AWS::IAM::Role' || r.Type === 'AWS::IAM::User' || r.Type === 'AWS::IAM::Group') {
      return (r.Properties.Policies ?? []).map((p: { PolicyDocument: { Statement: Statement[] } }) => ({
        id,
        roles: [id],
        statements: p.PolicyDocument.Statement,
      }));
    }
    return [];
  });
}

/** Whether an IAM action pattern (with `*` / `?` wildcards, case-insensitive) covers `action`. */
export function actionMatches(pattern: string, action: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(action);
}

/** Whether an IAM action pattern covers sns:Publish. */
export function grantsSnsPublish(action: string): boolean {
  return actionMatches(action, 'sns:Publish');
}

export function toArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
