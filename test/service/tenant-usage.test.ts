import { describe, expect, it } from 'vitest';
import { ShieldError } from '../../lambdas/domain/errors';
import { ShieldService } from '../../lambdas/service/shield-service';
import { BROWSER_UA, memoryEngine, resolvedTenant } from '../support/engine';
import { quiet } from '../support/joint-defense';

/**
 * One tenant (a leaked key, an app under attack) must not take the deployment's capacity from
 * every other tenant: an admin can cap a tenant's verdicts per minute. Refused requests do no
 * store work and send nothing.
 */
function world() {
  const { engine, clock, counters } = memoryEngine();
  const sent: string[] = [];
  const service = new ShieldService({
    engine,
    logger: quiet,
    sender: {
      send: async (sms) => {
        sent.push(sms.e164);
        return { messageId: `m-${sent.length}` };
      },
    },
  });
  return { service, clock, counters, sent };
}
const request = (i: number) => ({
  phone: `+44 ${7710 + i} 234${String(500 + i).padStart(3, '0')}`,
  scenario: 'register' as const,
  ip: `81.2.69.${i % 250}`,
  userAgent: BROWSER_UA,
  device: `d-${i}`,
});

describe('per-tenant usage limits', () => {
  it('refuses a tenant over its verdicts per minute with 429 TENANT_USAGE_LIMIT and Retry-After, without store work, and leaves other tenants alone', async () => {
    const { service, clock, counters, sent } = world();
    const capped = resolvedTenant('capped', { usage: { perMinute: 5 } });
    const other = resolvedTenant('other');
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      try {
        outcomes.push((await service.send(capped, { ...request(i), message: 'Your code is 123456' })).kind);
      } catch (error) {
        expect(error).toBeInstanceOf(ShieldError);
        expect(error).toMatchObject({ code: 'TENANT_USAGE_LIMIT' });
        expect((error as ShieldError).retryAfterSeconds).toBeGreaterThan(0);
        outcomes.push('TENANT_USAGE_LIMIT');
      }
    }
    expect(outcomes).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'TENANT_USAGE_LIMIT', 'TENANT_USAGE_LIMIT', 'TENANT_USAGE_LIMIT']);
    const calls = counters.calls;
    await expect(service.verdict(capped, request(9))).rejects.toMatchObject({ code: 'TENANT_USAGE_LIMIT' });
    expect(counters.calls).toBe(calls);
    expect((await service.verdict(other, request(10))).decision).toBe('allow');
    expect(sent).toHaveLength(5);
    // The next minute, the tenant is served again.
    clock.advance(60_000);
    expect((await service.send(capped, { ...request(11), message: 'Your code is 123456' })).kind).toBe('sent');
  });

  it('is off unless an admin sets it', async () => {
    const { service } = world();
    const tenant = resolvedTenant('free');
    for (let i = 0; i < 30; i++) expect((await service.verdict(tenant, request(i))).decision).not.toBe(undefined);
  });
});
