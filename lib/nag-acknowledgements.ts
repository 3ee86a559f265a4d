import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi, HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Policy, Role } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { TableSchema } from '../lambdas/adapters/dynamo/schema.js';
import { PUBLIC_ROUTES } from '../lambdas/shared/public-edge.js';
import { POINT_IN_TIME_RECOVERY, type ShieldTables, tablesByName } from './tables.js';

/*
 * Every cdk-nag (AwsSolutions) finding the SmsShield construct accepts, each pinned to one
 * construct with the reason it is accepted. test/infra/cdk-nag.test.ts lists them and fails on
 * a stale one. The public edge's own acknowledgements live in sms-shield-public-edge.ts.
 */

/** The parts of the shield that carry an acknowledgement. */
export interface AcknowledgedParts {
  readonly hashSecret: Secret;
  readonly challengeSecret: Secret;
  readonly originSecret: Secret | undefined;
  readonly apiFunction: IFunction;
  readonly smsPublishPolicy: Policy;
  readonly tables: ShieldTables;
  readonly jointDefenseFunction: IFunction;
  readonly api: HttpApi;
  /** In the order of `PUBLIC_ROUTES`. */
  readonly publicRoutes: readonly HttpRoute[];
}

/** Record every acknowledgement; call once every part exists (grants included). */
export function acknowledgeNagFindings(parts: AcknowledgedParts): void {
  acknowledgeManualKeyRotation(parts);
  acknowledgePinnedRuntime(parts);
  acknowledgeIamWildcards(parts);
  acknowledgeRoutesWithoutAuthorizer(parts);
  acknowledgeTablesWithoutPointInTimeRecovery(parts);
}

/** AwsSolutions-DDB3: the tables of short-lived state have no continuous backups, deliberately. */
function acknowledgeTablesWithoutPointInTimeRecovery({ tables }: AcknowledgedParts): void {
  const reasons: Partial<Record<TableSchema['name'], string>> = {
    Counters: 'velocity counters of sliding windows, removed by TTL; after a loss they fill again from the next requests',
    Verifications: 'pending verifications, idempotency records and used challenges, removed by TTL; a restore would revive stale state',
    Events: 'verdict events the joint-defense job reads within the hour, removed by TTL; a loss only delays shared reputation',
  };
  for (const [name, table] of Object.entries(tablesByName(tables)) as [TableSchema['name'], Table][]) {
    if (POINT_IN_TIME_RECOVERY.has(name)) continue;
    const reason = reasons[name];
    if (reason === undefined) throw new Error(`The ${name} table has no point-in-time recovery and no reason why`);
    Validations.of(table).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason: `No point-in-time recovery: the table holds ${reason}. Continuous backups of it would cost without protecting anything.`,
    });
  }
}

/** AwsSolutions-SMG4: the generated keys have no rotation schedule, deliberately. */
function acknowledgeManualKeyRotation({ hashSecret, challengeSecret, originSecret }: AcknowledgedParts): void {
  const noRotation = (secret: Secret, reason: string) => Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason });
  noRotation(
    hashSecret,
    'The secret is the key of the identifier hashes stored in the tables; rotating it would orphan every ' +
      'counter, list entry and API-key hash. Re-keying is a deliberate, manual migration, not a schedule.',
  );
  noRotation(
    challengeSecret,
    'The function reads the key once per cold start; replacing it invalidates open challenges (minutes) and ' +
      'device tokens, which the SDK re-issues. Rotation is a manual step (put a new value, redeploy), not a schedule.',
  );
  if (originSecret) {
    noRotation(
      originSecret,
      'CloudFront takes the value when the distribution is updated and the function once per cold start, so a new ' +
        'value needs both to change together (put it, then update the distribution and the function): a manual step.',
    );
  }
}

/** AwsSolutions-L1: both functions are pinned to nodejs22.x, the esbuild target. */
function acknowledgePinnedRuntime({ apiFunction, jointDefenseFunction }: AcknowledgedParts): void {
  Validations.of(apiFunction).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'Pinned to nodejs22.x, a supported runtime matching the esbuild target node22; runtime and bundle ' +
      'target are upgraded together, deliberately, not implicitly by a CDK release.',
  });
  Validations.of(jointDefenseFunction).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'Pinned to nodejs22.x like the API function, matching the esbuild target node22; upgraded together, deliberately.',
  });
}

/**
 * AwsSolutions-IAM5: the one wildcard in the API function's policies. The table grants name each
 * table and index (TABLE_ACCESS), so they need none.
 */
function acknowledgeIamWildcards({ smsPublishPolicy }: AcknowledgedParts): void {
  Validations.of(smsPublishPolicy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'sns:Publish to a phone number has no resource ARN, so the Allow must use "*" (no SNS condition key ' +
      'covers phone numbers); it is limited to this region, and a Deny on every SNS ARN excludes topics and endpoints.',
  });
}

/** AwsSolutions-APIG4: no API Gateway authorizer on any route, for the reasons given. */
function acknowledgeRoutesWithoutAuthorizer({ api, publicRoutes }: AcknowledgedParts): void {
  Validations.of(api.node.findChild('DefaultRoute')).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason:
      'Callers authenticate with a per-tenant API key that the function checks against the hashed keys in ' +
      'the Tenants table; HTTP APIs have no native API keys, and a Lambda authorizer would repeat that lookup.',
  });
  PUBLIC_ROUTES.forEach(({ method, path }, index) => {
    Validations.of(publicRoutes[index]!).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        `${method} ${path} is public by design: a browser cannot keep a key, and what it hands out is worthless ` +
        "without the tenant backend that holds one. Its own route throttle keeps it off the tenants' budget.",
    });
  });
}

/** The admin-key parts that carry an acknowledgement (see admin-key.ts). */
export interface AdminKeyAcknowledgedParts {
  readonly secret: Secret;
  readonly fn: IFunction;
  /** The provider framework's role. */
  readonly providerRole: Role;
}

/** The admin key's findings: its secret's rotation, its handler's runtime, the provider framework. */
export function acknowledgeAdminKeyFindings({ secret, fn, providerRole }: AdminKeyAcknowledgedParts): void {
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The admin key is a record in the Tenants table as well as this secret, so a rotation Lambda would have to ' +
      'write both, which the deployment already does: adminKeyGeneration issues a fresh key and revokes the old one, ' +
      'and admins rotate their keys through the admin API (sms-shield admin-keys rotate).',
  });
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'Pinned to nodejs22.x like the API function, matching the esbuild target node22; upgraded together, deliberately.',
  });
  const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
  Validations.of(providerRole.node.findChild('DefaultPolicy')).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
    reason:
      'The CDK provider framework grants its own function lambda:InvokeFunction on the bootstrap function and any of ' +
      'its versions or aliases (<arn>:*); the wildcard reaches no other function.',
  });
}
