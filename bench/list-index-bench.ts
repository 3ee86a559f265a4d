/**
 * `ListIndex.match` with big lists: µs per match for a scope of N CIDR and N prefix entries,
 * against the linear scan it replaced (one `BlockList` per CIDR, `startsWith` per prefix).
 * A figure to read, not a test: `npx tsx bench/list-index-bench.ts [N]`.
 */
import { BlockList } from 'node:net';
import { MemoryListStore } from '../lambdas/adapters/memory/memory-list-store';
import { parseIp, type IpAddress } from '../lambdas/engine/ip';
import { ListIndex } from '../lambdas/engine/list-index';
import type { ListEntry } from '../lambdas/ports/list-store';

const n = Number(process.argv[2] ?? 5_000);
const now = 1_800_000_000;
const scope = 't:bench';
let seed = 1;
const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const octet = () => Math.floor(rnd() * 256);

const entries: ListEntry[] = [];
for (let i = 0; i < n; i++) {
  const v6 = i % 4 === 0;
  const value = v6
    ? `2001:db8:${Math.floor(rnd() * 65_536).toString(16)}::/${32 + Math.floor(rnd() * 33)}`
    : `${octet()}.${octet()}.${octet()}.0/${16 + Math.floor(rnd() * 9)}`;
  entries.push({ scope, kind: 'cidr', value, action: 'block', createdAt: now });
  entries.push({ scope, kind: 'prefix', value: `+44${Math.floor(rnd() * 10 ** (3 + (i % 6)))}`, action: 'block', createdAt: now });
}
const subjects = Array.from({ length: 2_000 }, (_, i) => ({
  ip: parseIp(i % 4 === 0 ? `2001:db8:${Math.floor(rnd() * 65_536).toString(16)}::1` : `${octet()}.${octet()}.${octet()}.${octet()}`) as IpAddress,
  e164: `+447${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`,
}));

const store = new MemoryListStore();
for (const e of entries) await store.put(e);
const index = new ListIndex(store);
let started = performance.now();
await index.refresh([scope], now * 1000);
const loadMs = performance.now() - started;

const cidrs = entries
  .filter((e) => e.kind === 'cidr')
  .map((e) => {
    const [address = '', bits] = e.value.split('/');
    const blocks = new BlockList();
    blocks.addSubnet(address, Number(bits), address.includes(':') ? 'ipv6' : 'ipv4');
    return { e, blocks };
  });
const prefixes = entries.filter((e) => e.kind === 'prefix');
const linear = (s: (typeof subjects)[number]) => {
  const out: ListEntry[] = [];
  for (const e of prefixes) if (s.e164.startsWith(e.value)) out.push(e);
  for (const { e, blocks } of cidrs) if (blocks.check(s.ip.address, s.ip.family === 4 ? 'ipv4' : 'ipv6')) out.push(e);
  return out;
};

const time = (fn: (s: (typeof subjects)[number]) => unknown) => {
  started = performance.now();
  for (const s of subjects) fn(s);
  return ((performance.now() - started) * 1000) / subjects.length;
};
time((s) => index.match([scope], s, now)); // warm up
const indexedUs = time((s) => index.match([scope], s, now));
const linearUs = time(linear);
console.log(`${n} CIDR + ${n} prefix entries: load ${loadMs.toFixed(1)} ms; match ${indexedUs.toFixed(2)} µs indexed, ${linearUs.toFixed(0)} µs linear`);
