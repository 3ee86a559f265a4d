import type { GeoInfo, GeoLookup } from '../../ports/geo';
import { type Cidr, cidrContains, classifyWords, MAX_LOOKUP_TEXT, parseCidr, parseIpFolded } from '../../engine/ip-ranges';

/** What a {@link StaticGeoLookup} answers for the addresses of one CIDR block. */
export interface StaticGeoEntry {
  readonly country?: string;
  readonly asn?: number;
  readonly asOrg?: string;
  /** @default false */
  readonly hosting?: boolean;
  /** @default 'public' */
  readonly kind?: GeoInfo['kind'];
}

/**
 * In-memory `GeoLookup` for tests and local experiments, built from CIDR → answer pairs:
 *
 *   new StaticGeoLookup({ '203.0.113.0/24': { country: 'GB', asn: 2856 }, '198.51.100.7': { country: 'US', hosting: true } })
 *
 * The most specific matching block wins, and configured blocks win over the built-in
 * private/reserved classification, so tests can use documentation ranges as stand-ins for real
 * public addresses. Anything else is classified like {@link LocalGeoLookup} does (private,
 * reserved, or public without data); IPv6 that carries an IPv4 address (IPv4-mapped, NAT64
 * `64:ff9b::/96`, IPv4-compatible, 6to4, Teredo: `embeddedIpv4` in engine/ip.ts) is looked up as
 * that IPv4 address, so configure the IPv4 block, not an IPv6 block of those ranges; bad input is reserved.
 */
export class StaticGeoLookup implements GeoLookup {
  private readonly blocks: readonly { readonly cidr: Cidr; readonly info: GeoInfo }[];
  private readonly words = new Uint32Array(4);

  /** @throws Error when a key is not an IP address or CIDR block. */
  constructor(entries: Readonly<Record<string, StaticGeoEntry>> | Iterable<readonly [string, StaticGeoEntry]> = {}) {
    const pairs = Symbol.iterator in entries ? [...entries] : Object.entries(entries);
    this.blocks = pairs.map(([cidr, entry]) => ({ cidr: parseCidr(cidr), info: toInfo(entry) })).sort((a, b) => b.cidr.prefix - a.cidr.prefix);
  }

  lookup(ip: string): GeoInfo {
    const family = typeof ip !== 'string' || ip.length > MAX_LOOKUP_TEXT ? 0 : parseIpFolded(ip, this.words);
    if (family === 0) return { kind: 'reserved', hosting: false };
    for (const block of this.blocks) if (cidrContains(block.cidr, family, this.words)) return block.info;
    return { kind: classifyWords(family, this.words), hosting: false };
  }
}

function toInfo(entry: StaticGeoEntry): GeoInfo {
  return Object.freeze({
    kind: entry.kind ?? 'public',
    ...(entry.country === undefined ? {} : { country: entry.country }),
    ...(entry.asn === undefined ? {} : { asn: entry.asn }),
    ...(entry.asOrg === undefined ? {} : { asOrg: entry.asOrg }),
    hosting: entry.hosting ?? false,
  });
}
