import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { App, CfnElement, CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type IRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ALL_TABLES,
  COUNTERS_TABLE,
  EVENTS_TABLE,
  LISTS_TABLE,
  TENANTS_TABLE,
  type TableSchema,
  VERIFICATIONS_TABLE,
} from '../../lambdas/adapters/dynamo/schema';
import { GEO_DIR_ENV, GEO_LAYER_FILES, LAMBDA_GEO_DIR, resolveGeoDataFiles } from '../../lambdas/shared/geo-files';
import { PUBLIC_ROUTES } from '../../lambdas/handlers/public-routes';
import { ENV } from '../../lambdas/shared/env';
import { SmsShield, type SmsShieldProps } from '../../lib/sms-shield';
import { SmsShieldStack } from '../../lib/sms-shield-stack';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

function synth(props?: SmsShieldProps) {
  // An empty bundling-stacks list skips esbuild: construct tests check the template, not the bundle.
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

const defaults = synth();

const byRef = (a: { Ref: string }, b: { Ref: string }) => a.Ref.localeCompare(b.Ref);

function apiFunctionProps(s = defaults) {
  return s.resourceOf(s.shield.apiFunction).Properties;
}

describe('DynamoDB tables', () => {
  const cases: [TableSchema, (shield: SmsShield) => IConstruct][] = [
    [COUNTERS_TABLE, (shield) => shield.countersTable],
    [LISTS_TABLE, (shield) => shield.listsTable],
    [TENANTS_TABLE, (shield) => shield.tenantsTable],
    [VERIFICATIONS_TABLE, (shield) => shield.verificationsTable],
    [EVENTS_TABLE, (shield) => shield.eventsTable],
  ];

  it('creates exactly the schema tables', () => {
    expect(cases.map(([schema]) => schema)).toEqual(ALL_TABLES);
    defaults.template.resourceCountIs('AWS::DynamoDB::Table', ALL_TABLES.length);
  });

  it.each(cases)('%s: on-demand, PITR, encrypted, keyed and indexed as in the schema', (schema, tableOf) => {
    const table = defaults.resourceOf(tableOf(defaults.shield));
    const props = table.Properties;
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
    expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(props.SSESpecification).toEqual({ SSEEnabled: true });
    expect(props.KeySchema).toEqual([
      { AttributeName: schema.partitionKey, KeyType: 'HASH' },
      ...(schema.sortKey ? [{ AttributeName: schema.sortKey, KeyType: 'RANGE' }] : []),
    ]);
    expect(props.GlobalSecondaryIndexes ?? []).toEqual(
      schema.globalIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    expect(table.DeletionPolicy).toBe('Retain');
  });

  it('sets TTL on expiresAt for Counters, Lists, Verifications and Events only', () => {
    const ttl = (tableOf: (shield: SmsShield) => IConstruct) =>
      defaults.resourceOf(tableOf(defaults.shield)).Properties.TimeToLiveSpecification;
    expect(ttl((s) => s.countersTable)).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(ttl((s) => s.listsTable)).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(ttl((s) => s.verificationsTable)).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(ttl((s) => s.eventsTable)).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(ttl((s) => s.tenantsTable)).toBeUndefined();
  });

  it('has the byScope GSI on Lists (scope, pk)', () => {
    const indexes = defaults.resourceOf(defaults.shield.listsTable).Properties.GlobalSecondaryIndexes;
    expect(indexes).toEqual([
      expect.objectContaining({
        IndexName: 'byScope',
        KeySchema: [
          { AttributeName: 'scope', KeyType: 'HASH' },
          { AttributeName: 'pk', KeyType: 'RANGE' },
        ],
      }),
    ]);
  });

  it('follows removalPolicy for tables and the secret', () => {
    const s = synth({ removalPolicy: RemovalPolicy.DESTROY });
    for (const table of [s.shield.countersTable, s.shield.listsTable, s.shield.tenantsTable, s.shield.verificationsTable, s.shield.eventsTable]) {
      expect(s.resourceOf(table).DeletionPolicy).toBe('Delete');
    }
    expect(s.resourceOf(s.shield.hashSecret).DeletionPolicy).toBe('Delete');
    expect(defaults.resourceOf(defaults.shield.hashSecret).DeletionPolicy).toBe('Retain');
    expect(s.resourceOf(s.shield.challengeSecret).DeletionPolicy).toBe('Delete');
    expect(defaults.resourceOf(defaults.shield.challengeSecret).DeletionPolicy).toBe('Retain');
  });
});

describe('hashing secret', () => {
  it('generates a 48-character key', () => {
    expect(defaults.resourceOf(defaults.shield.hashSecret).Properties.GenerateSecretString).toMatchObject({
      PasswordLength: 48,
    });
  });
});

describe('challenge secret', () => {
  it('is a second generated 48-character key, separate from the hashing key', () => {
    const challenge = defaults.resourceOf(defaults.shield.challengeSecret);
    expect(challenge.Type).toBe('AWS::SecretsManager::Secret');
    expect(challenge.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48 });
    expect(defaults.logicalId(defaults.shield.challengeSecret)).not.toBe(defaults.logicalId(defaults.shield.hashSecret));
    defaults.template.resourceCountIs('AWS::SecretsManager::Secret', 2);
  });
});

describe('API function', () => {
  it('runs Node.js 22 on arm64 with active tracing', () => {
    const props = apiFunctionProps();
    expect(props.Runtime).toBe('nodejs22.x');
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.MemorySize).toBe(1024);
  });

  it('points its environment at the tables and the secret', () => {
    const { Variables } = apiFunctionProps().Environment;
    const ref = (construct: IConstruct) => ({ Ref: defaults.logicalId(construct) });
    expect(Variables[ENV.COUNTERS_TABLE]).toEqual(ref(defaults.shield.countersTable));
    expect(Variables[ENV.LISTS_TABLE]).toEqual(ref(defaults.shield.listsTable));
    expect(Variables[ENV.TENANTS_TABLE]).toEqual(ref(defaults.shield.tenantsTable));
    expect(Variables[ENV.VERIFICATIONS_TABLE]).toEqual(ref(defaults.shield.verificationsTable));
    expect(Variables[ENV.HASH_SECRET_ARN]).toEqual(ref(defaults.shield.hashSecret));
    expect(Variables[ENV.CHALLENGE_SECRET_ARN]).toEqual(ref(defaults.shield.challengeSecret));
    expect(Variables[ENV.DEFAULT_MODE]).toBe('enforce');
    expect(Variables[ENV.MAX_LIST_ENTRIES]).toBe('5000');
    expect(Variables).not.toHaveProperty(ENV.SENDER_ID);
  });

  it('passes mode, sender id, memory size and the list cap from props', () => {
    const s = synth({ defaultMode: 'shadow', senderId: 'Acme', memorySize: 512, maxListEntries: 250 });
    const props = apiFunctionProps(s);
    expect(props.Environment.Variables[ENV.DEFAULT_MODE]).toBe('shadow');
    expect(props.Environment.Variables[ENV.MAX_LIST_ENTRIES]).toBe('250');
    expect(props.Environment.Variables[ENV.SENDER_ID]).toBe('Acme');
    expect(props.MemorySize).toBe(512);
  });

  it('logs to its own log group with the configured retention', () => {
    const logGroupId = apiFunctionProps().LoggingConfig.LogGroup.Ref;
    expect(defaults.resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
    });
    const s = synth({ logRetention: RetentionDays.ONE_WEEK });
    expect(s.resources[apiFunctionProps(s).LoggingConfig.LogGroup.Ref]!.Properties.RetentionInDays).toBe(7);
  });

  it('gets read/write on the tables and read on both secrets', () => {
    const role = defaults.logicalId(defaults.shield.apiFunction.role!);
    const statements = policiesOf(defaults.resources)
      .filter((policy) => policy.roles.includes(role))
      .flatMap((policy) => policy.statements);
    const grantOn = (action: string) =>
      statements.filter((s) => s.Effect === 'Allow' && toArray(s.Action).includes(action)).flatMap((s) => toArray(s.Resource));
    const { countersTable, listsTable, tenantsTable, verificationsTable } = defaults.shield;
    for (const table of [countersTable, listsTable, tenantsTable, verificationsTable]) {
      for (const action of ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) {
        expect(grantOn(action)).toContainEqual({ 'Fn::GetAtt': [defaults.logicalId(table), 'Arn'] });
      }
    }
    expect((grantOn('secretsmanager:GetSecretValue') as { Ref: string }[]).sort(byRef)).toEqual(
      [{ Ref: defaults.logicalId(defaults.shield.hashSecret) }, { Ref: defaults.logicalId(defaults.shield.challengeSecret) }].sort(byRef),
    );
  });
});

