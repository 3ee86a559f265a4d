import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { expect, it } from 'vitest';
import { DynamoReplayGuard, USED_TOKEN_PREFIX } from '../../lambdas/adapters/dynamo/dynamo-replay-guard';
import { MemoryReplayGuard } from '../../lambdas/adapters/memory/memory-replay-guard';
import type { ReplayGuard } from '../../lambdas/ports/replay-guard';
import { forEachBackend, type DynamoBackend } from '../support/contract';
import { uniqueId } from '../support/dynamo';

const now = Math.floor(Date.now() / 1000);

/** The same assertions for every implementation. */
function replayGuardContract(guard: () => ReplayGuard): void {
  it('lets the first claim of an id through and refuses the next', async () => {
    const id = uniqueId('pow');
    expect(await guard().claim(id, now + 300, now)).toBe(true);
    expect(await guard().claim(id, now + 300, now)).toBe(false);
    expect(await guard().claim(id, now + 600, now + 100)).toBe(false);
    expect(await guard().claim(uniqueId('pow'), now + 300, now)).toBe(true);
  });

  it('gives exactly one of 20 concurrent claims', async () => {
    const id = uniqueId('pow');
    const results = await Promise.all(Array.from({ length: 20 }, () => guard().claim(id, now + 300, now)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('forgets an id from the second it expires (TTL deletes late; the condition does not)', async () => {
    const id = uniqueId('pow');
    expect(await guard().claim(id, now + 60, now)).toBe(true);
    expect(await guard().claim(id, now + 120, now + 59)).toBe(false);
    expect(await guard().claim(id, now + 120, now + 60)).toBe(true);
    expect(await guard().claim(id, now + 180, now + 61)).toBe(false);
  });
}

function dynamoItemChecks(ctx: () => DynamoBackend<ReplayGuard>): void {
  it('stores one item under the used-token prefix with the TTL in `expiresAt`', async () => {
    const id = uniqueId('pow');
    await ctx().store.claim(id, now + 360, now);
    const { Item } = await ctx().client.send(
      new GetItemCommand({ TableName: ctx().names.Verifications, Key: { pk: { S: `${USED_TOKEN_PREFIX}${id}` } }, ConsistentRead: true }),
    );
    expect(Item).toEqual({ pk: { S: `${USED_TOKEN_PREFIX}${id}` }, expiresAt: { N: String(now + 360) } });
  });

  it('uses a key prefix no tenant id can start with', () => {
    expect(USED_TOKEN_PREFIX).toMatch(/^[^a-z0-9]/);
  });
}

forEachBackend('ReplayGuard', {
  memory: () => new MemoryReplayGuard(),
  dynamo: (client, names) => new DynamoReplayGuard(client, names.Verifications),
  contract: replayGuardContract,
  memoryOnly: () => {
    it('sweeps expired ids so memory follows the live ones', async () => {
      const local = new MemoryReplayGuard(3);
      await local.claim('a', now + 10, now);
      await local.claim('b', now + 100, now);
      await local.claim('c', now + 100, now + 50);
      expect(local.size).toBe(2);
    });
  },
  dynamoOnly: dynamoItemChecks,
});
