/**
 * CIDR blocks over the words of {@link parseIpInto}, and the special-purpose ranges (private,
 * reserved) every GeoIP lookup checks before any database. Allocation-free after module load.
 */
import { embeddedIpv4 } from './ip';
import { parseIpInto } from './ip-parse';

/**
 * Longest text a GeoIP lookup parses: a full IPv6 address with an IPv4 tail is 45 characters,
 * plus a zone id. Longer input is answered as reserved without parsing (the lookups' input cap;
 * the parser itself accepts whatever `net.isIP` does).
 */
export const MAX_LOOKUP_TEXT = 80;

/** How an address is classed before any database is asked (the `kind` of a GeoIP answer). */
export type SpecialKind = 'public' | 'private' | 'reserved';

/** A CIDR block as four 32-bit words (IPv4 uses word 0 only) plus a prefix length. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly words: Uint32Array;
  readonly prefix: number;
}

/** Parse `a.b.c.d/n`, `x:y::/n` or a bare address (a /32 or /128); throws on bad input (configuration, not requests). */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  const words = new Uint32Array(4);
  const family = parseIpInto(slash < 0 ? text : text.slice(0, slash), words);
  if (family === 0) throw new Error(`Not an IP address or CIDR block: ${text}`);
  const max = family === 4 ? 32 : 128;
  const prefix = slash < 0 ? max : Number(text.slice(slash + 1));
  if (!/^\d+$/.test(slash < 0 ? String(max) : text.slice(slash + 1)) || prefix > max) {
    throw new Error(`Bad prefix length in ${text}`);
  }
  return { family, words, prefix };
}

/** Whether an address (words as from {@link parseIpInto}) lies inside a block of the same family. */
export function cidrContains(cidr: Cidr, family: 4 | 6, w: Uint32Array): boolean {
  if (cidr.family !== family) return false;
  let bits = cidr.prefix;
  for (let k = 0; bits > 0; k++, bits -= 32) {
    const mask = bits >= 32 ? 0xffff_ffff : ~(0xffff_ffff >>> bits) >>> 0;
    if ((w[k]! & mask) >>> 0 !== (cidr.words[k]! & mask) >>> 0) return false;
  }
  return true;
}

interface SpecialRange {
  readonly cidr: Cidr;
  readonly kind: SpecialKind;
}

const special = (text: string, kind: SpecialKind): SpecialRange => ({ cidr: parseCidr(text), kind });

/** IANA special-purpose IPv4 ranges that never reach us from a real internet client (RFC 6890 and successors). */
const SPECIAL_V4: readonly SpecialRange[] = [
  special('0.0.0.0/8', 'reserved'), // "this network"
  special('10.0.0.0/8', 'private'), // RFC 1918
  special('100.64.0.0/10', 'private'), // shared address space (carrier-grade NAT), RFC 6598
  special('127.0.0.0/8', 'private'), // loopback
  special('169.254.0.0/16', 'private'), // link-local
  special('172.16.0.0/12', 'private'), // RFC 1918
  special('192.0.0.0/24', 'reserved'), // IETF protocol assignments
  special('192.0.2.0/24', 'reserved'), // TEST-NET-1 (documentation)
  special('192.88.99.0/24', 'reserved'), // deprecated 6to4 relay anycast
  special('192.168.0.0/16', 'private'), // RFC 1918
  special('198.18.0.0/15', 'reserved'), // benchmarking
  special('198.51.100.0/24', 'reserved'), // TEST-NET-2 (documentation)
  special('203.0.113.0/24', 'reserved'), // TEST-NET-3 (documentation)
  special('224.0.0.0/4', 'reserved'), // multicast
  special('240.0.0.0/4', 'reserved'), // reserved, including 255.255.255.255
];

/**
 * Special-purpose IPv6 ranges; first match wins. Outside 2000::/3 nothing is globally routed today.
 * Addresses that carry an IPv4 address (::ffff:0:0/96, ::/96 but :: and ::1, 64:ff9b::/96,
 * 2002::/16, 2001::/32) never get here: they are classified as that IPv4 address.
 */
const SPECIAL_V6: readonly SpecialRange[] = [
  special('::/128', 'reserved'), // unspecified
  special('::1/128', 'private'), // loopback
  special('fc00::/7', 'private'), // unique local
  special('fe80::/10', 'private'), // link-local
  special('fec0::/10', 'private'), // deprecated site-local
  special('64:ff9b:1::/48', 'private'), // local-use NAT64, RFC 8215
  special('2001:db8::/32', 'reserved'), // documentation
  special('3fff::/20', 'reserved'), // documentation, RFC 9637
  special('2001:2::/48', 'reserved'), // benchmarking
  special('2001:10::/28', 'reserved'), // ORCHID (deprecated)
  special('2001:20::/28', 'reserved'), // ORCHIDv2
  special('2000::/3', 'public'), // global unicast
  special('::/0', 'reserved'), // multicast (ff00::/8), discard (100::/64), the rest of 64:ff9b::/32, unallocated
];

const scratch = new Uint32Array(4);

/** `public`, `private` or `reserved` for an unsigned 32-bit IPv4 address. */
export function classifyV4(address: number): SpecialKind {
  scratch[0] = address;
  for (const range of SPECIAL_V4) if (cidrContains(range.cidr, 4, scratch)) return range.kind;
  return 'public';
}

/** `public`, `private` or `reserved` for an IPv6 address (one that carries no IPv4 address) given as four words. */
export function classifyV6(w0: number, w1: number, w2: number, w3: number): SpecialKind {
  scratch[0] = w0;
  scratch[1] = w1;
  scratch[2] = w2;
  scratch[3] = w3;
  for (const range of SPECIAL_V6) if (cidrContains(range.cidr, 6, scratch)) return range.kind;
  return 'reserved';
}

/**
 * Family and words of an address, with IPv6 that carries an IPv4 address (IPv4-mapped, NAT64,
 * IPv4-compatible, 6to4, Teredo: `embeddedIpv4`) folded to that IPv4 address (`out[0]`); 0 when malformed.
 */
export function parseIpFolded(text: string, out: Uint32Array): 0 | 4 | 6 {
  const family = parseIpInto(text, out);
  if (family === 6) {
    const v4 = embeddedIpv4(out[0]!, out[1]!, out[2]!, out[3]!);
    if (v4 >= 0) {
      out[0] = v4;
      return 4;
    }
  }
  return family;
}

/** Private / reserved / public for a folded address from {@link parseIpFolded}. */
export function classifyWords(family: 4 | 6, w: Uint32Array): SpecialKind {
  return family === 4 ? classifyV4(w[0]!) : classifyV6(w[0]!, w[1]!, w[2]!, w[3]!);
}