describe('GeoIP layer', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is an arm64 Node.js 22 layer attached to the API function', () => {
    const layer = defaults.resourceOf(defaults.shield.geoLayer);
    expect(layer.Type).toBe('AWS::Lambda::LayerVersion');
    expect(layer.Properties.CompatibleRuntimes).toEqual(['nodejs22.x']);
    expect(layer.Properties.CompatibleArchitectures).toEqual(['arm64']);
    expect(apiFunctionProps().Layers).toEqual([{ Ref: defaults.logicalId(defaults.shield.geoLayer) }]);
  });

  it('tells the function where the layer puts the data', () => {
    expect(apiFunctionProps().Environment.Variables[GEO_DIR_ENV]).toBe(LAMBDA_GEO_DIR);
    expect(LAMBDA_GEO_DIR).toBe('/opt/geo');
  });

  it('fails the synth with the command to run when a data file is missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'sms-shield-no-geo-'));
    try {
      vi.stubEnv(GEO_DIR_ENV, empty);
      const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'NoGeo');
      expect(() => new SmsShield(stack, 'Shield')).toThrow(/npm run build:geo-data/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('bundles exactly the geo files under geo/, and keeps them out of the function bundle', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'sms-shield-synth-'));
    try {
      // Bundling on (no bundling-stacks context): esbuild for the function, a file copy for the layer.
      const stack = new SmsShieldStack(new App({ outdir }), 'Bundled');
      const template = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
      const assetDir = (id: string, key: (p: Record<string, any>) => string) =>
        join(outdir, `asset.${basename(key(template[id]!.Properties), '.zip')}`);
      const shield = stack.shield;

      const layerDir = assetDir(stack.getLogicalId(shield.geoLayer.node.defaultChild as CfnElement), (p) => p.Content.S3Key);
      expect(readdirSync(layerDir)).toEqual(['geo']);
      expect(readdirSync(join(layerDir, 'geo')).sort()).toEqual([...GEO_LAYER_FILES].sort());
      for (const source of Object.values(resolveGeoDataFiles())) {
        expect(statSync(join(layerDir, 'geo', basename(source))).size).toBe(statSync(source).size);
      }

      const functionDir = assetDir(stack.getLogicalId(shield.apiFunction.node.defaultChild as CfnElement), (p) => p.Code.S3Key);
      expect(readdirSync(functionDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
      // ≈ 0.75 MB today; the data files alone are ≈ 18 MB, so any of them in the bundle trips this.
      expect(statSync(join(functionDir, 'index.mjs')).size).toBeLessThan(2_000_000);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('SMS publishing', () => {
  it('is allowed to the API function role and nowhere else', () => {
    const publishers = policiesOf(defaults.resources).filter((policy) =>
      policy.statements.some((s) => s.Effect === 'Allow' && toArray(s.Action).some(grantsSnsPublish)),
    );
    expect(publishers).toHaveLength(1);
    expect(publishers[0]!.roles).toEqual([defaults.logicalId(defaults.shield.apiFunction.role!)]);
    // The only managed policy is the guardrail, and it grants nothing.
    const managed = Object.values(defaults.resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy');
    expect(managed).toHaveLength(1);
    expect((managed[0]!.Properties.PolicyDocument.Statement as Statement[]).map((s) => s.Effect)).toEqual(['Deny', 'Deny']);
  });

  it('allows direct SMS in the stack region and denies every SNS topic or endpoint', () => {
    const publisher = policiesOf(defaults.resources).find((policy) =>
      policy.statements.some((s) => toArray(s.Action).includes('sns:Publish')),
    )!;
    expect(publisher.statements).toEqual([
      {
        Sid: 'PublishSmsToPhoneNumbers',
        Effect: 'Allow',
        Action: 'sns:Publish',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } },
      },
      {
        Sid: 'DenyPublishToTopicsAndEndpoints',
        Effect: 'Deny',
        Action: 'sns:Publish',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] },
      },
    ]);
  });
});

describe('direct-SMS guardrail', () => {
  function withAppRoles(guardrail?: (roles: IRole[]) => SmsShieldProps['guardrail']) {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'App');
    const appRole = new Role(stack, 'CheckoutRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const imported = Role.fromRoleName(stack, 'Imported', 'legacy-sms-sender');
    const shield = new SmsShield(stack, 'Shield', { guardrail: guardrail?.([appRole, imported]) });
    const template = Template.fromStack(stack);
    const [id, policy] = Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))[0]!;
    return { stack, shield, appRole, imported, template, id, policy: policy as Resource, logicalId: stack.getLogicalId(appRole.node.defaultChild as CfnElement) };
  }

  it('denies sns:Publish to anything that is not an SNS ARN (phone numbers) and End User Messaging SMS', () => {
    const { policy } = withAppRoles();
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'DenySmsToPhoneNumbersOutsideSmsShield',
        Effect: 'Deny',
        Action: 'sns:Publish',
        NotResource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] },
      },
      { Sid: 'DenyEndUserMessagingSmsOutsideSmsShield', Effect: 'Deny', Action: 'sms-voice:SendTextMessage', Resource: '*' },
    ]);
    // Created for users to attach, attached to nobody by default.
    expect(policy.Properties.Roles).toBeUndefined();
  });

  it('is attached to the named roles, in the stack or imported by name, and never to the API function role', () => {
    const { policy, logicalId, shield, stack } = withAppRoles((roles) => ({ roles }));
    expect(policy.Properties.Roles).toEqual([{ Ref: logicalId }, 'legacy-sms-sender']);
    const apiRole = stack.getLogicalId(shield.apiFunction.role!.node.defaultChild as CfnElement);
    expect(policy.Properties.Roles).not.toContainEqual({ Ref: apiRole });
  });

  it('leaves End User Messaging alone when asked', () => {
    const { policy } = withAppRoles((roles) => ({ roles, denyEndUserMessagingSms: false }));
    expect(policy.Properties.PolicyDocument.Statement.map((s: Statement) => s.Action)).toEqual(['sns:Publish']);
  });

  it('refuses to guard the role that sends the SMS', () => {
    const { shield } = withAppRoles();
    expect(() => shield.guard(shield.apiFunction.role!)).toThrow(/API function role/);
  });

  it('denies a publish to a phone number (resource "*") and lets topic and endpoint publishes through', () => {
    const { policy } = withAppRoles((roles) => ({ roles }));
    const [deny] = policy.Properties.PolicyDocument.Statement as { NotResource: { 'Fn::Join': [string, unknown[]] } }[];
    // IAM glob semantics on the rendered pattern, in the aws partition.
    const pattern = deny!.NotResource['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'aws')).join('');
    const matches = (arn: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(arn);
    const denied = (resource: string) => !matches(resource);
    expect(denied('*')).toBe(true);
    expect(denied('arn:aws:sns:eu-west-1:123456789012:order-events')).toBe(false);
    expect(denied('arn:aws:sns:eu-west-1:123456789012:endpoint/GCM/app/0f2c')).toBe(false);
  });
});

