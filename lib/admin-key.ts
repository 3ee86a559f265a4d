import { CustomResource, Duration, type RemovalPolicy, Tokenization } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { Function as BootstrapFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Provider } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { ADMIN_KEY_GENERATION_PROPERTY, ENV } from '../lambdas/shared/env.js';
import { buildFunctionRole, prebuiltFunctionDefaults } from './lambda-defaults.js';
import { acknowledgeAdminKeyFindings } from './nag-acknowledgements.js';

/** Settings of {@link buildAdminKey}. */
export interface AdminKeyProps {
  /** Changing it issues a fresh admin key (and revokes the one issued before). */
  readonly generation: number;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Ship source maps and enable them at run time (see `SmsShieldProps.sourceMaps`). */
  readonly sourceMaps: boolean;
  /** Where the key's hash is stored, as an admin key record. */
  readonly tenantsTable: Table;
}

/** The secret holding the admin key, and what puts it there. */
export interface AdminKeyParts {
  /** The admin key, a plain string, written at deploy time (never in the template). */
  readonly secret: Secret;
  /** The custom resource handler: generates the key, writes the secret and the key record. */
  readonly fn: BootstrapFunction;
  readonly role: Role;
  /** The CDK provider framework in front of the handler, with its own role and log group. */
  readonly provider: Provider;
  readonly providerRole: Role;
  readonly resource: CustomResource;
}

/**
 * The first admin key of a deployment: a custom resource whose handler generates a key, writes
 * it to a Secrets Manager secret and stores its SHA-256 as an admin key record. The handler may
 * put the secret's value and read and write `key#…` items of the Tenants table, nothing else.
 */
export function buildAdminKey(scope: Construct, props: AdminKeyProps): AdminKeyParts {
  const secret = new Secret(scope, 'AdminKeySecret', {
    description: 'SMS Shield admin key, written by the deployment (a new one when adminKeyGeneration changes)',
    removalPolicy: props.removalPolicy,
  });

  const { role, logGroup } = buildFunctionRole(
    scope,
    { role: 'AdminKeyBootstrapRole', logGroup: 'AdminKeyBootstrapLogs' },
    'SMS Shield admin-key bootstrap',
    props.logRetention,
    props.removalPolicy,
  );
  role.addToPrincipalPolicy(new PolicyStatement({ sid: 'WriteAdminKeySecret', actions: ['secretsmanager:PutSecretValue'], resources: [secret.secretArn] }));
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'WriteAdminKeyRecords',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resources: [props.tenantsTable.tableArn],
      // Key items only (`key#<sha256>` and the bootstrap's `key#bootstrap`), never a tenant.
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['key#*'] } },
    }),
  );
  const base = prebuiltFunctionDefaults('admin-key-bootstrap', props.sourceMaps);
  const fn = new BootstrapFunction(scope, 'AdminKeyBootstrapFunction', {
    ...base,
    memorySize: 256,
    timeout: Duration.seconds(30),
    role,
    logGroup,
    environment: base.environment,
  });

  const framework = buildFunctionRole(
    scope,
    { role: 'AdminKeyProviderRole', logGroup: 'AdminKeyProviderLogs' },
    'SMS Shield admin-key custom resource provider',
    props.logRetention,
    props.removalPolicy,
  );
  const provider = new Provider(scope, 'AdminKeyProvider', { onEventHandler: fn, frameworkOnEventRole: framework.role, logGroup: framework.logGroup });
  const resource = new CustomResource(scope, 'AdminKeyBootstrap', {
    serviceToken: provider.serviceToken,
    resourceType: 'Custom::SmsShieldAdminKey',
    properties: {
      [ENV.TENANTS_TABLE]: props.tenantsTable.tableName,
      [ENV.ADMIN_KEY_SECRET_ARN]: secret.secretArn,
      [ADMIN_KEY_GENERATION_PROPERTY]: Tokenization.stringifyNumber(props.generation),
    },
  });

  const parts = { secret, fn, role, provider, providerRole: framework.role, resource };
  acknowledgeAdminKeyFindings(parts);
  return parts;
}
