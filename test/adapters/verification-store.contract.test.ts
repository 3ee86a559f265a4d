import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { expect, it } from 'vitest';
import { DynamoVerificationStore } from '../../lambdas/adapters/dynamo/dynamo-verification-store';
import { MemoryVerificationStore } from '../../lambdas/adapters/memory/memory-verification-store';
import { ManualClock } from '../../lambdas/ports/clock';
import type { PendingVerification, VerificationStore } from '../../lambdas/ports/verification-store';
import { forEachBackend, type DynamoBackend } from '../support/contract';
import { uniqueId } from '../support/dynamo';

const now = Math.floor(Date.now() / 1000);

const pending = (tenant: string, extra: Partial<PendingVerification> = {}): PendingVerification => ({
  tenant,
  phoneHash: uniqueId('hmac'),
  sentAt: now,
  expiresAt: now + 600,
  ...extra,
});

/** The same assertions for every implementation. */
function verificationStoreContract(store: () => VerificationStore): void {
  it('returns what was put, with and without optional fields', async () => {
    const tenant = uniqueId('shop');
    const full = pending(tenant, {
      country: 'GB',
      range4: '+447400 12',
      accountHash: 'acct-hmac',
      deviceHash: 'dev-hmac',
      network: 'as64496',
      codeHash: 'salted-code-hash',
      attempts: 2,
      supersedes: 2,
    });
    const bare = pending(tenant);
    await store().put(full);
    await store().put(bare);
    expect(await store().get(tenant, full.phoneHash, now)).toStrictEqual(full);
    expect(await store().get(tenant, bare.phoneHash, now)).toStrictEqual(bare);
    expect(await store().get(tenant, uniqueId('missing'), now)).toBeUndefined();
  });

  it('replaces an earlier record for the same tenant and number', async () => {
    const first = pending(uniqueId('shop'), { codeHash: 'first', attempts: 3 });
    const { tenant, phoneHash, expiresAt } = first;
    const second: PendingVerification = { tenant, phoneHash, expiresAt, sentAt: now + 30, codeHash: 'second' };
    await store().put(first);
    await store().put(second);
    expect(await store().get(tenant, phoneHash, now)).toStrictEqual(second);
  });

  it('take returns the record once, then it is gone', async () => {
    const record = pending(uniqueId('shop'), { codeHash: 'h' });
    await store().put(record);
    expect(await store().take(record.tenant, record.phoneHash, now)).toStrictEqual(record);
    expect(await store().take(record.tenant, record.phoneHash, now)).toBeUndefined();
    expect(await store().get(record.tenant, record.phoneHash, now)).toBeUndefined();
    expect(await store().recordFailedAttempt(record.tenant, record.phoneHash, now)).toBeUndefined();
    expect(await store().take(record.tenant, uniqueId('never'), now)).toBeUndefined();
  });

  it('takes with an expected code only while the record still holds that code', async () => {
    const old = pending(uniqueId('shop'), { codeHash: 'old-code' });
    await store().put(old);
    // A resend replaced the record: a check of the old code must not use up the new one.
    const resent: PendingVerification = { ...old, sentAt: now + 60, codeHash: 'new-code' };
    await store().put(resent);
    expect(await store().take(old.tenant, old.phoneHash, now, 'old-code')).toBeUndefined();
    expect(await store().get(old.tenant, old.phoneHash, now)).toStrictEqual(resent);
    expect(await store().take(old.tenant, old.phoneHash, now, 'new-code')).toStrictEqual(resent);
  });

  it('gives the record to exactly one of 20 concurrent takes', async () => {
    const record = pending(uniqueId('shop'), { codeHash: 'h' });
    await store().put(record);
    const taken = await Promise.all(Array.from({ length: 20 }, () => store().take(record.tenant, record.phoneHash, now)));
    expect(taken.filter((r) => r !== undefined)).toStrictEqual([record]);
  });

  it('counts failed attempts, and take returns the count', async () => {
    const record = pending(uniqueId('shop'));
    await store().put(record);
    expect(await store().recordFailedAttempt(record.tenant, record.phoneHash, now)).toBe(1);
    expect(await store().recordFailedAttempt(record.tenant, record.phoneHash, now)).toBe(2);
    expect(await store().get(record.tenant, record.phoneHash, now)).toStrictEqual({ ...record, attempts: 2 });
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => store().recordFailedAttempt(record.tenant, record.phoneHash, now)));
    expect(concurrent.sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(await store().take(record.tenant, record.phoneHash, now)).toStrictEqual({ ...record, attempts: 12 });
    expect(await store().recordFailedAttempt(uniqueId('shop'), uniqueId('never'), now)).toBeUndefined();
  });

  it('gives exactly maxAttempts of 40 concurrent attempt claims a slot, numbered 1..max', async () => {
    const record = pending(uniqueId('shop'), { codeHash: 'h' });
    await store().put(record);
    const claims = await Promise.all(Array.from({ length: 40 }, () => store().claimAttempt(record.tenant, record.phoneHash, now, 5)));
    const slots = claims.flatMap((c) => (c.status === 'claimed' ? [c.attempts] : [])).sort((a, b) => a - b);
    expect(slots).toEqual([1, 2, 3, 4, 5]);
    expect(claims.filter((c) => c.status === 'exhausted')).toHaveLength(35);
    expect(await store().claimAttempt(record.tenant, record.phoneHash, now, 5)).toEqual({ status: 'exhausted' });
    expect(await store().claimAttempt(record.tenant, uniqueId('never'), now, 5)).toEqual({ status: 'missing' });
    expect(await store().claimAttempt(record.tenant, record.phoneHash, record.expiresAt, 5)).toEqual({ status: 'missing' });
  });

  it('takes with maxAttempts only while no more checks than that were counted', async () => {
    const spent = pending(uniqueId('shop'), { codeHash: 'h', attempts: 6 });
    await store().put(spent);
    expect(await store().take(spent.tenant, spent.phoneHash, now, 'h', 5)).toBeUndefined();
    const fresh = pending(uniqueId('shop'), { codeHash: 'h', attempts: 5 });
    await store().put(fresh);
    expect(await store().take(fresh.tenant, fresh.phoneHash, now, 'h', 5)).toStrictEqual(fresh);
    const never = pending(uniqueId('shop'), { codeHash: 'h' });
    await store().put(never);
    expect(await store().take(never.tenant, never.phoneHash, now, 'h', 5)).toStrictEqual(never);
  });

  it('hides a record from the second it expires, for every operation', async () => {
    const record = pending(uniqueId('shop'), { expiresAt: now + 60 });
    await store().put(record);
    const at = record.expiresAt;
    expect(await store().get(record.tenant, record.phoneHash, at - 1)).toStrictEqual(record);
    expect(await store().get(record.tenant, record.phoneHash, at)).toBeUndefined();
    expect(await store().recordFailedAttempt(record.tenant, record.phoneHash, at)).toBeUndefined();
    expect(await store().take(record.tenant, record.phoneHash, at + 3_600)).toBeUndefined();
    // Refused operations changed nothing.
    expect(await store().take(record.tenant, record.phoneHash, at - 1)).toStrictEqual(record);
  });

  it('keeps tenants apart: the same number hash under two tenants is two records', async () => {
    const [a, b] = [uniqueId('a'), uniqueId('b')];
    const recordA = pending(a, { codeHash: 'code-a' });
    const recordB: PendingVerification = { ...recordA, tenant: b, codeHash: 'code-b' };
    await store().put(recordA);
    expect(await store().get(b, recordA.phoneHash, now)).toBeUndefined();
    expect(await store().take(b, recordA.phoneHash, now)).toBeUndefined();
    expect(await store().recordFailedAttempt(b, recordA.phoneHash, now)).toBeUndefined();
    await store().put(recordB);
    expect(await store().recordFailedAttempt(b, recordA.phoneHash, now)).toBe(1);
    expect(await store().take(a, recordA.phoneHash, now)).toStrictEqual(recordA);
    expect(await store().get(b, recordA.phoneHash, now)).toStrictEqual({ ...recordB, attempts: 1 });
  });

  it('does not share state with the caller', async () => {
    const record = { ...pending(uniqueId('shop')), codeHash: 'h' };
    await store().put(record);
    record.codeHash = 'changed';
    expect((await store().get(record.tenant, record.phoneHash, now))?.codeHash).toBe('h');
  });
}