describe('HTTP API', () => {
  const stageOf = (s: typeof defaults) => Object.entries(s.resources).find(([, r]) => r.Type === 'AWS::ApiGatewayV2::Stage')!;
  const publicKeys = ['GET /v1/challenge', 'OPTIONS /v1/challenge', 'POST /v1/device', 'OPTIONS /v1/device'];

  it('routes $default (every tenant and admin route) and the four public routes to the one function', () => {
    defaults.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    const routes = Object.values(defaults.resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(['$default', ...publicKeys].sort());
    expect(PUBLIC_ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual(publicKeys);
    const integrations = new Set(routes.map((r) => r.Properties.Target['Fn::Join'][1][1].Ref as string));
    expect(integrations.size).toBe(1);
    expect(defaults.resources[[...integrations][0]!]!.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [defaults.logicalId(defaults.shield.apiFunction), 'Arn'] },
    });
    // No authorizer anywhere: tenant keys are checked by the function, the public routes take none.
    for (const route of routes) expect(route.Properties.AuthorizationType).toBe('NONE');
  });

  it('throttles the $default route, the tenants\' total, at 100 rps / 200 burst by default', () => {
    defaults.template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    defaults.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
  });

  it('gives each public route its own lower throttle (20 rps / 40 burst), and nothing else a route setting', () => {
    const [, stage] = stageOf(defaults);
    expect(stage.Properties.RouteSettings).toEqual(
      Object.fromEntries(publicKeys.map((key) => [key, { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 }])),
    );
    expect(stage.Properties.RouteSettings).not.toHaveProperty('$default');
  });

  it('creates the stage after the routes its route settings name', () => {
    const [, stage] = stageOf(defaults) as [string, Resource & { DependsOn?: string[] }];
    for (const route of defaults.shield.publicRoutes) expect(stage.DependsOn).toContain(defaults.logicalId(route));
  });

  it('throttles the $default route and the public routes as configured', () => {
    const s = synth({ throttle: { rateLimit: 25, burstLimit: 50 }, publicRouteThrottle: { rateLimit: 5, burstLimit: 10 } });
    const [, stage] = stageOf(s);
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 });
    for (const key of publicKeys) expect(stage.Properties.RouteSettings[key]).toEqual({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 });
  });

  it('writes access logs to a log group with the configured retention', () => {
    const stage = Object.values(defaults.resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Stage')!;
    const { DestinationArn, Format } = stage.Properties.AccessLogSettings;
    expect(defaults.resources[DestinationArn['Fn::GetAtt'][0]]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
    });
    expect(JSON.parse(Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
  });
});

