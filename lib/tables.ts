import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, type ITable, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
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

/** A DynamoDB action, without the `dynamodb:` prefix. */
export type DynamoAction = 'BatchGetItem' | 'DeleteItem' | 'GetItem' | 'PutItem' | 'Query' | 'UpdateItem';

/** What one role may do on one table: on the table itself, and on each index it queries. */
export interface TableAccess {
  readonly table?: readonly DynamoAction[];
  readonly indexes?: Readonly<Record<string, readonly DynamoAction[]>>;
}

/** A role's access, table by table (tables it does not name, it cannot touch). */
export type RoleTableAccess = Readonly<Partial<Record<TableSchema['name'], TableAccess>>>;

/** What a send needs of the tables, and no more: an identity provider's hook judges and sends, nothing else. */
const SEND_PATH = {
  // DynamoCounterStore: increments and the wave's batched reads.
  Counters: { table: ['BatchGetItem', 'UpdateItem'] },
  // DynamoListStore.getMany, and listKinds (the rule cache) on byScope.
  Lists: { table: ['BatchGetItem'], indexes: { byScope: ['Query'] } },
  // DynamoTenantStore.getTenant: the one tenant of the integration.
  Tenants: { table: ['GetItem'] },
  // Pending records (put), idempotency records (claim, read, release), used challenge solutions (put).
  Verifications: { table: ['DeleteItem', 'GetItem', 'PutItem'] },
  // Verdict events for the joint-defense job.
  Events: { table: ['PutItem'] },
} as const satisfies RoleTableAccess;

/**
 * Exactly the DynamoDB calls each function's code sends, table by table: the commands of the
 * adapters in lambdas/adapters/dynamo/ that the function uses (test/infra/table-access.test.ts
 * reads the adapters and fails when a command is missing here or a grant is never sent). No
 * Scan, no BatchWriteItem, no stream or table-management action.
 */
export const TABLE_ACCESS = {
  /** The API function: every store but the joint-defense job's reads. */
  apiFunction: {
    // DynamoCounterStore: atomic increments (UpdateItem ADD) and the wave's batched reads.
    Counters: { table: ['BatchGetItem', 'UpdateItem'] },
    // DynamoListStore: batched lookups, list admin (put, remove), scope listing and counting on byScope.
    Lists: { table: ['BatchGetItem', 'DeleteItem', 'PutItem'], indexes: { byScope: ['Query'] } },
    // DynamoTenantStore: tenant and key records (conditional revocation); a tenant's keys by the sparse byTenant index.
    Tenants: { table: ['GetItem', 'PutItem', 'UpdateItem'], indexes: { byTenant: ['Query'] } },
    // DynamoVerificationStore, DynamoIdempotencyStore, DynamoReplayGuard (conditional puts and deletes).
    Verifications: { table: ['DeleteItem', 'GetItem', 'PutItem', 'UpdateItem'] },
    // DynamoEventStore: the API function only appends verdict events.
    Events: { table: ['PutItem'] },
  },
  /**
   * A Cognito custom SMS sender: the send path of the API function and nothing of its admin
   * routes (no list or tenant writes, no key lookups).
   */
  cognitoSmsSender: SEND_PATH,
  /** A Cognito feedback function: credits a verified code (the ledger's take, credits and verify event). */
  cognitoFeedback: {
    // DynamoCounterStore.increment: verification credits and the synced statistics.
    Counters: { table: ['UpdateItem'] },
    // DynamoVerificationStore.take: the pending record (one conditional DeleteItem).
    Verifications: { table: ['DeleteItem'] },
    Events: { table: ['PutItem'] },
  },
  /** The joint-defense job: reads the events, writes shared reputation. */
  jointDefense: {
    // DynamoEventStore.read: one Query per minute and shard; DynamoPartialStore: each folded
    // minute's partial written once (PutItem, under `p#<minute>`), read with one Query per minute.
    Events: { table: ['PutItem', 'Query'] },
    // DynamoListStore.getMany and put.
    Lists: { table: ['BatchGetItem', 'PutItem'] },
  },
} as const satisfies Record<string, RoleTableAccess>;

/** The tables by their schema name. */
export function tablesByName(tables: ShieldTables): Record<TableSchema['name'], Table> {
  return {
    Counters: tables.countersTable,
    Lists: tables.listsTable,
    Tenants: tables.tenantsTable,
    Verifications: tables.verificationsTable,
    Events: tables.eventsTable,
  };
}

/**
 * Grants `access` to `grantee` on `tables` (which must hold every table `access` names): one
 * statement per table (Sid `<name>Table`) and per index (Sid `<name>Index<Index>`), naming the
 * table's or the index's ARN, never a wildcard.
 */
export function grantTableAccess(grantee: IGrantable, access: RoleTableAccess, tables: Partial<Record<TableSchema['name'], ITable>>): void {
  const allow = (sid: string, list: readonly DynamoAction[], resource: string) =>
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ sid, actions: list.map((action) => `dynamodb:${action}`), resources: [resource] }));
  for (const [name, { table: onTable = [], indexes = {} }] of Object.entries(access) as [TableSchema['name'], TableAccess][]) {
    const table = tables[name];
    if (table === undefined) throw new Error(`grantTableAccess: no ${name} table given`);
    if (onTable.length > 0) allow(`${name}Table`, onTable, table.tableArn);
    for (const [index, onIndex] of Object.entries(indexes)) {
      allow(`${name}Index${index[0]?.toUpperCase()}${index.slice(1)}`, onIndex, `${table.tableArn}/index/${index}`);
    }
  }
}
