/** Drawing IP addresses from the pools in `ip-pools.ts`. */
import type { Rng } from '../rng';
import { PROXY_COUNTRIES, ipPools, type NetBlock, type NetworkType } from './ip-pools';

interface ParsedBlock {
  readonly first: number;
  readonly size: number;
}

const parsedBlocks = new Map<string, ParsedBlock>();

function parseBlock(cidr: string): ParsedBlock {
  let block = parsedBlocks.get(cidr);
  if (!block) {
    const [address, bits] = cidr.split('/');
    const octets = (address ?? '').split('.').map(Number);
    const prefix = Number(bits);
    if (octets.length !== 4 || octets.some((o) => !(o >= 0 && o <= 255)) || !(prefix >= 8 && prefix <= 30)) {
      throw new Error(`bad CIDR ${cidr}`);
    }
    const first = ((octets[0] ?? 0) * 16777216 + (octets[1] ?? 0) * 65536 + (octets[2] ?? 0) * 256 + (octets[3] ?? 0)) >>> 0;
    block = { first, size: 2 ** (32 - prefix) };
    parsedBlocks.set(cidr, block);
  }
  return block;
}

/** A host address in `block` (never the .0 or .255 of a /24). */
export function addressIn(rng: Rng, block: NetBlock): string {
  const { first, size } = parseBlock(block.cidr);
  const n = first + Math.floor(rng.next() * size);
  const last = 1 + Math.floor(rng.next() * 254);
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${last}`;
}

function poolFor(type: Exclude<NetworkType, 'datacenter'>, country: string): readonly NetBlock[] {
  const pool = ipPools[type][country];
  if (!pool || pool.length === 0) throw new Error(`no ${type} addresses for ${country}`);
  return pool;
}

/** A random address of a network type in a country. */
export function addressOf(rng: Rng, type: Exclude<NetworkType, 'datacenter'>, country: string): string {
  return addressIn(rng, rng.pick(poolFor(type, country)));
}

export function datacenterAddress(rng: Rng): string {
  return addressIn(rng, rng.pick(ipPools.datacenter));
}

/** The hosting ASNs of the datacenter pool, in pool order. */
export function datacenterAsns(): number[] {
  return [...new Set(ipPools.datacenter.map((block) => block.asn))];
}

/** A datacenter address announced by one of `asns` (a farm renting from a few providers). */
export function datacenterAddressOf(rng: Rng, asns: readonly number[]): string {
  const blocks = ipPools.datacenter.filter((block) => asns.includes(block.asn));
  if (blocks.length === 0) throw new Error(`no datacenter blocks for AS ${asns.join(', ')}`);
  return addressIn(rng, rng.pick(blocks));
}

/** A residential proxy exit somewhere in the world (or in `country`). */
export function proxyAddress(rng: Rng, country?: string): string {
  return addressOf(rng, 'residentialProxy', country ?? rng.weighted(PROXY_COUNTRIES));
}

export function hasPool(type: Exclude<NetworkType, 'datacenter'>, country: string): boolean {
  return (ipPools[type][country]?.length ?? 0) > 0;
}

export function carriersOf(country: string): readonly NetBlock[] {
  return poolFor('mobileCgnat', country);
}
