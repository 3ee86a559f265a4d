import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { expect, it } from 'vitest';
import { DynamoIdempotencyStore, IDEMPOTENCY_PREFIX } from '../../lambdas/adapters/dynamo/dynamo-idempotency-store';
import { USED_TOKEN_PREFIX } from '../../lambdas/adapters/dynamo/dynamo-replay-guard';
import { MemoryIdempotencyStore } from '../../lambdas/adapters/memory/memory-idempotency-store';
import type { IdempotencyStore } from '../../lambdas/ports/idempotency-store';
import { forEachBackend, type DynamoBackend } from '../support/contract';
import { uniqueId } from '../support/dynamo';

const now = Math.floor(Date.now() / 1000);

/** The same assertions for every implementation. */
function idempotencyContract(store: () => IdempotencyStore): void {
  it('lets the first claim through and shows the in-flight record to the next', async () => {
    const id = uniqueId('idem');
    expect(await store().claim(id, 'fp-a', now + 60, now)).toBeUndefined();
    expect(await store().claim(id, 'fp-a', now + 60, now)).toEqual({ state: 'in_progress', fingerprint: 'fp-a' });
    expect(await store().claim(id, 'fp-b', now + 60, now)).toEqual({ state: 'in_progress', fingerprint: 'fp-a' });
  });

  it('replays the completed response, with its fingerprint', async () => {
    const id = uniqueId('idem');
    await store().claim(id, 'fp-a', now + 60, now);
    await store().complete(id, 'fp-a', '{"status":200}', now + 3600);
    expect(await store().claim(id, 'fp-a', now + 60, now + 100)).toEqual({ state: 'completed', fingerprint: 'fp-a', response: '{"status":200}' });
    // Release never removes a completed response.
    await store().release(id);
    expect(await store().claim(id, 'fp-a', now + 60, now)).toMatchObject({ state: 'completed' });
  });

  it('gives exactly one of 20 concurrent claims', async () => {
    const id = uniqueId('idem');
    const results = await Promise.all(Array.from({ length: 20 }, () => store().claim(id, 'fp', now + 60, now)));
    expect(results.filter((r) => r === undefined)).toHaveLength(1);
  });

  it('frees a released claim and an expired lock (TTL deletes late; the condition does not)', async () => {
    const released = uniqueId('idem');
    await store().claim(released, 'fp', now + 60, now);
    await store().release(released);
    expect(await store().claim(released, 'fp', now + 60, now)).toBeUndefined();

    const expired = uniqueId('idem');
    await store().claim(expired, 'fp', now + 60, now);
    expect(await store().claim(expired, 'fp', now + 120, now + 59)).toMatchObject({ state: 'in_progress' });
    expect(await store().claim(expired, 'fp', now + 120, now + 60)).toBeUndefined();
  });
}

function dynamoItemChecks(ctx: () => DynamoBackend<IdempotencyStore>): void {
  it('stores one item under its own prefix with the TTL in `expiresAt`', async () => {
    const id = uniqueId('idem');
    await ctx().store.claim(id, 'fp', now + 60, now);
    await ctx().store.complete(id, 'fp', 'r', now + 3600);
    const { Item } = await ctx().client.send(
      new GetItemCommand({ TableName: ctx().names.Verifications, Key: { pk: { S: `${IDEMPOTENCY_PREFIX}${id}` } }, ConsistentRead: true }),
    );
    expect(Item).toEqual({
      pk: { S: `${IDEMPOTENCY_PREFIX}${id}` },
      state: { S: 'completed' },
      fingerprint: { S: 'fp' },
      response: { S: 'r' },
      expiresAt: { N: String(now + 3600) },
    });
  });

  it('uses a key prefix no tenant id and no used token can start with', () => {
    expect(IDEMPOTENCY_PREFIX).toMatch(/^[^a-z0-9]/);
    expect(IDEMPOTENCY_PREFIX.startsWith(USED_TOKEN_PREFIX) || USED_TOKEN_PREFIX.startsWith(IDEMPOTENCY_PREFIX)).toBe(false);
  });
}

forEachBackend('IdempotencyStore', {
  memory: () => new MemoryIdempotencyStore(),
  dynamo: (client, names) => new DynamoIdempotencyStore(client, names.Verifications),
  contract: idempotencyContract,
  memoryOnly: () => {
    it('sweeps expired keys', async () => {
      const local = new MemoryIdempotencyStore(3);
      await local.claim('a', 'fp', now + 10, now);
      await local.claim('b', 'fp', now + 100, now);
      await local.claim('c', 'fp', now + 100, now + 50);
      expect(local.size).toBe(2);
    });
  },
  dynamoOnly: dynamoItemChecks,
});
