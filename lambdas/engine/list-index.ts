import { BlockList, isIP } from 'node:net';
import type { ListEntry, ListKind, ListStore } from '../ports/list-store';
import { ipv6Groups, type IpAddress } from './ip';

/** List kinds matched by rule (prefix, range, AS, country) rather than by exact key. */
export const RULE_KINDS: readonly ListKind[] = ['prefix', 'cidr', 'asn', 'country'];

/** An entry and its position in the store's answer, so matches come back in that order. */
interface Indexed {
  readonly entry: ListEntry;
  readonly order: number;
}

/** CIDR entries of one family: per prefix length present, the masked network → its entries. */
interface CidrTable<A> {
  /** Prefix lengths that occur, longest first (any order gives the same matches). */
  readonly lengths: number[];
  readonly byLength: Map<number, Map<A, Indexed[]>>;
}

interface ScopeIndex {
  readonly loadedAt: number;
  /** Prefix entries by value: a number is looked up by each of its own prefixes. */
  readonly prefixes: ReadonlyMap<string, readonly Indexed[]>;
  readonly v4: CidrTable<number>;
  readonly v6: CidrTable<bigint>;
  readonly byAsn: ReadonlyMap<string, ListEntry>;
  readonly byCountry: ReadonlyMap<string, ListEntry>;
}

/** What a list lookup is matched against. */
export interface ListSubject {
  readonly e164?: string;
  readonly country?: string;
  readonly ip?: IpAddress;
  readonly asn?: number;
}

/**
 * Rule-kind list entries per scope, cached for `ttlMs`: admin lists change rarely and are bounded
 * (5,000 live entries per scope), so the verdict path matches them in memory, by Map lookups. A stale scope is reloaded inside the verdict's
 * store wave (in parallel with the counters), never as a separate round trip.
 */
export class ListIndex {
  private readonly scopes = new Map<string, ScopeIndex>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly store: ListStore,
    private readonly ttlMs = 30_000,
  ) {}

  /** Promise that refreshes every stale scope (resolves at once when all are fresh). */
  refresh(scopes: readonly string[], nowMs: number): Promise<void> | undefined {
    const pending: Promise<void>[] = [];
    for (const scope of scopes) {
      const index = this.scopes.get(scope);
      if (index && nowMs - index.loadedAt < this.ttlMs) continue;
      let load = this.loading.get(scope);
      if (!load) {
        load = this.load(scope, nowMs).finally(() => this.loading.delete(scope));
        this.loading.set(scope, load);
      }
      pending.push(load);
    }
    return pending.length > 0 ? Promise.all(pending).then(() => undefined) : undefined;
  }

  /** Forget everything, e.g. after an admin change in this process. */
  invalidate(): void {
    this.scopes.clear();
  }

  /**
   * Entries of the scopes that match the subject, live at `nowSeconds`: per scope its prefixes,
   * CIDRs, AS and country, each group in the store's order. Work grows with the length of the
   * number and the prefix lengths present, not with the number of entries.
   */
  match(scopes: readonly string[], subject: ListSubject, nowSeconds: number): ListEntry[] {
    const out: ListEntry[] = [];
    const live = (e: ListEntry | undefined): e is ListEntry => e !== undefined && (e.expiresAt === undefined || e.expiresAt > nowSeconds);
    const address = subject.ip ? ipBits(subject.ip) : undefined;
    for (const scope of scopes) {
      const index = this.scopes.get(scope);
      if (!index) continue;
      if (subject.e164) {
        const hits: Indexed[] = [];
        for (let length = 0; length <= subject.e164.length; length++) {
          const found = index.prefixes.get(subject.e164.slice(0, length));
          if (found) hits.push(...found);
        }
        pushLive(out, hits, live);
      }
      if (address) {
        // Node's BlockList, which matched CIDRs before, compares IPv4 with IPv4-mapped IPv6
        // (::ffff:a.b.c.d) both ways; the lookups below do the same.
        const hits: Indexed[] = [];
        if (address.v4 !== undefined) lookup(index.v4, address.v4, maskV4, hits);
        if (address.v6 !== undefined) lookup(index.v6, address.v6, maskV6, hits);
        pushLive(out, hits, live);
      }
      if (subject.asn !== undefined) {
        const e = index.byAsn.get(String(subject.asn));
        if (live(e)) out.push(e);
      }
      if (subject.country) {
        const e = index.byCountry.get(subject.country);
        if (live(e)) out.push(e);
      }
    }
    return out;
  }

  private async load(scope: string, nowMs: number): Promise<void> {
    const entries = await this.store.listKinds(scope, RULE_KINDS, Math.floor(nowMs / 1000));
    const prefixes = new Map<string, Indexed[]>();
    const v4: CidrTable<number> = { lengths: [], byLength: new Map() };
    const v6: CidrTable<bigint> = { lengths: [], byLength: new Map() };
    const byAsn = new Map<string, ListEntry>();
    const byCountry = new Map<string, ListEntry>();
    entries.forEach((entry, order) => {
      const indexed = { entry, order };
      switch (entry.kind) {
        case 'prefix':
          append(prefixes, entry.value, indexed);
          break;
        case 'cidr': {
          const network = parseCidr(entry.value);
          if (network?.family === 4) add(v4, network.bits, maskV4(network.address, network.bits), indexed);
          else if (network?.family === 6) add(v6, network.bits, maskV6(network.address, network.bits), indexed);
          break;
        }
        case 'asn':
          byAsn.set(entry.value, entry);
          break;
        case 'country':
          byCountry.set(entry.value, entry);
          break;
      }
    });
    for (const table of [v4, v6] as CidrTable<unknown>[]) table.lengths.sort((a, b) => b - a);
    this.scopes.set(scope, { loadedAt: nowMs, prefixes, v4, v6, byAsn, byCountry });
  }
}

