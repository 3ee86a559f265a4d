import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { ALL_TABLES, type TableSchema } from './schema';

/** Physical table name per logical schema name. */
export type TableNames = Readonly<Record<TableSchema['name'], string>>;

export interface CreateTablesOptions {
  /** How long to wait for each table to become ACTIVE. @default 60_000 */
  readonly timeoutMs?: number;
}

/**
 * Creates every table of `ALL_TABLES` that does not exist yet, waits until it and its indexes
 * are ACTIVE, and enables TTL where the schema has a TTL attribute. Idempotent.
 * For local mode (dynalite) and tests (DynamoDB Local, dynalite) only: in AWS, CDK owns the tables.
 */
export async function createTables(client: DynamoDBClient, names: TableNames, options: CreateTablesOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  await Promise.all(ALL_TABLES.map((schema) => createTable(client, schema, names[schema.name], timeoutMs)));
}

async function createTable(client: DynamoDBClient, schema: TableSchema, tableName: string, timeoutMs: number) {
  const existing = await describe(client, tableName);
  if (existing) checkIndexes(existing, schema, tableName);
  if (!existing) {
    try {
      await client.send(new CreateTableCommand(createTableInput(schema, tableName)));
    } catch (error) {
      // Another process created it between our describe and create: fine, wait for it below.
      if (errorName(error) !== 'ResourceInUseException') throw error;
    }
  }
  await waitUntilActive(client, tableName, timeoutMs);
  if (schema.ttlAttribute) await enableTtl(client, tableName, schema.ttlAttribute);
}

function createTableInput(schema: TableSchema, tableName: string) {
  const attributes = new Set<string>([schema.partitionKey]);
  if (schema.sortKey) attributes.add(schema.sortKey);
  for (const index of schema.globalIndexes) attributes.add(index.partitionKey).add(index.sortKey);
  const attributeDefinitions: AttributeDefinition[] = [...attributes].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributeDefinitions,
    KeySchema: [
      { AttributeName: schema.partitionKey, KeyType: 'HASH' as const },
      ...(schema.sortKey ? [{ AttributeName: schema.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    GlobalSecondaryIndexes:
      schema.globalIndexes.length === 0
        ? undefined
        : schema.globalIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
              { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
            ],
            Projection: { ProjectionType: 'ALL' as const },
          })),
  };
}

/**
 * A table kept from an older version (local mode's `--persist`) may lack an index added since:
 * say so at start instead of failing the first request that reads it. (dynalite cannot add an
 * index to an existing table.)
 */
function checkIndexes(table: TableDescription, schema: TableSchema, tableName: string): void {
  const present = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const missing = schema.globalIndexes.filter((index) => !present.has(index.name)).map((index) => index.name);
  if (missing.length > 0) {
    throw new Error(
      `Table ${tableName} has no index ${missing.join(', ')}: it was created by an older version. ` +
        'Start with a new data folder (or delete its db folder) to recreate it.',
    );
  }
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 25; ; delay = Math.min(delay * 2, 1_000)) {
    const table = await describe(client, tableName);
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() + delay > deadline) {
      throw new Error(`Table ${tableName} not ACTIVE after ${timeoutMs} ms (status ${table?.TableStatus ?? 'missing'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function enableTtl(client: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  try {
    const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    const status = current.TimeToLiveDescription?.TimeToLiveStatus;
    // DynamoDB rejects enabling TTL twice, so an existing table (local mode restart) is left alone.
    if (status === 'ENABLED' || status === 'ENABLING') return;
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
  } catch (error) {
    // dynalite (local mode) has no TTL support; readers filter expired items anyway.
    if (errorName(error) !== 'UnknownOperationException') throw error;
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
