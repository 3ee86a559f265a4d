import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { MemoryListStore } from '../../lambdas/adapters/memory/memory-list-store';
import { isTransient } from '../../lambdas/handlers/middleware/http-errors';
import { ManualClock } from '../../lambdas/ports/clock';
import type { ServiceLogger } from '../../lambdas/service/shield-service';
import { createTenant, issueAdminKey } from '../../lambdas/service/tenant-admin';
import { invoke } from '../support/api-event';
import { T0 } from '../support/engine';
import { memoryShield } from '../support/shield';

const throughput = () =>
  new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata: {} });
const timeout = () => Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });

/** A list store whose every call fails with `fault()` while `failing` is on. */
class FlakyListStore extends MemoryListStore {
  failing: (() => Error) | undefined;
  private check() {
    if (this.failing) throw this.failing();
  }
  override async listScope(...args: Parameters<MemoryListStore['listScope']>) {
    this.check();
    return super.listScope(...args);
  }
  override async put(...args: Parameters<MemoryListStore['put']>) {
    this.check();
    return super.put(...args);
  }
}

async function world() {
  const clock = new ManualClock(T0);
  const lists = new FlakyListStore();
  const logged: { level: string; message: string }[] = [];
  const logger: ServiceLogger = {
    info: (message) => void logged.push({ level: 'info', message }),
    warn: (message) => void logged.push({ level: 'warn', message }),
    error: (message) => void logged.push({ level: 'error', message }),
  };
  const {
    app,
    stores: { tenants },
  } = memoryShield(clock, { lists, logger });
  const { apiKey } = await createTenant(tenants, { id: 'shop' }, T0);
  const adminKey = await issueAdminKey(tenants, T0);
  return { app, lists, apiKey, adminKey, logged };
}

describe('transient dependency errors', () => {
  it.each([
    ['throughput exceeded', throughput],
    ['SDK timeout', timeout],
    ['connection refused', refused],
  ])('answer 503 STORE_UNAVAILABLE with Retry-After on list routes (%s), logged as a warning, then recover', async (_name, fault) => {
    const { app, lists, apiKey, adminKey, logged } = await world();
    lists.failing = fault;
    const read = await invoke(app.handler, 'GET', '/v1/lists', { key: apiKey });
    expect(read.status).toBe(503);
    expect(read.headers['retry-after']).toBe('5');
    expect(read.body.error.code).toBe('STORE_UNAVAILABLE');
    // Nothing internal in the answer.
    expect(JSON.stringify(read.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|throughput|Timeout/i);
    const write = await invoke(app.handler, 'POST', '/v1/admin/lists', {
      key: adminKey,
      body: { scope: 'global', kind: 'number', value: '+447400123456', action: 'block' },
    });
    expect(write.status).toBe(503);
    expect(logged.filter((l) => l.level === 'error')).toEqual([]);
    expect(logged.some((l) => l.level === 'warn' && l.message === 'Dependency unavailable')).toBe(true);

    lists.failing = undefined;
    expect((await invoke(app.handler, 'GET', '/v1/lists', { key: apiKey })).status).toBe(200);
  });

  it('keeps programming errors a logged 500 without details', async () => {
    const { app, lists, apiKey, logged } = await world();
    lists.failing = () => new TypeError("Cannot read properties of undefined (reading 'kind')");
    const res = await invoke(app.handler, 'GET', '/v1/lists', { key: apiKey });
    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({ code: 'INTERNAL_ERROR', message: 'Internal error' });
    expect(logged.some((l) => l.level === 'error')).toBe(true);
  });

  it('tells transient faults from others', () => {
    expect(isTransient(throughput())).toBe(true);
    expect(isTransient(timeout())).toBe(true);
    expect(isTransient(refused())).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { $fault: 'server' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException', $fault: 'client' }))).toBe(false);
    expect(isTransient(new TypeError('bug'))).toBe(false);
    expect(isTransient('ECONNREFUSED')).toBe(false);
  });
});