/** Adds the live hits to `out` in the store's order (most lookups find none or one). */
function pushLive(out: ListEntry[], hits: Indexed[], live: (e: ListEntry) => boolean): void {
  if (hits.length > 1) hits.sort((a, b) => a.order - b.order);
  for (const hit of hits) if (live(hit.entry)) out.push(hit.entry);
}

function append<K>(map: Map<K, Indexed[]>, key: K, indexed: Indexed): void {
  const list = map.get(key);
  if (list) list.push(indexed);
  else map.set(key, [indexed]);
}

function add<A>(table: CidrTable<A>, bits: number, network: A, indexed: Indexed): void {
  let networks = table.byLength.get(bits);
  if (!networks) {
    networks = new Map();
    table.byLength.set(bits, networks);
    table.lengths.push(bits);
  }
  append(networks, network, indexed);
}

function lookup<A>(table: CidrTable<A>, address: A, mask: (address: A, bits: number) => A, hits: Indexed[]): void {
  for (const bits of table.lengths) {
    const found = table.byLength.get(bits)?.get(mask(address, bits));
    if (found) hits.push(...found);
  }
}

function maskV4(address: number, bits: number): number {
  return bits === 0 ? 0 : (address & (0xffffffff << (32 - bits))) >>> 0;
}

const ALL_V6 = (1n << 128n) - 1n;
/** One mask per prefix length, built once. */
const V6_MASKS = Array.from({ length: 129 }, (_, bits) => ALL_V6 ^ ((1n << BigInt(128 - bits)) - 1n));

function maskV6(address: bigint, bits: number): bigint {
  return address & (V6_MASKS[bits] as bigint);
}

/** `::ffff:0:0/96`: IPv4-mapped IPv6 addresses. */
const MAPPED_PREFIX = 0xffffn << 32n;

/**
 * The subject as integers: IPv4 as 32 bits and also as its IPv4-mapped IPv6 form; IPv6 as 128
 * bits and, when it is IPv4-mapped, also as that IPv4 address.
 */
function ipBits(ip: IpAddress): { v4?: number; v6?: bigint } | undefined {
  if (ip.family === 4) {
    const v4 = ipv4Bits(ip.address);
    return v4 === undefined ? undefined : { v4, v6: MAPPED_PREFIX | BigInt(v4) };
  }
  const v6 = ipv6Bits(ip.address);
  if (v6 === undefined) return undefined;
  return v6 >> 32n === 0xffffn ? { v4: Number(v6 & 0xffffffffn), v6 } : { v6 };
}

/**
 * A stored CIDR value, read as `cidrBlock` reads it (what the engine accepted before): the
 * address before the first `/`, IPv6 when it has a colon, a whole prefix length within the
 * family's range; undefined for anything else (admin input is validated, stored data may not be).
 */
function parseCidr(value: string): { family: 4; address: number; bits: number } | { family: 6; address: bigint; bits: number } | undefined {
  const [address, text] = value.split('/');
  const bits = Number(text);
  if (!address || !Number.isInteger(bits) || bits < 0) return undefined;
  if (address.includes(':')) {
    const v6 = bits <= 128 ? ipv6Bits(address) : undefined;
    return v6 === undefined ? undefined : { family: 6, address: v6, bits };
  }
  const v4 = bits <= 32 ? ipv4Bits(address) : undefined;
  return v4 === undefined ? undefined : { family: 4, address: v4, bits };
}

function ipv4Bits(text: string): number | undefined {
  if (isIP(text) !== 4) return undefined;
  const [a = 0, b = 0, c = 0, d = 0] = text.split('.').map(Number);
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** 128 bits of an IPv6 address (a zone id is ignored, a dotted IPv4 tail read as two groups). */
function ipv6Bits(text: string): bigint | undefined {
  const groups = ipv6Groups(text);
  if (!groups) return undefined;
  let bits = 0n;
  for (const group of groups) bits = (bits << 16n) | BigInt(group);
  return bits;
}

/** A BlockList holding one CIDR; undefined for a malformed value (admin input is validated, stored data may not be). */
export function cidrBlock(value: string): BlockList | undefined {
  const [address, bits] = value.split('/');
  const prefix = Number(bits);
  if (!address || !Number.isInteger(prefix)) return undefined;
  const family = address.includes(':') ? 'ipv6' : 'ipv4';
  try {
    const blocks = new BlockList();
    blocks.addSubnet(address, prefix, family);
    return blocks;
  } catch {
    return undefined;
  }
}
