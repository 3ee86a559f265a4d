import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { COUNTERS_TABLE, EVENTS_TABLE, LISTS_TABLE, TENANTS_TABLE, type TableSchema, VERIFICATIONS_TABLE } from '../lambdas/adapters/dynamo/schema.js';

/** The shield's five tables. */
export interface ShieldTables {
  /** Velocity counters (TTL on `expiresAt`). */
  readonly countersTable: Table;
  /** Block/allow lists and shared reputation (GSI `byScope`, TTL on `expiresAt`). */
  readonly listsTable: Table;
  /** Tenants and hashed API keys. */
  readonly tenantsTable: Table;
  /** Pending verifications of sent SMS (TTL on `expiresAt`). */
  readonly verificationsTable: Table;
  /** Verdict events, read by minute by the joint-defense job (TTL on `expiresAt`). */
  readonly eventsTable: Table;
}

/** Every table of the schema, in `scope`. */
export function buildTables(scope: Construct, removalPolicy: RemovalPolicy): ShieldTables {
  return {
    countersTable: buildTable(scope, COUNTERS_TABLE, removalPolicy),
    listsTable: buildTable(scope, LISTS_TABLE, removalPolicy),
    tenantsTable: buildTable(scope, TENANTS_TABLE, removalPolicy),
    verificationsTable: buildTable(scope, VERIFICATIONS_TABLE, removalPolicy),
    eventsTable: buildTable(scope, EVENTS_TABLE, removalPolicy),
  };
}

/** One table as its schema describes it: on-demand, point-in-time recovery, AWS-managed encryption, id `<name>Table`. */
export function buildTable(scope: Construct, schema: TableSchema, removalPolicy: RemovalPolicy): Table {
  const table = new Table(scope, `${schema.name}Table`, {
    partitionKey: { name: schema.partitionKey, type: AttributeType.STRING },
    ...(schema.sortKey && { sortKey: { name: schema.sortKey, type: AttributeType.STRING } }),
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.AWS_MANAGED,
    timeToLiveAttribute: schema.ttlAttribute,
    removalPolicy,
  });
  for (const index of schema.globalIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
      sortKey: { name: index.sortKey, type: AttributeType.STRING },
    });
  }
  return table;
}