/** DynamoDB-only: the item layout the TTL relies on. */
function dynamoItemChecks(ctx: () => DynamoBackend<VerificationStore>): void {
  it('stores one item keyed by tenant and phone hash (`tenant#hash`) with the TTL in `expiresAt`', async () => {
    const record = pending(uniqueId('shop'), { country: 'GB' });
    await ctx().store.put(record);
    const { Item } = await ctx().client.send(
      new GetItemCommand({
        TableName: ctx().names.Verifications,
        Key: { pk: { S: `${record.tenant}#${record.phoneHash}` } },
        ConsistentRead: true,
      }),
    );
    expect(Item).toMatchObject({ expiresAt: { N: String(record.expiresAt) }, country: { S: 'GB' } });
  });
}

forEachBackend('VerificationStore', {
  memory: () => new MemoryVerificationStore(),
  dynamo: (client, names) => new DynamoVerificationStore(client, names.Verifications),
  contract: verificationStoreContract,
  memoryOnly: () => {
    it('sweeps expired records on put when given a clock', async () => {
      const clock = new ManualClock(now * 1000);
      const local = new MemoryVerificationStore(clock, 3);
      await local.put(pending('shop', { expiresAt: now + 10 }));
      await local.put(pending('shop', { expiresAt: now + 100 }));
      clock.advance(10_000);
      await local.put(pending('shop', { expiresAt: now + 100 }));
      expect(local.size).toBe(2);
    });
  },
  dynamoOnly: dynamoItemChecks,
});
