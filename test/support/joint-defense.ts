import { createMemoryStores } from '../../lambdas/adapters/memory/memory-stores';
import { RiskEngine } from '../../lambdas/engine/engine';
import type { Hasher } from '../../lambdas/engine/hasher';
import type { PolicyOverrides } from '../../lambdas/engine/policy';
import { runJointDefense } from '../../lambdas/joint-defense/job';
import { ManualClock } from '../../lambdas/ports/clock';
import type { SmsSender } from '../../lambdas/ports/sms-sender';
import type { SendRequest } from '../../lambdas/service/schemas';
import { ShieldService, type ServiceLogger } from '../../lambdas/service/shield-service';
import type { ResolvedTenant } from '../../lambdas/service/tenant-directory';
import { T0, hasher as defaultHasher, policy, testGeo } from './engine';

export const quiet: ServiceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * One deployment on in-memory ports with verdict events, the joint-defense job and an SMS
 * sender that counts what it delivers per number: what the joint-defense tests need.
 */
export function jointDefenseWorld(options: { start?: number; hasher?: Hasher } = {}) {
  const clock = new ManualClock(options.start ?? T0);
  const { counters, lists, verifications, events } = createMemoryStores(clock, { eventRetentionMs: 3 * 3_600_000 });
  const engine = new RiskEngine({ counters, lists, verifications, geo: testGeo, hasher: options.hasher ?? defaultHasher, clock, events });
  const delivered: string[] = [];
  const sender: SmsSender = {
    send: async (sms) => {
      delivered.push(sms.e164);
      return { messageId: `m-${delivered.length}` };
    },
  };
  const service = new ShieldService({ engine, sender, logger: quiet });
  const tenants = new Map<string, ResolvedTenant>();
  const tenant = (id: string, overrides?: PolicyOverrides): ResolvedTenant => {
    let t = tenants.get(id);
    if (!t) tenants.set(id, (t = { tenant: { id, name: id, createdAt: 0, policy: overrides ?? {} }, policy: policy(overrides) }));
    return t;
  };
  const send = (tenantId: string, request: Omit<SendRequest, 'message'> & { message?: string }) =>
    service.send(tenant(tenantId), { message: 'Your code is 123456', ...request });
  const job = () => runJointDefense({ events, lists }, clock.now());
  /** SMS delivered to one E.164 number so far. */
  const deliveredTo = (e164: string) => delivered.filter((n) => n === e164).length;
  return { clock, counters, lists, verifications, events, engine, service, tenant, send, job, delivered, deliveredTo };
}
