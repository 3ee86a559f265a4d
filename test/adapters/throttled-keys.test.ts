import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCounterStore } from '../../lambdas/adapters/dynamo/dynamo-counter-store';
import { ThrottledKeysError, throwIfFailed } from '../../lambdas/ports/counter-store';

const ok = <T>(value: T): PromiseSettledResult<T> => ({ status: 'fulfilled', value });
const no = (reason: unknown): PromiseSettledResult<never> => ({ status: 'rejected', reason });
const throttled = (hot = false) => new ThrottledKeysError(['k'], hot, 0);
const caught = (fn: () => void): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('throwIfFailed: a hot key is told from a throttled store', () => {
  it('passes when nothing failed', () => {
    expect(caught(() => throwIfFailed([ok(1), ok(2)], () => true))).toBeUndefined();
  });
  it('a throttled key beside a served write is hot', () => {
    const error = caught(() => throwIfFailed([ok(1), no(throttled())], () => true));
    expect(error).toBeInstanceOf(ThrottledKeysError);
    expect(error).toMatchObject({ hot: true, keys: ['k'], servedWrites: 1 });
  });
  it('every write throttled, only reads served: the store, not a key', () => {
    const error = caught(() => throwIfFailed([no(throttled()), ok(1), no(throttled())], (i) => i !== 1));
    expect(error).toMatchObject({ hot: false, keys: ['k', 'k'] });
  });
  it('a key the store names as hot (key-range throttling) is hot alone', () => {
    expect(caught(() => throwIfFailed([no(throttled(true))], () => true))).toMatchObject({ hot: true });
  });
  it('another failure wins over a cold throttle, a hot key wins over another failure', () => {
    const down = new Error('connection refused');
    expect(caught(() => throwIfFailed([no(throttled()), no(down)], () => true))).toBe(down);
    expect(caught(() => throwIfFailed([ok(1), no(down), no(throttled())], () => true))).toMatchObject({ hot: true });
  });
});

/** A client whose every command fails with `error`. */
function failingClient(error: unknown): DynamoDBClient {
  return { send: async () => Promise.reject(error) } as unknown as DynamoDBClient;
}

describe('DynamoCounterStore: throttling errors name their keys', () => {
  const increment = { key: 'v#global-number#abc', field: 'h1', by: 1, expiresAt: 2_000_000_000 };
  it('a key-range throttle of DynamoDB is a hot key even when it is the only request', async () => {
    const error = Object.assign(new Error('throttled'), {
      name: 'ProvisionedThroughputExceededException',
      ThrottlingReasons: [{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: 'arn:aws:dynamodb:us-east-1:0:table/Counters' }],
    });
    await expect(new DynamoCounterStore(failingClient(error), 'Counters').increment([increment])).rejects.toMatchObject({
      name: 'ThrottledKeysError',
      hot: true,
      keys: ['v#global-number#abc'],
    });
  });
  it('a table-wide throttle on the only request is not a hot key', async () => {
    const error = Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    await expect(new DynamoCounterStore(failingClient(error), 'Counters').increment([increment])).rejects.toMatchObject({ hot: false });
  });
  it('any other error passes through unchanged', async () => {
    const error = new Error('socket hang up');
    await expect(new DynamoCounterStore(failingClient(error), 'Counters').addDistinct([{ key: 'd#x', member: 'm', cap: 5, expiresAt: 1 }])).rejects.toBe(error);
  });
});