describe('joint-defense job', () => {
  const job = () => defaults.resourceOf(defaults.shield.jointDefenseFunction);
  const statementsOf = (s: typeof defaults, construct: IConstruct) => {
    const role = s.logicalId(construct);
    return policiesOf(s.resources)
      .filter((policy) => policy.roles.includes(role))
      .flatMap((policy) => policy.statements);
  };

  it('runs Node.js 22 on arm64 inside the one-minute cadence, never retried (the next run covers a failed one)', () => {
    expect(job().Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 50 });
    const invokeConfig = Object.values(defaults.resources).find((r) => r.Type === 'AWS::Lambda::EventInvokeConfig')!;
    expect(invokeConfig.Properties).toMatchObject({
      FunctionName: { Ref: defaults.logicalId(defaults.shield.jointDefenseFunction) },
      MaximumRetryAttempts: 0,
    });
  });

  it('is invoked by an EventBridge schedule, every minute by default', () => {
    const rule = defaults.resourceOf(defaults.shield.jointDefenseSchedule);
    expect(rule.Properties).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [defaults.logicalId(defaults.shield.jointDefenseFunction), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } }),
    ]);
    const permission = Object.values(defaults.resources).find(
      (r) => r.Type === 'AWS::Lambda::Permission' && r.Properties.Principal === 'events.amazonaws.com',
    )!;
    expect(permission.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [defaults.logicalId(defaults.shield.jointDefenseFunction), 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [defaults.logicalId(defaults.shield.jointDefenseSchedule), 'Arn'] },
    });
    const s = synth({ jointDefenseSchedule: Duration.minutes(5) });
    expect(s.resourceOf(s.shield.jointDefenseSchedule).Properties.ScheduleExpression).toBe('rate(5 minutes)');
  });

  it('reads the Events table and writes the Lists table, and may do nothing else', () => {
    const props = job().Properties;
    const ref = (construct: IConstruct) => ({ Ref: defaults.logicalId(construct) });
    expect(props.Environment.Variables).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      [ENV.EVENTS_TABLE]: ref(defaults.shield.eventsTable),
      [ENV.LISTS_TABLE]: ref(defaults.shield.listsTable),
    });
    const arn = (construct: IConstruct) => ({ 'Fn::GetAtt': [defaults.logicalId(construct), 'Arn'] });
    const statements = statementsOf(defaults, defaults.shield.jointDefenseFunction.role!);
    const data = statements.filter((s) => toArray(s.Action).some((a) => !a.startsWith('logs:')));
    expect(data).toEqual([
      { Sid: 'ReadVerdictEvents', Effect: 'Allow', Action: 'dynamodb:Query', Resource: arn(defaults.shield.eventsTable) },
      {
        Sid: 'WriteSharedReputation',
        Effect: 'Allow',
        Action: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'],
        Resource: arn(defaults.shield.listsTable),
      },
    ]);
    // Logs only to its own log group.
    const logGroupId = props.LoggingConfig.LogGroup.Ref as string;
    for (const s of statements.filter((st) => toArray(st.Action).some((a) => a.startsWith('logs:')))) {
      expect(JSON.stringify(s.Resource)).toContain(logGroupId);
    }
    // The role is the job's alone, and the job's role is not the API function's.
    expect(defaults.logicalId(defaults.shield.jointDefenseFunction.role!)).not.toBe(defaults.logicalId(defaults.shield.apiFunction.role!));
  });

  it('lets the API function only append events (PutItem), nothing more', () => {
    const statements = statementsOf(defaults, defaults.shield.apiFunction.role!);
    const onEvents = statements.filter((s) => JSON.stringify(s.Resource).includes(defaults.logicalId(defaults.shield.eventsTable)));
    expect(onEvents.map((s) => s.Action)).toEqual(['dynamodb:PutItem']);
    expect(apiFunctionProps().Environment.Variables[ENV.EVENTS_TABLE]).toEqual({ Ref: defaults.logicalId(defaults.shield.eventsTable) });
  });

  it('alarms on a failed run and on a stalled schedule', () => {
    const failure = defaults.resourceOf(defaults.shield.jointDefenseAlarm).Properties;
    expect(failure).toMatchObject({
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: defaults.logicalId(defaults.shield.jointDefenseFunction) } }],
    });
    const stalled = defaults.resourceOf(defaults.shield.jointDefenseStalledAlarm).Properties;
    expect(stalled).toMatchObject({
      MetricName: 'Invocations',
      Period: 900,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('gives the API function, and only it, the alliance secret when one is set', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Alliance');
    const allianceSecret = new Secret(stack, 'AllianceKey');
    const shield = new SmsShield(stack, 'Shield', { allianceSecret });
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
    const id = (c: IConstruct) => stack.getLogicalId((c instanceof CfnElement ? c : c.node.defaultChild) as CfnElement);
    expect(resources[id(shield.apiFunction)]!.Properties.Environment.Variables[ENV.ALLIANCE_SECRET_ARN]).toEqual({ Ref: id(allianceSecret) });
    const readers = policiesOf(resources).filter((p) =>
      p.statements.some((s) => toArray(s.Action).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes(id(allianceSecret))),
    );
    expect(readers.flatMap((p) => p.roles)).toEqual([id(shield.apiFunction.role!)]);
    expect(apiFunctionProps().Environment.Variables).not.toHaveProperty(ENV.ALLIANCE_SECRET_ARN);
  });
});

