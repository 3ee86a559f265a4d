/**
 * Table layouts, shared by the CDK construct (which provisions them) and by local mode
 * and tests (which create them in dynalite or DynamoDB Local). No AWS imports here.
 */
export interface TableSchema {
  /** Logical name, used as the table name locally and as the construct id in CDK. */
  readonly name: 'Counters' | 'Lists' | 'Tenants' | 'Verifications' | 'Events';
  readonly partitionKey: 'pk';
  /** Sort key, for tables read by range within a partition. */
  readonly sortKey?: 'sk';
  /** Attribute holding epoch seconds for DynamoDB TTL, when the table has one. */
  readonly ttlAttribute?: 'expiresAt';
  readonly globalIndexes: readonly { readonly name: string; readonly partitionKey: string; readonly sortKey: string }[];
}

export const COUNTERS_TABLE: TableSchema = {
  name: 'Counters',
  partitionKey: 'pk',
  ttlAttribute: 'expiresAt',
  globalIndexes: [],
};

export const LISTS_TABLE: TableSchema = {
  name: 'Lists',
  partitionKey: 'pk',
  ttlAttribute: 'expiresAt',
  globalIndexes: [{ name: 'byScope', partitionKey: 'scope', sortKey: 'pk' }],
};

/**
 * Tenants (`tenant#<id>`) and API keys (`key#<sha256>`). The GSI `byTenant` is sparse: only key
 * items carry `tenantId`, so it lists a tenant's (or the admin's) keys and nothing else.
 */
export const TENANTS_TABLE: TableSchema = {
  name: 'Tenants',
  partitionKey: 'pk',
  globalIndexes: [{ name: 'byTenant', partitionKey: 'tenantId', sortKey: 'pk' }],
};

/** Pending verifications of sent SMS, keyed `${tenant}#${phoneHash}`; gone after `expiresAt`. */
export const VERIFICATIONS_TABLE: TableSchema = {
  name: 'Verifications',
  partitionKey: 'pk',
  ttlAttribute: 'expiresAt',
  globalIndexes: [],
};

/**
 * Verdict events for the joint-defense job: partition `<epoch minute>#<shard>`, sort key
 * `<epoch ms>#<random>`, TTL in `expiresAt`. A time window is read minute by minute (one Query
 * per minute and shard), never scanned; shards spread one minute's writes over partitions.
 */
export const EVENTS_TABLE: TableSchema = {
  name: 'Events',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  globalIndexes: [],
};

/**
 * Partitions per minute of the Events table when nothing says otherwise (local mode, tests):
 * writers pick one at random, readers query all. A deployment derives its own count from its
 * stated peak (`eventShardsFor`) and passes it to both.
 */
export const EVENT_SHARDS = 4;

/** Writes a second one partition key takes before DynamoDB throttles it (1,000 WCU of items up to 1 KB). */
export const PARTITION_WRITES_PER_SECOND = 1_000;
/** The share of that limit one key is planned for at the stated peak: the rest is headroom for bursts. */
export const PARTITION_HEADROOM = 0.5;
/** The peak verdict rate a deployment is sized for unless it states its own. */
export const DEFAULT_PEAK_VERDICTS_PER_SECOND = 10_000;

/** Events one verdict writes at most: its own, and the verification of the code it sent. */
export const EVENTS_PER_VERDICT = 2;

/**
 * Event partitions per minute for a peak verdict rate: a verdict writes at most two event items
 * (its own, and its code's verification; each well under 1 KB, so one write unit), spread at
 * random, so no partition takes more than half its limit at that peak. 10,000 verdicts a
 * second: 40 partitions.
 */
export function eventShardsFor(peakVerdictsPerSecond: number): number {
  return Math.max(1, Math.ceil((EVENTS_PER_VERDICT * peakVerdictsPerSecond) / (PARTITION_HEADROOM * PARTITION_WRITES_PER_SECOND)));
}

export const ALL_TABLES: readonly TableSchema[] = [COUNTERS_TABLE, LISTS_TABLE, TENANTS_TABLE, VERIFICATIONS_TABLE, EVENTS_TABLE];
