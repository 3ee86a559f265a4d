import { RemovalPolicy } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import {
  ALL_TABLES,
  COUNTERS_TABLE,
  EVENTS_TABLE,
  LISTS_TABLE,
  TENANTS_TABLE,
  type TableSchema,
  VERIFICATIONS_TABLE,
} from '../../lambdas/adapters/dynamo/schema';
import type { SmsShield } from '../../lib/sms-shield';
import { synth } from './support/shield-template';

const defaults = synth();

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

  it.each(cases)('%s: on-demand, encrypted, keyed and indexed as in the schema', (schema, tableOf) => {
    const table = defaults.resourceOf(tableOf(defaults.shield));
    const props = table.Properties;
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
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

  it('keeps point-in-time recovery for the data that cannot be rebuilt (Tenants, Lists) only', () => {
    const of = (table: IConstruct) => defaults.resourceOf(table).Properties.PointInTimeRecoverySpecification;
    expect(of(defaults.shield.tenantsTable)).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(of(defaults.shield.listsTable)).toEqual({ PointInTimeRecoveryEnabled: true });
    // Short-lived state, removed by TTL: continuous backups would protect nothing.
    for (const table of [defaults.shield.countersTable, defaults.shield.verificationsTable, defaults.shield.eventsTable]) {
      expect(of(table)).toEqual({ PointInTimeRecoveryEnabled: false });
    }
  });

  it('sets TTL on expiresAt for Counters, Lists, Verifications and Events only', () => {
    const ttl = (tableOf: (shield: SmsShield) => IConstruct) => defaults.resourceOf(tableOf(defaults.shield)).Properties.TimeToLiveSpecification;
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
    // The hashing key, this one, and the admin key's (test/infra/admin-key.test.ts).
    defaults.template.resourceCountIs('AWS::SecretsManager::Secret', 3);
  });
});
