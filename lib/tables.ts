import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { COUNTERS_TABLE, EVENTS_TABLE, LISTS_TABLE, TENANTS_TABLE, type TableSchema, VERIFICATIONS_TABLE } from '../lambdas/adapters/dynamo/schema';

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

/**
 * The tables whose data cannot be rebuilt: tenants and their key hashes, and the block/allow lists
 * operators curate. The others hold short-lived state that TTL removes anyway (counters,
 * pending verifications, verdict events): a restore would bring back expired state, so they
 * are not worth the continuous-backup charge.
 */
export const POINT_IN_TIME_RECOVERY: ReadonlySet<TableSchema['name']> = new Set(['Tenants', 'Lists']);

/**
 * One table as its schema describes it: on-demand, AWS-managed encryption, point-in-time
 * recovery when it is in {@link POINT_IN_TIME_RECOVERY}, id `<name>Table`.
 */
export function buildTable(scope: Construct, schema: TableSchema, removalPolicy: RemovalPolicy): Table {
  const table = new Table(scope, `${schema.name}Table`, {
    partitionKey: { name: schema.partitionKey, type: AttributeType.STRING },
    ...(schema.sortKey && { sortKey: { name: schema.sortKey, type: AttributeType.STRING } }),
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: POINT_IN_TIME_RECOVERY.has(schema.name) },
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
