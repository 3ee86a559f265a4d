import { BlockList } from 'node:net';
import { createMemoryStores } from '../../lambdas/adapters/memory/memory-stores';
import { RiskEngine } from '../../lambdas/engine/engine';
import { createHasher } from '../../lambdas/engine/hasher';
import { parseIp } from '../../lambdas/engine/ip';
import { parsePhone } from '../../lambdas/engine/phone';
import { DEFAULT_POLICY, resolvePolicy, type Policy, type PolicyOverrides } from '../../lambdas/engine/policy';
import type { Dimension } from '../../lambdas/engine/dimensions';
import type { CounterReading, RuleContext } from '../../lambdas/engine/rule';
import type { SendAttempt } from '../../lambdas/domain/types';
import { classifyAgent } from '../../lambdas/engine/user-agent';
import { ManualClock } from '../../lambdas/ports/clock';
import type { ResolvedTenant } from '../../lambdas/service/tenant-directory';
import type { GeoInfo, GeoLookup } from '../../lambdas/ports/geo';

/** Noon UTC, so minute/hour/day buckets are far from rolling over at the start of a test. */
export const T0 = Date.UTC(2026, 10, 2, 12, 0, 0);

export const hasher = createHasher('test-secret-test-secret-test-secret');

/**
 * A tiny geo table for engine tests, so they do not depend on the bundled databases:
 * 81.2.69.0/24 GB residential, 90.0.0.0/8 FR residential, 3.0.0.0/8 US AWS (hosting),
 * 5.0.0.0/8 DE Hetzner (hosting), 10/8 and 192.168/16 private.
 */
export const testGeo: GeoLookup = (() => {
  const table: [string, number, GeoInfo][] = [
    ['81.2.69.0', 24, { kind: 'public', country: 'GB', asn: 2856, hosting: false }],
    ['90.0.0.0', 8, { kind: 'public', country: 'FR', asn: 3215, hosting: false }],
    ['3.0.0.0', 8, { kind: 'public', country: 'US', asn: 16509, hosting: true }],
    ['5.0.0.0', 8, { kind: 'public', country: 'DE', asn: 24940, hosting: true }],
    ['10.0.0.0', 8, { kind: 'private', hosting: false }],
    ['192.168.0.0', 16, { kind: 'private', hosting: false }],
  ];
  const blocks = table.map(([net, bits, info]) => {
    const list = new BlockList();
    list.addSubnet(net, bits, 'ipv4');
    return { list, info };
  });
  return {
    lookup: (ip) => {
      const family = ip.includes(':') ? 'ipv6' : 'ipv4';
      return blocks.find((b) => family === 'ipv4' && b.list.check(ip, 'ipv4'))?.info ?? { kind: 'public', hosting: false };
    },
  };
})();

export function attempt(overrides: Partial<SendAttempt> = {}): SendAttempt {
  return {
    tenant: 'shop',
    phone: '+44 7400 123456',
    scenario: 'login',
    ip: '81.2.69.142',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    device: 'device-1',
    challenge: 'absent',
    ...overrides,
  };
}

export function policy(overrides?: PolicyOverrides): Policy {
  return resolvePolicy(overrides, DEFAULT_POLICY);
}

/** Engine on in-memory ports with a manual clock. */
export function memoryEngine(start = T0) {
  const clock = new ManualClock(start);
  const { counters, lists, verifications } = createMemoryStores(clock);
  const engine = new RiskEngine({ counters, lists, verifications, geo: testGeo, hasher, clock });
  return { clock, counters, lists, verifications, engine };
}

/** A rule context for unit-testing one rule. */
export function ruleContext(overrides: Partial<RuleContext> & { phoneText?: string; region?: string } = {}): RuleContext {
  const a = overrides.attempt ?? attempt();
  const ip = overrides.ip ?? parseIp(a.ip);
  return {
    attempt: a,
    phone: 'phone' in overrides ? overrides.phone : parsePhone(overrides.phoneText ?? a.phone, overrides.region ?? a.country),
    ip,
    geo: overrides.geo ?? testGeo.lookup(ip?.address ?? ''),
    agent: overrides.agent ?? classifyAgent(a.userAgent),
    policy: overrides.policy ?? DEFAULT_POLICY,
    now: overrides.now ?? T0,
    counters: overrides.counters ?? [],
    lists: overrides.lists ?? [],
    reputation: overrides.reputation ?? [],
    account: overrides.account,
    ...(overrides.numberHistory && { numberHistory: overrides.numberHistory }),
    ...(overrides.networkTag !== undefined && { networkTag: overrides.networkTag }),
  };
}

/** A counter reading for rule tests: `dimension` at `value` against `limit` in `window`, resetting in 10 minutes. */
export function reading(dimension: Dimension, value: number, limit = Infinity, window: CounterReading['window'] = 'day'): CounterReading {
  return { dimension, window, limit, value, resetsInSeconds: 600 };
}

export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A resolved tenant for service tests. */
export function resolvedTenant(id = 'shop', overrides?: PolicyOverrides): ResolvedTenant {
  return { tenant: { id, name: id, createdAt: 0, policy: {} }, policy: policy(overrides) };
}

/** A send request from a browser user with a device, for service tests. */
export const sendRequest = {
  phone: '+44 7400 123456',
  scenario: 'login' as const,
  ip: '81.2.69.142',
  device: 'device-1',
  userAgent: BROWSER_UA,
  message: 'Your code is 123456',
};
