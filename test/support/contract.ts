import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { TableNames } from '../../lambdas/adapters/dynamo/create-tables';
import { createTestTables, startDynalite } from './dynamo';

/** A DynamoDB-backed store under test, with the client and tables it runs on. */
export interface DynamoBackend<S> {
  readonly store: S;
  readonly client: DynamoDBClient;
  readonly names: TableNames;
}

export interface Backends<M, D> {
  /** The in-memory store, built once when the suite is collected. */
  readonly memory: () => M;
  /** The DynamoDB store on a fresh set of tables (DynamoDB Local or dynalite). */
  readonly dynamo: (client: DynamoDBClient, names: TableNames) => D;
  /** The assertions every backend must pass. */
  readonly contract: (store: () => M | D) => void;
  /** Extra tests of the in-memory store only (sweeps, call counts). */
  readonly memoryOnly?: (store: () => M) => void;
  /** Extra tests on both DynamoDB backends (items as stored, requests issued). */
  readonly dynamoOnly?: (backend: () => DynamoBackend<D>) => void;
  /** Extra tests on DynamoDB Local only (what dynalite does not emulate). */
  readonly dynamoLocalOnly?: (backend: () => DynamoBackend<D>) => void;
}

/**
 * Run one contract suite on every backend of a port: `Memory<port>`, `Dynamo<port> on DynamoDB
 * Local` (skipped without its endpoint, e.g. `SMS_SHIELD_NO_DYNAMODB_LOCAL=1`) and `Dynamo<port>
 * on dynalite`, the store local mode runs. Each DynamoDB suite gets its own tables.
 */
export function forEachBackend<M, D>(port: string, backends: Backends<M, D>): void {
  describe(`Memory${port}`, () => {
    const store = backends.memory();
    backends.contract(() => store);
    backends.memoryOnly?.(() => store);
  });

  const endpoint = inject('dynamoEndpoint');
  describe.skipIf(!endpoint)(`Dynamo${port} on DynamoDB Local`, () => {
    const backend = dynamoSuite(port, backends, async () => ({ endpoint, stop: async () => undefined }));
    backends.dynamoLocalOnly?.(backend);
  });

  describe(`Dynamo${port} on dynalite`, () => {
    dynamoSuite(port, backends, startDynalite);
  });
}

/** Tables on `start()`'s endpoint before the suite, released after it; runs the shared and DynamoDB-only tests. */
function dynamoSuite<M, D>(port: string, backends: Backends<M, D>, start: () => Promise<{ endpoint: string; stop(): Promise<void> }>): () => DynamoBackend<D> {
  let server: Awaited<ReturnType<typeof start>> | undefined;
  let tables: Awaited<ReturnType<typeof createTestTables>> | undefined;
  let backend: DynamoBackend<D> | undefined;
  beforeAll(async () => {
    server = await start();
    tables = await createTestTables(server.endpoint, port);
    backend = { store: backends.dynamo(tables.client, tables.names), client: tables.client, names: tables.names };
  });
  afterAll(async () => {
    tables?.close();
    await server?.stop();
  });
  const current = (): DynamoBackend<D> => {
    if (!backend) throw new Error(`${port}: the DynamoDB backend is not ready (used outside a test?)`);
    return backend;
  };
  backends.contract(() => current().store);
  backends.dynamoOnly?.(current);
  return current;
}