describe('SmsShieldStack', () => {
  it('outputs the API URL, the public endpoint URL, table names, secret ARN and the guardrail policy ARN', () => {
    const outputs = defaults.template.toJSON().Outputs;
    expect(Object.keys(outputs).sort()).toEqual(
      ['ApiUrl', 'CountersTableName', 'DirectSmsGuardrailArn', 'EventsTableName', 'HashSecretArn', 'ListsTableName', 'PublicEndpointUrl', 'TenantsTableName', 'VerificationsTableName'].sort(),
    );
    expect(outputs.DirectSmsGuardrailArn.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.directSmsGuardrail.node.defaultChild as CfnElement) });
    expect(outputs.TenantsTableName.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.tenantsTable) });
    expect(outputs.VerificationsTableName.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.verificationsTable) });
    expect(outputs.HashSecretArn.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.hashSecret) });
    expect(outputs.EventsTableName.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.eventsTable) });
    expect(JSON.stringify(outputs.ApiUrl.Value)).toContain('execute-api');
  });
});

describe('prop validation', () => {
  it.each<[string, SmsShieldProps, RegExp]>([
    ['zero rateLimit', { throttle: { rateLimit: 0, burstLimit: 10 } }, /throttle\.rateLimit/],
    ['fractional rateLimit', { throttle: { rateLimit: 1.5, burstLimit: 10 } }, /throttle\.rateLimit/],
    ['negative burstLimit', { throttle: { rateLimit: 10, burstLimit: -1 } }, /throttle\.burstLimit/],
    ['burst below rate', { throttle: { rateLimit: 100, burstLimit: 50 } }, /throttle\.burstLimit.*throttle\.rateLimit/],
    ['memory too small', { memorySize: 64 }, /memorySize/],
    ['memory not an integer', { memorySize: 1000.5 }, /memorySize/],
    ['unknown mode', { defaultMode: 'block' as 'enforce' }, /defaultMode/],
    ['sender id too long', { senderId: 'TwelveChars1' }, /senderId/],
    ['sender id without a letter', { senderId: '12345' }, /senderId/],
    ['sender id with a space', { senderId: 'Acme Co' }, /senderId/],
    ['a schedule under a minute', { jointDefenseSchedule: Duration.seconds(30) }, /jointDefenseSchedule/],
    ['a schedule in part minutes', { jointDefenseSchedule: Duration.seconds(90) }, /jointDefenseSchedule/],
    ['a schedule over an hour', { jointDefenseSchedule: Duration.hours(2) }, /jointDefenseSchedule/],
    ['a public route rate of zero', { publicRouteThrottle: { rateLimit: 0, burstLimit: 10 } }, /publicRouteThrottle\.rateLimit/],
    ['a public route burst below its rate', { publicRouteThrottle: { rateLimit: 30, burstLimit: 20 } }, /publicRouteThrottle\.burstLimit.*publicRouteThrottle\.rateLimit/],
    ['a fractional public route burst', { publicRouteThrottle: { rateLimit: 3, burstLimit: 4.5 } }, /publicRouteThrottle\.burstLimit/],
    ['a list cap of zero', { maxListEntries: 0 }, /maxListEntries/],
    ['a fractional list cap', { maxListEntries: 12.5 }, /maxListEntries/],
    ['a list cap over 100,000', { maxListEntries: 100_001 }, /maxListEntries/],
  ])('rejects %s', (_name, props, message) => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Invalid');
    expect(() => new SmsShield(stack, 'Shield', props)).toThrow(message);
  });

  it('accepts burst equal to rate', () => {
    expect(() => synth({ throttle: { rateLimit: 10, burstLimit: 10 } })).not.toThrow();
  });

  it('names every mistake in one error, not only the first', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Invalid');
    const message = (() => {
      try {
        new SmsShield(stack, 'Shield', { throttle: { rateLimit: 0, burstLimit: 10 }, memorySize: 64, senderId: '12345' });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    for (const prop of ['throttle.rateLimit', 'memorySize', 'senderId']) expect(message).toContain(`SmsShieldProps.${prop}`);
  });

  it('leaves values CloudFormation resolves (parameters) to CloudFormation', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Tokens');
    const rate = new CfnParameter(stack, 'Rate', { type: 'Number' }).valueAsNumber;
    const memory = new CfnParameter(stack, 'Memory', { type: 'Number' }).valueAsNumber;
    const cap = new CfnParameter(stack, 'Cap', { type: 'Number' }).valueAsNumber;
    const shield = new SmsShield(stack, 'Shield', { throttle: { rateLimit: rate, burstLimit: 10 }, memorySize: memory, maxListEntries: cap });
    const fn = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(shield.apiFunction.node.defaultChild as CfnElement)];
    expect(fn.Properties.Environment.Variables[ENV.MAX_LIST_ENTRIES]).toEqual({ Ref: 'Cap' });
  });
});

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** Every identity policy in the template: standalone policies and roles' inline policies. */
function policiesOf(resources: Record<string, Resource>): { id: string; roles: string[]; statements: Statement[] }[] {
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

/** Whether an IAM action pattern (with `*` / `?` wildcards) covers sns:Publish. */
function grantsSnsPublish(action: string): boolean {
  const pattern = action.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`, 'i').test('sns:Publish');
}

function toArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
