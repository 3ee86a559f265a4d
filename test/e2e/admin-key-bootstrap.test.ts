/**
 * The admin-key bootstrap (custom resource handler) on dynalite, with Secrets Manager mocked: the
 * conditional writes and the anchor item run against a real DynamoDB API, the secret is what
 * PutSecretValue was sent.
 */
import { randomUUID } from 'node:crypto';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoTenantStore } from '../../lambdas/adapters/dynamo/dynamo-tenant-store';
import { adminKeyBootstrap, BOOTSTRAP_PHYSICAL_ID } from '../../lambdas/handlers/admin-key-bootstrap';
import { ManualClock } from '../../lambdas/ports/clock';
import { hashApiKey } from '../../lambdas/service/api-keys';
import type { ServiceLogger } from '../../lambdas/service/shield-service';
import { ADMIN_TENANT_ID, TenantDirectory } from '../../lambdas/service/tenant-directory';
import { ADMIN_KEY_GENERATION_PROPERTY, ENV } from '../../lambdas/shared/env';
import { createTestTables, startDynalite } from '../support/dynamo';
import { T0 } from '../support/engine';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AdminKeySecret-AbCdEf';
const secrets = new SecretsManagerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const secretsMock = mockClient(secrets);

let dynalite: Awaited<ReturnType<typeof startDynalite>>;
let tables: Awaited<ReturnType<typeof createTestTables>>;
beforeAll(async () => {
  dynalite = await startDynalite();
  tables = await createTestTables(dynalite.endpoint, 'bootstrap');
});
afterAll(async () => {
  tables?.close();
  await dynalite?.stop();
});

/** Everything logged, as text. */
let logs: string[];
const logger: ServiceLogger = {
  info: (m, ...e) => void logs.push(JSON.stringify([m, ...e])),
  warn: (m, ...e) => void logs.push(JSON.stringify([m, ...e])),
  error: (m, ...e) => void logs.push(JSON.stringify([m, ...e])),
};
/** Each table a test bootstraps into: a fresh set, so tests never see each other's keys. */
let table: string;
let store: DynamoTenantStore;

beforeEach(async () => {
  logs = [];
  secretsMock.reset();
  secretsMock.on(PutSecretValueCommand).resolves({});
  const fresh = await createTestTables(dynalite.endpoint, 'bootstrap');
  fresh.close();
  table = fresh.names.Tenants;
  store = new DynamoTenantStore(tables.client, table);
});

const onEvent = (env: NodeJS.ProcessEnv = {}) => adminKeyBootstrap({ dynamo: tables.client, secrets, logger, now: () => T0, env });

const properties = (generation: number | string = 1, overrides: Record<string, unknown> = {}) => ({
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
  [ENV.TENANTS_TABLE]: table,
  [ENV.ADMIN_KEY_SECRET_ARN]: SECRET_ARN,
  [ADMIN_KEY_GENERATION_PROPERTY]: String(generation),
  ...overrides,
});
const common = () => ({
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
  ResponseURL: 'https://cloudformation-custom-resource-response.example/',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/SmsShield/1',
  RequestId: randomUUID(),
  LogicalResourceId: 'AdminKeyBootstrap',
  ResourceType: 'Custom::SmsShieldAdminKey',
});
const create = (props = properties()): CloudFormationCustomResourceEvent => ({ ...common(), RequestType: 'Create', ResourceProperties: props });
const update = (generation: number, before: number, props = properties(generation)): CloudFormationCustomResourceEvent => ({
  ...common(),
  RequestType: 'Update',
  PhysicalResourceId: BOOTSTRAP_PHYSICAL_ID,
  ResourceProperties: props,
  OldResourceProperties: properties(before),
});
const remove = (props: Record<string, unknown> = properties()): CloudFormationCustomResourceEvent => ({
  ...common(),
  RequestType: 'Delete',
  PhysicalResourceId: BOOTSTRAP_PHYSICAL_ID,
  ResourceProperties: props as ReturnType<typeof properties>,
});

/** The keys written to the secret, in order. */
const secretValues = () => secretsMock.commandCalls(PutSecretValueCommand).map((call) => call.args[0].input.SecretString ?? '');
const adminRecords = () => store.listApiKeys(ADMIN_TENANT_ID);
const liveAdminIds = async () => (await adminRecords()).filter((r) => r.revokedAt === undefined).map((r) => r.keyHash);
const isAdminKey = (key: string) => new TenantDirectory(store, new ManualClock(T0)).isAdminKey(key);

