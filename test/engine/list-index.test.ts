import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MemoryListStore } from '../../lambdas/adapters/memory/memory-list-store';
import { parseIp, type IpAddress } from '../../lambdas/engine/ip';
import { ListIndex, type ListSubject } from '../../lambdas/engine/list-index';
import type { ListEntry, ListKind, ListStore } from '../../lambdas/ports/list-store';
import { T0 } from '../support/engine';

const NOW = Math.floor(T0 / 1000);

/** Deterministic pseudo-random numbers (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * What `ListIndex.match` answered before it indexed entries: every prefix entry tested with
 * `startsWith`, every CIDR with its own `BlockList`, in the store's order. Kept here as the
 * reference the indexed matching must agree with, entry for entry and in the same order.
 */
function linearMatcher(entries: readonly ListEntry[]): (subject: ListSubject, nowSeconds: number) => ListEntry[] {
  const cidrs: { entry: ListEntry; blocks: BlockList }[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'cidr') continue;
    const [address, bits] = entry.value.split('/');
    const prefix = Number(bits);
    if (!address || !Number.isInteger(prefix)) continue;
    const blocks = new BlockList();
    try {
      blocks.addSubnet(address, prefix, address.includes(':') ? 'ipv6' : 'ipv4');
    } catch {
      continue;
    }
    cidrs.push({ entry, blocks });
  }
  const prefixes = entries.filter((e) => e.kind === 'prefix');
  return (subject, nowSeconds) => {
    const live = (e: ListEntry) => e.expiresAt === undefined || e.expiresAt > nowSeconds;
    const out: ListEntry[] = [];
    if (subject.e164) for (const e of prefixes) if (subject.e164.startsWith(e.value) && live(e)) out.push(e);
    if (subject.ip) {
      const family = subject.ip.family === 4 ? 'ipv4' : 'ipv6';
      for (const { entry, blocks } of cidrs) if (live(entry) && blocks.check(subject.ip.address, family)) out.push(entry);
    }
    if (subject.asn !== undefined) out.push(...entries.filter((e) => e.kind === 'asn' && e.value === String(subject.asn) && live(e)));
    if (subject.country) out.push(...entries.filter((e) => e.kind === 'country' && e.value === subject.country && live(e)));
    return out;
  };
}

const hex = (rnd: () => number) => Math.floor(rnd() * 0x10000).toString(16);
const ipv4 = (rnd: () => number) => Array.from({ length: 4 }, () => Math.floor(rnd() * 256)).join('.');
const ipv6 = (rnd: () => number) => `2001:db8:${Array.from({ length: 6 }, () => hex(rnd)).join(':')}`;

/** 5,000 CIDRs (IPv4 and IPv6, every prefix length, some not aligned, some expiring), 5,000 prefixes, and a few odd ones. */
function bigScope(scope: string): ListEntry[] {
  const rnd = random(42);
  const entries = new Map<string, ListEntry>();
  const add = (kind: ListKind, value: string, extra: Partial<ListEntry> = {}) =>
    entries.set(`${kind}#${value}`, { scope, kind, value, action: rnd() < 0.8 ? 'block' : 'allow', createdAt: NOW, ...extra });
  const expiry = () => (rnd() < 0.1 ? { expiresAt: NOW + 1 + Math.floor(rnd() * 3_600) } : {});
  while (entries.size < 5_000) {
    const v6 = rnd() < 0.3;
    const bits = v6 ? 16 + Math.floor(rnd() * 113) : 8 + Math.floor(rnd() * 25);
    add('cidr', `${v6 ? ipv6(rnd) : ipv4(rnd)}/${bits}`, expiry());
  }
  while (entries.size < 10_000) {
    const digits = 2 + Math.floor(rnd() * 9);
    add('prefix', `+44${Array.from({ length: digits }, () => Math.floor(rnd() * 10)).join('')}`, expiry());
  }
  // Odd but storable values: whole families, IPv4-mapped IPv6, an unaligned network, malformed ones.
  for (const value of [
    '0.0.0.0/0',
    '::/0',
    '::ffff:0:0/96',
    '::/80',
    '::ffff:c000:200/120',
    '192.0.2.77/24',
    '10.0.0.0/33',
    'nonsense',
    '1.2.3.4',
    '2001:db8::/200',
  ])
    add('cidr', value);
  for (const value of ['+', '+4', '+44', '+447400123456', '447400']) add('prefix', value, expiry());
  add('asn', '64496');
  add('country', 'GB', { expiresAt: NOW + 60 });
  return [...entries.values()];
}

