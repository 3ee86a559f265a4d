/**
 * Lambda entry point of the admin-key bootstrap: the CloudFormation custom resource (behind the
 * CDK provider framework) that gives a deployed shield its first admin key, since only an admin
 * key can issue one. It writes the key to a Secrets Manager secret (a plain string, never in the
 * template) and its SHA-256 to the Tenants table as an admin key record.
 *
 * - Create issues a key. Update issues a fresh one when the `Generation` property (or the table
 *   or secret) changed, and revokes the one it issued before: the way back when every admin key
 *   was revoked or one leaked. Update with the same properties does nothing.
 * - Delete revokes the key it issued, best effort: it never fails a stack deletion.
 * - One anchor item (`key#bootstrap`: no `tenantId`, so no key and not in `byTenant`) records
 *   which request issued which key, the key before it, and whether it finished. The same request
 *   delivered again (CloudFormation may) issues nothing more once it finished; an unfinished
 *   attempt's key is retired before another is issued, so the secret ends up holding the one
 *   live bootstrap key. The key record itself is a conditional put: nothing is overwritten.
 *
 * Permissions: PutSecretValue on the secret; GetItem, PutItem, UpdateItem on `key#*` items. No
 * key is logged; its id (the SHA-256, not a secret) is.
 */
import { type AttributeValue, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { DynamoTenantStore } from '../adapters/dynamo/dynamo-tenant-store';
import { generateApiKey, hashApiKey } from '../service/api-keys';
import type { ServiceLogger } from '../service/shield-service';
import { ADMIN_TENANT_ID } from '../service/tenant-directory';
import { ADMIN_KEY_GENERATION_PROPERTY, ENV } from '../shared/env';
import { logger } from '../shared/observability';

/** The custom resource's id for CloudFormation; the key changes under it, the resource stays. */
export const BOOTSTRAP_PHYSICAL_ID = 'sms-shield-admin-key';
const ANCHOR_PK = 'key#bootstrap';

export interface BootstrapDeps {
  readonly dynamo: DynamoDBClient;
  readonly secrets: SecretsManagerClient;
  readonly logger: ServiceLogger;
  /** @default Date.now */
  readonly now?: () => number;
  /** Where the table and secret are read from when the event's properties lack them. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export interface BootstrapResult {
  readonly PhysicalResourceId: string;
}

/** Where the key goes, and which generation it is. */
interface Target {
  readonly table: string;
  readonly secretArn: string;
  readonly generation: string;
}

/** What the anchor item records of the last issuing request. */
interface Anchor {
  readonly requestId: string;
  readonly keyId: string;
  readonly previousKeyId: string | undefined;
  readonly done: boolean;
}

/** The provider framework's onEvent handler, on the given clients. */
export function adminKeyBootstrap(deps: BootstrapDeps): (event: CloudFormationCustomResourceEvent) => Promise<BootstrapResult> {
  const env = deps.env ?? process.env;
  const nowSeconds = () => Math.floor((deps.now ?? Date.now)() / 1000);
  const ledger = (table: string) => new BootstrapLedger(deps.dynamo, table);

  /** Issue a key for `target` as request `requestId` (see the module comment for retries). */
  async function issue(target: Target, requestId: string): Promise<void> {
    const store = new DynamoTenantStore(deps.dynamo, target.table);
    const anchor = await ledger(target.table).get();
    if (anchor?.done && anchor.requestId === requestId) {
      deps.logger.info('Admin key bootstrap: this request already issued its key', { keyId: anchor.keyId });
      return;
    }
    // An unfinished attempt (this request's or an earlier one's) may have left its key out of the
    // secret: that key goes, and the key before it is still the one to replace.
    if (anchor && !anchor.done) await store.revokeApiKey(anchor.keyId, nowSeconds());
    const previousKeyId = anchor && !anchor.done ? anchor.previousKeyId : anchor?.keyId;

    const apiKey = generateApiKey();
    const keyId = hashApiKey(apiKey);
    await ledger(target.table).begin({ requestId, keyId, previousKeyId, done: false }, target.generation);
    if (!(await store.createApiKey({ keyHash: keyId, tenantId: ADMIN_TENANT_ID, createdAt: nowSeconds() }))) {
      throw new Error('Admin key bootstrap: a key record with this id exists already; nothing was written to the secret');
    }
    // The token makes the SDK's own retries of this write idempotent.
    await deps.secrets.send(new PutSecretValueCommand({ SecretId: target.secretArn, SecretString: apiKey, ClientRequestToken: keyId }));
    const revokedPrevious = previousKeyId !== undefined && (await store.revokeApiKey(previousKeyId, nowSeconds()));
    await ledger(target.table).finish(requestId);
    deps.logger.info('Admin key bootstrap: issued an admin key into the secret', {
      keyId,
      generation: target.generation,
      ...(revokedPrevious && { revokedKeyId: previousKeyId }),
    });
  }

  /** Revoke the key the bootstrap issued last (and the one before, if that attempt never finished); never throws. */
  async function retire(target: Target | undefined): Promise<void> {
    if (!target) return;
    try {
      const anchor = await ledger(target.table).get();
      if (!anchor) return;
      const store = new DynamoTenantStore(deps.dynamo, target.table);
      // An unfinished attempt may have left the key before it in the secret: both go.
      const keyIds = anchor.done || anchor.previousKeyId === undefined ? [anchor.keyId] : [anchor.keyId, anchor.previousKeyId];
      for (const keyId of keyIds) {
        const revoked = await store.revokeApiKey(keyId, nowSeconds());
        deps.logger.info('Admin key bootstrap: deleted', { keyId, revoked });
      }
    } catch (error) {
      deps.logger.warn('Admin key bootstrap: could not revoke the bootstrap key on delete; revoke it with the admin API', {
        error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown',
      });
    }
  }

  return async (event) => {
    switch (event.RequestType) {
      case 'Create':
        await issue(targetOf(event.ResourceProperties, env), event.RequestId);
        return { PhysicalResourceId: BOOTSTRAP_PHYSICAL_ID };
      case 'Update': {
        const target = targetOf(event.ResourceProperties, env);
        const before = targetOf(event.OldResourceProperties, env);
        if (sameTarget(target, before)) deps.logger.info('Admin key bootstrap: same generation, nothing to do', { generation: target.generation });
        else await issue(target, event.RequestId);
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      case 'Delete':
        await retire(tryTargetOf(event.ResourceProperties, env));
        return { PhysicalResourceId: event.PhysicalResourceId };
    }
  };
}

function targetOf(props: Record<string, unknown>, env: NodeJS.ProcessEnv): Target {
  const table = stringOf(props[ENV.TENANTS_TABLE]) ?? env[ENV.TENANTS_TABLE];
  const secretArn = stringOf(props[ENV.ADMIN_KEY_SECRET_ARN]) ?? env[ENV.ADMIN_KEY_SECRET_ARN];
  if (!table || !secretArn) throw new Error(`Admin key bootstrap needs ${ENV.TENANTS_TABLE} and ${ENV.ADMIN_KEY_SECRET_ARN}`);
  return { table, secretArn, generation: stringOf(props[ADMIN_KEY_GENERATION_PROPERTY]) ?? '1' };
}

function tryTargetOf(props: Record<string, unknown>, env: NodeJS.ProcessEnv): Target | undefined {
  try {
    return targetOf(props, env);
  } catch {
    return undefined;
  }
}

const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
const sameTarget = (a: Target, b: Target) => a.table === b.table && a.secretArn === b.secretArn && a.generation === b.generation;

/** The anchor item: which request issued which key, and whether it finished. */
class BootstrapLedger {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async get(): Promise<Anchor | undefined> {
    const out = await this.client.send(new GetItemCommand({ TableName: this.table, Key: { pk: { S: ANCHOR_PK } }, ConsistentRead: true }));
    const item = out.Item;
    if (!item?.requestId?.S || !item.keyId?.S) return undefined;
    return { requestId: item.requestId.S, keyId: item.keyId.S, previousKeyId: item.previousKeyId?.S, done: item.done?.BOOL === true };
  }

  async begin(anchor: Anchor, generation: string): Promise<void> {
    const item: Record<string, AttributeValue> = {
      pk: { S: ANCHOR_PK },
      requestId: { S: anchor.requestId },
      keyId: { S: anchor.keyId },
      generation: { S: generation },
      done: { BOOL: false },
    };
    if (anchor.previousKeyId !== undefined) item.previousKeyId = { S: anchor.previousKeyId };
    await this.client.send(new PutItemCommand({ TableName: this.table, Item: item }));
  }

  async finish(requestId: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: { S: ANCHOR_PK } },
        UpdateExpression: 'SET done = :done',
        ConditionExpression: 'requestId = :request',
        ExpressionAttributeValues: { ':done': { BOOL: true }, ':request': { S: requestId } },
      }),
    );
  }
}

const onEvent = adminKeyBootstrap({ dynamo: new DynamoDBClient({ maxAttempts: 3 }), secrets: new SecretsManagerClient({ maxAttempts: 3 }), logger });

export const handler = middy(onEvent).use(injectLambdaContext(logger));