describe('admin key bootstrap', () => {
  it('Create: writes a new key to the secret as a plain string and stores only its hash as a live admin key', async () => {
    expect(await onEvent()(create())).toEqual({ PhysicalResourceId: BOOTSTRAP_PHYSICAL_ID });
    const calls = secretsMock.commandCalls(PutSecretValueCommand);
    expect(calls).toHaveLength(1);
    const key = calls[0]!.args[0].input.SecretString!;
    expect(key).toMatch(/^ssk_[A-Za-z0-9_-]{43}$/);
    expect(calls[0]!.args[0].input).toEqual({ SecretId: SECRET_ARN, SecretString: key, ClientRequestToken: hashApiKey(key) });
    expect(await adminRecords()).toEqual([{ keyHash: hashApiKey(key), tenantId: ADMIN_TENANT_ID, createdAt: T0 / 1000 }]);
    expect(await isAdminKey(key)).toBe(true);
    // An admin key, never a tenant key.
    expect(await new TenantDirectory(store, new ManualClock(T0)).byApiKey(key)).toBeUndefined();
  });

  it('Update with the same generation does nothing', async () => {
    await onEvent()(create());
    expect(await onEvent()(update(1, 1))).toEqual({ PhysicalResourceId: BOOTSTRAP_PHYSICAL_ID });
    expect(secretValues()).toHaveLength(1);
    expect(await adminRecords()).toHaveLength(1);
  });

  it('Update with a new generation issues a fresh key into the secret and revokes the one it issued before', async () => {
    await onEvent()(create());
    const [first] = secretValues();
    expect(await onEvent()(update(2, 1))).toEqual({ PhysicalResourceId: BOOTSTRAP_PHYSICAL_ID });
    const [, second] = secretValues();
    expect(second).toMatch(/^ssk_/);
    expect(second).not.toBe(first);
    expect(await liveAdminIds()).toEqual([hashApiKey(second!)]);
    expect(await isAdminKey(first!)).toBe(false);
    expect(await isAdminKey(second!)).toBe(true);
    // A new secret (the secret was replaced) counts as a change too.
    await onEvent()(update(2, 2, properties(2, { [ENV.ADMIN_KEY_SECRET_ARN]: `${SECRET_ARN}-2` })));
    expect(secretsMock.commandCalls(PutSecretValueCommand).at(-1)?.args[0].input.SecretId).toBe(`${SECRET_ARN}-2`);
    expect(await liveAdminIds()).toEqual([hashApiKey(secretValues()[2]!)]);
  });

  it('is the way back when every admin key was revoked: a generation bump brings a working key', async () => {
    await onEvent()(create());
    const [first] = secretValues();
    await store.revokeApiKey(hashApiKey(first!), T0 / 1000);
    expect(await liveAdminIds()).toEqual([]);
    await onEvent()(update(2, 1));
    expect(await isAdminKey(secretValues()[1]!)).toBe(true);
  });

  it('Delete revokes the bootstrap key, and never fails the stack deletion', async () => {
    await onEvent()(create());
    const [key] = secretValues();
    expect(await onEvent()(remove())).toEqual({ PhysicalResourceId: BOOTSTRAP_PHYSICAL_ID });
    expect(await isAdminKey(key!)).toBe(false);
    // Again, on a missing table, without properties, after a failed create: it answers all the same.
    await expect(onEvent()(remove())).resolves.toEqual({ PhysicalResourceId: BOOTSTRAP_PHYSICAL_ID });
    await expect(onEvent()(remove(properties(1, { [ENV.TENANTS_TABLE]: 'no-such-table' })))).resolves.toBeDefined();
    await expect(onEvent()(remove({ ServiceToken: 'x' }))).resolves.toBeDefined();
    expect(logs.some((line) => line.includes('could not revoke the bootstrap key'))).toBe(true);
  });

  it('handles the same Create delivered twice once: one key in the secret, one admin key record', async () => {
    const event = create();
    await onEvent()(event);
    expect(await onEvent()(event)).toEqual({ PhysicalResourceId: BOOTSTRAP_PHYSICAL_ID });
    expect(secretValues()).toHaveLength(1);
    expect(await adminRecords()).toHaveLength(1);
    expect(await isAdminKey(secretValues()[0]!)).toBe(true);
  });

  it('retires the key of an attempt that failed before the secret was written, then issues one that works', async () => {
    const event = create();
    secretsMock.on(PutSecretValueCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(onEvent()(event)).rejects.toThrow('Rate exceeded');
    const [unwritten] = await liveAdminIds();
    expect(unwritten).toBeDefined();
    await onEvent()(event);
    const values = secretValues();
    expect(values).toHaveLength(2);
    expect(await liveAdminIds()).toEqual([hashApiKey(values[1]!)]);
    expect((await store.getApiKey(unwritten!))?.revokedAt).toBeDefined();
  });

  it('after a failed generation bump, the next one still revokes the key the secret held', async () => {
    await onEvent()(create());
    const [first] = secretValues();
    secretsMock.reset();
    secretsMock.on(PutSecretValueCommand).rejectsOnce(new Error('AccessDenied')).resolves({});
    await expect(onEvent()(update(2, 1))).rejects.toThrow();
    // CloudFormation rolls the stack back: an Update back to generation 1, a new request.
    await onEvent()(update(1, 2));
    const latest = secretValues().at(-1)!;
    expect(await liveAdminIds()).toEqual([hashApiKey(latest)]);
    expect(await isAdminKey(first!)).toBe(false);
  });

  it('reads the table and the secret from the environment when the properties lack them', async () => {
    const props = properties(1, { [ENV.TENANTS_TABLE]: undefined, [ENV.ADMIN_KEY_SECRET_ARN]: undefined });
    await expect(onEvent()(create(props))).rejects.toThrow(`needs ${ENV.TENANTS_TABLE} and ${ENV.ADMIN_KEY_SECRET_ARN}`);
    await onEvent({ [ENV.TENANTS_TABLE]: table, [ENV.ADMIN_KEY_SECRET_ARN]: SECRET_ARN })(create(props));
    expect(await liveAdminIds()).toEqual([hashApiKey(secretValues()[0]!)]);
  });

  it('logs key ids, never a key', async () => {
    await onEvent()(create());
    await onEvent()(update(2, 1));
    await onEvent()(remove());
    const keys = secretValues();
    expect(keys).toHaveLength(2);
    expect(logs.length).toBeGreaterThanOrEqual(3);
    const text = logs.join('\n');
    for (const key of keys) {
      expect(text).not.toContain(key);
      expect(text).toContain(hashApiKey(key));
    }
    expect(text).not.toMatch(/ssk_/);
  });
});
