import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GEO_DIR_ENV, GEO_LAYER_FILES, LAMBDA_GEO_DIR, resolveGeoDataFiles } from '../../lambdas/shared/geo-files';
import { ENV } from '../../lambdas/shared/env';
import { SmsShield } from '../../lib/sms-shield';
import { SmsShieldStack } from '../../lib/sms-shield-stack';
import { apiFunctionPropsOf, byRef, grantsSnsPublish, policiesOf, type Resource, type Statement, synth, toArray } from './support/shield-template';

const defaults = synth();

function apiFunctionProps(s = defaults) {
  return apiFunctionPropsOf(s);
}

describe('API function', () => {
  it('runs Node.js 22 on arm64, without X-Ray (nothing is traced, so no xray:* grant)', () => {
    const props = apiFunctionProps();
    expect(props.Runtime).toBe('nodejs22.x');
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.TracingConfig).toBeUndefined();
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

  it('has no reserved concurrency unless asked, then exactly the number asked', () => {
    expect(apiFunctionProps()).not.toHaveProperty('ReservedConcurrentExecutions');
    expect(apiFunctionProps(synth({ reservedConcurrency: 50 })).ReservedConcurrentExecutions).toBe(50);
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

  it('reads both secrets (its table grants: table-access.test.ts)', () => {
    const role = defaults.logicalId(defaults.shield.apiFunction.role!);
    const statements = policiesOf(defaults.resources)
      .filter((policy) => policy.roles.includes(role))
      .flatMap((policy) => policy.statements);
    const grantOn = (action: string) =>
      statements.filter((s) => s.Effect === 'Allow' && toArray(s.Action).includes(action)).flatMap((s) => toArray(s.Resource));
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
      // The function's code and the layer are the folders `npm run build` made; synth only copies them.
      const stack = new SmsShieldStack(new App({ outdir }), 'Bundled');
      const template = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
      const assetDir = (id: string, key: (p: Record<string, any>) => string) => join(outdir, `asset.${basename(key(template[id]!.Properties), '.zip')}`);
      const shield = stack.shield;

      const layerDir = assetDir(stack.getLogicalId(shield.geoLayer.node.defaultChild as CfnElement), (p) => p.Content.S3Key);
      expect(readdirSync(layerDir)).toEqual(['geo']);
      expect(readdirSync(join(layerDir, 'geo')).sort()).toEqual([...GEO_LAYER_FILES].sort());
      for (const source of Object.values(resolveGeoDataFiles())) {
        expect(statSync(join(layerDir, 'geo', basename(source))).size).toBe(statSync(source).size);
      }

      const functionDir = assetDir(stack.getLogicalId(shield.apiFunction.node.defaultChild as CfnElement), (p) => p.Code.S3Key);
      // No source map unless asked for (sourceMaps), so no --enable-source-maps either.
      expect(readdirSync(functionDir).sort()).toEqual(['index.mjs', 'index.mjs.LEGAL.txt']);
      expect(template[stack.getLogicalId(shield.apiFunction.node.defaultChild as CfnElement)]!.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
      // ≈ 0.75 MB today; the data files alone are ≈ 18 MB, so any of them in the bundle trips this.
      expect(statSync(join(functionDir, 'index.mjs')).size).toBeLessThan(2_000_000);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('source maps', () => {
  it('ship with both functions, and are enabled at run time, only when asked for', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'sms-shield-synth-'));
    try {
      const stack = new SmsShieldStack(new App({ outdir }), 'Maps', { shield: { sourceMaps: true } });
      const template = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
      for (const fn of [stack.shield.apiFunction, stack.shield.jointDefenseFunction]) {
        const props = template[stack.getLogicalId(fn.node.defaultChild as CfnElement)]!.Properties;
        expect(props.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
        expect(readdirSync(join(outdir, `asset.${basename(props.Code.S3Key, '.zip')}`))).toContain('index.mjs.map');
      }
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
    expect(new Set((managed[0]!.Properties.PolicyDocument.Statement as Statement[]).map((s) => s.Effect))).toEqual(new Set(['Deny']));
  });

  it('allows direct SMS in the stack region and denies every SNS topic or endpoint', () => {
    const publisher = policiesOf(defaults.resources).find((policy) => policy.statements.some((s) => toArray(s.Action).includes('sns:Publish')))!;
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
