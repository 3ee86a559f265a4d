import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTables, type TableNames } from '../../lambdas/adapters/dynamo/create-tables';

/** A client for a local endpoint: dummy credentials (DynamoDB Local keeps one database per key and region). */
export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  });
}

/** An in-process dynalite on 127.0.0.1 and a free port, with no artificial table-status delays. */
export async function startDynalite(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('dynalite did not report its port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Table names unique to one test file (or suite), so files sharing one DynamoDB Local never collide. */
export function uniqueTableNames(label: string): TableNames {
  const suffix = `${label.replace(/[^A-Za-z0-9_.-]/g, '-')}-${randomBytes(4).toString('hex')}`;
  return {
    Counters: `Counters-${suffix}`,
    Lists: `Lists-${suffix}`,
    Tenants: `Tenants-${suffix}`,
    Verifications: `Verifications-${suffix}`,
    Events: `Events-${suffix}`,
  };
}

/** A random id for keys and scopes, so tests sharing a table never see each other's items. */
export function uniqueId(prefix = 'id'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** A client plus a fresh set of every table on `endpoint`; `close` releases the client (tables stay). */
export async function createTestTables(endpoint: string, label: string): Promise<{ client: DynamoDBClient; names: TableNames; close(): void }> {
  const client = dynamoClient(endpoint);
  const names = uniqueTableNames(label);
  await createTables(client, names);
  return { client, names, close: () => client.destroy() };
}