/** Addresses to look up: inside many entries (each entry's own network), and random ones. */
function subjects(entries: readonly ListEntry[]): ListSubject[] {
  const rnd = random(7);
  const ips: IpAddress[] = [];
  for (const e of entries) {
    if (e.kind !== 'cidr' || rnd() > 0.015) continue;
    const ip = parseIp(e.value.split('/')[0] ?? '');
    if (ip) ips.push(ip);
  }
  for (let i = 0; i < 40; i++) ips.push(parseIp(rnd() < 0.5 ? ipv4(rnd) : ipv6(rnd)) as IpAddress);
  for (const raw of ['192.0.2.1', '192.0.2.255', '::ffff:192.0.2.5', '::1', '2001:db8::1', '0.0.0.0', '255.255.255.255']) ips.push(parseIp(raw) as IpAddress);
  const numbers = entries.filter((e) => e.kind === 'prefix' && rnd() < 0.02).map((e) => `${e.value}${'0123456789'.slice(0, Math.max(0, 13 - e.value.length))}`);
  numbers.push('+447400123456', '+4474001234567', '+12025550100');
  const out: ListSubject[] = [];
  for (let i = 0; i < Math.max(ips.length, numbers.length); i++) {
    out.push({ ip: ips[i % ips.length], e164: numbers[i % numbers.length], asn: i % 3 === 0 ? 64_496 : 64_511, country: i % 2 ? 'GB' : 'FR' });
  }
  // A mapped IPv6 address as a subject (parseIp turns it into IPv4; another caller might not).
  out.push({ ip: { address: '::ffff:c000:205', family: 6, subnet: '::/64' } });
  return out;
}

describe('ListIndex with large lists', () => {
  const scope = 't:big';
  const entries = bigScope(scope);

  it('matches 5,000 CIDRs and 5,000 prefixes exactly as a linear scan does, in the same order, expiry included', async () => {
    const store = new MemoryListStore();
    await Promise.all(entries.map((e) => store.put(e)));
    const index = new ListIndex(store);
    await index.refresh([scope], T0);
    const loaded = await store.listKinds(scope, ['prefix', 'cidr', 'asn', 'country'], NOW);
    expect(loaded.filter((e) => e.kind === 'cidr').length).toBeGreaterThanOrEqual(5_000);
    const linear = linearMatcher(loaded);
    const live = (at: number) => (e: ListEntry) => e.expiresAt === undefined || e.expiresAt > at;
    let matched = 0;
    for (const subject of subjects(entries)) {
      // The scan filters on expiry entry by entry, so filtering all its matches gives the same answer.
      const all = linear(subject, -Infinity);
      for (const at of [NOW, NOW + 1_800, NOW + 7_200]) {
        const got = index.match([scope], subject, at);
        expect(got, `${JSON.stringify(subject)} at +${at - NOW} s`).toStrictEqual(all.filter(live(at)));
        matched += got.length;
      }
    }
    expect(matched).toBeGreaterThan(200);
  });

  it('reads only the entries it returns: matching does not walk the list', async () => {
    // Entries whose fields count every read: a linear scan reads each one per verdict.
    let reads = 0;
    let counting = false;
    const watched = entries.map(
      (e) =>
        new Proxy(e, {
          get(target, key, receiver) {
            if (counting) reads++;
            return Reflect.get(target, key, receiver) as unknown;
          },
        }),
    );
    const store = {
      listKinds: async (s: string, kinds: readonly ListKind[]) => watched.filter((e) => e.scope === s && kinds.includes(e.kind)),
    } as unknown as ListStore;
    const index = new ListIndex(store);
    await index.refresh([scope], T0);
    counting = true;
    for (const subject of subjects(entries).slice(0, 200)) {
      reads = 0;
      const got = index.match([scope], subject, NOW);
      // A returned entry is read for its expiry (and maybe once more when sorted); nothing else is touched.
      expect(reads, JSON.stringify(subject)).toBeLessThanOrEqual(4 * (got.length + 2));
    }
  });
});
