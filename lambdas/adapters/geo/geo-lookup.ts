/**
 * `GeoLookup` backed by local, openly licensed databases (no network, no per-request I/O):
 * - country: `@ip-location-db/geo-whois-asn-country-mmdb` (separate IPv4 and IPv6 .mmdb files,
 *   records `{ country_code }`), read with `maxmind`;
 * - ASN and organisation: `data/geo/asn.bin`, built from `@ip-location-db/asn` by
 *   `scripts/build-geo-data.ts` (see data/geo/README.md);
 * - hosting: the curated ASN list plus an organisation-name heuristic (`hosting-asns.ts`);
 * - private / reserved space: fixed prefix tables below, checked before any database.
 *
 * Addresses are parsed once by a small allocation-free parser. IPv6 that carries an IPv4 address
 * — IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, IPv4-compatible `::a.b.c.d`, 6to4
 * `2002:AABB:CCDD::/48` and Teredo `2001:0::/32` (see `embeddedIpv4` in engine/ip.ts, which
 * `parseIp` uses too, so the engine and a direct lookup agree) — is looked up as that IPv4
 * address: its country, AS and hosting flag are those of the host behind it. Each family only
 * ever goes to its own .mmdb file (the IPv4 file answers IPv6 queries with wrong data instead of
 * failing).
 */
import { access, readFile } from 'node:fs/promises';
import { Reader } from 'maxmind';
import { embeddedIpv4 } from '../../engine/ip';
import type { GeoInfo, GeoLookup } from '../../ports/geo';
import { GeoDataMissingError, resolveGeoDataFiles } from '../../shared/geo-files';
import { ASN_FLAG_HOSTING_NAME, AsnTable, NO_ASN } from './asn-table';
import { HOSTING_ASN_SET } from './hosting-asns';

// Names and location of the data files live in a module without runtime dependencies, so the
// CDK construct can use them without loading maxmind; re-exported for this adapter's callers.
export {
  GEO_DATA_FILES,
  GEO_DIR_ENV,
  GEO_LAYER_FILES,
  GeoDataMissingError,
  LAMBDA_GEO_DIR,
  resolveGeoDataFiles,
} from '../../shared/geo-files';

/** Options of {@link loadGeoLookup}. */
export interface LoadGeoLookupOptions {
  /**
   * Directory holding every file of {@link GEO_LAYER_FILES}.
   * @default - `$SMS_SHIELD_GEO_DIR`, else the .mmdb files from node_modules and `asn.bin` from `data/geo`
   */
  readonly dataDir?: string;
  /**
   * Also flag ASNs whose organisation name looks like a hosting company (see `hosting-asns.ts`).
   * @default true
   */
  readonly orgNameHeuristic?: boolean;
}

/** Open the databases (≈ 18 MB read into memory) and return a ready lookup. Call once per process. */
export async function loadGeoLookup(options: LoadGeoLookupOptions = {}): Promise<LocalGeoLookup> {
  const files = resolveGeoDataFiles(options.dataDir);
  await Promise.all(
    Object.values(files).map((file) =>
      access(file).catch((error: unknown) => {
        const hint = file === files.asn ? ' (build it with `npm run build:geo-data`; npm ci runs it as postinstall)' : '';
        throw new GeoDataMissingError(`Geo data file ${file} is missing${hint}`, { cause: error });
      }),
    ),
  );
  const [countryV4, countryV6, asn] = await Promise.all([readFile(files.countryV4), readFile(files.countryV6), readFile(files.asn)]);
  return new LocalGeoLookup({
    // The decoded-record cache is keyed by record offset: a country database has a few hundred records.
    countryV4: new Reader(countryV4, { cache: new Map() }),
    countryV6: new Reader(countryV6, { cache: new Map() }),
    asnTable: AsnTable.decode(asn),
    orgNameHeuristic: options.orgNameHeuristic,
  });
}

/** Record layout of the ip-location-db country databases (flat, not the GeoIP2 layout). */
interface CountryRecord {
  readonly country_code?: string;
}

/** What {@link LocalGeoLookup} is built from. */
export interface LocalGeoLookupParts {
  /** Reader over the IPv4-only country database. */
  readonly countryV4: CountryReader;
  /** Reader over the IPv6 country database. */
  readonly countryV6: CountryReader;
  readonly asnTable: AsnTable;
  /** @default HOSTING_ASN_SET */
  readonly hostingAsns?: ReadonlySet<number>;
  /** @default true */
  readonly orgNameHeuristic?: boolean;
}

/** The one method of a maxmind `Reader` this adapter uses. */
export interface CountryReader {
  get(ip: string): object | null;
}

const PRIVATE: GeoInfo = Object.freeze({ kind: 'private', hosting: false });
const RESERVED: GeoInfo = Object.freeze({ kind: 'reserved', hosting: false });

/** Synchronous lookups over in-memory databases (≈ 1.5 µs for IPv4, ≈ 3 µs for IPv6); never throws. */
export class LocalGeoLookup implements GeoLookup {
  private readonly countryV4: CountryReader;
  private readonly countryV6: CountryReader;
  private readonly asnTable: AsnTable;
  /** Per ASN-table index: 1 when the AS counts as hosting. */
  private readonly hostingByIndex: Uint8Array;
  private readonly curated: ReadonlySet<number>;
  private readonly words = new Uint32Array(4);

  constructor(parts: LocalGeoLookupParts) {
    this.countryV4 = parts.countryV4;
    this.countryV6 = parts.countryV6;
    this.asnTable = parts.asnTable;
    const curated = parts.hostingAsns ?? HOSTING_ASN_SET;
    this.curated = curated;
    const heuristic = parts.orgNameHeuristic ?? true;
    this.hostingByIndex = new Uint8Array(parts.asnTable.asnCount);
    for (let index = 0; index < this.hostingByIndex.length; index++) {
      const byName = heuristic && (parts.asnTable.flagsAt(index) & ASN_FLAG_HOSTING_NAME) !== 0;
      this.hostingByIndex[index] = curated.has(parts.asnTable.asnAt(index)) || byName ? 1 : 0;
    }
  }

  lookup(ip: string): GeoInfo {
    const w = this.words;
    const family = parseIpInto(ip, w);
    if (family === 0) return RESERVED;
    const address = family === 4 ? w[0] : embeddedIpv4(w[0], w[1], w[2], w[3]);
    if (address >= 0) {
      const kind = classifyV4(address);
      if (kind !== 'public') return kind === 'private' ? PRIVATE : RESERVED;
      // Only an embedded address (rare: the engine passes parseIp's canonical form) costs a string.
      return this.answer(this.country(this.countryV4, family === 4 ? ip : formatV4(address)), this.asnTable.findV4(address));
    }
    const kind = classifyV6(w[0], w[1], w[2], w[3]);
    if (kind !== 'public') return kind === 'private' ? PRIVATE : RESERVED;
    const zone = ip.indexOf('%');
    const country = this.country(this.countryV6, zone < 0 ? ip : ip.slice(0, zone));
    return this.answer(country, this.asnTable.findV6(w[0], w[1], w[2], w[3]));
  }

  /** Whether an AS counts as hosting (curated list, or the name heuristic when enabled). */
  isHostingAsn(asn: number): boolean {
    const index = this.asnTable.indexOfAsn(asn);
    return index === NO_ASN ? this.curated.has(asn) : this.hostingByIndex[index] === 1;
  }

  private country(reader: CountryReader, ip: string): string | undefined {
    try {
      return (reader.get(ip) as CountryRecord | null)?.country_code;
    } catch {
      return undefined; // the address was validated above; a reader error must not fail a verdict
    }
  }

  private answer(country: string | undefined, index: number): GeoInfo {
    if (index === NO_ASN) return country === undefined ? { kind: 'public', hosting: false } : { kind: 'public', country, hosting: false };
    const asn = this.asnTable.asnAt(index);
    const asOrg = this.asnTable.orgAt(index);
    const hosting = this.hostingByIndex[index] === 1;
    return country === undefined ? { kind: 'public', asn, asOrg, hosting } : { kind: 'public', country, asn, asOrg, hosting };
  }
}

// ---------------------------------------------------------------------------------------------
// Address parsing and special-purpose ranges (shared with StaticGeoLookup).

/** Longest accepted text: a full IPv6 address with an IPv4 tail is 45 characters, plus a zone id. */
const MAX_IP_TEXT = 80;
const hextets = new Array<number>(8).fill(0);

/**
 * Parse an IPv4 or IPv6 address without allocating. IPv4 → `out[0]`, returns 4; IPv6 → four
 * 32-bit words in `out` (most significant first), returns 6; malformed → 0. Accepts what
 * `net.isIP` accepts: no leading zeros in IPv4 octets, an optional IPv4 tail and `%zone` in IPv6.
 */
export function parseIpInto(text: string, out: Uint32Array): 0 | 4 | 6 {
  if (typeof text !== 'string' || text.length < 2 || text.length > MAX_IP_TEXT) return 0;
  if (text.indexOf(':') < 0) {
    const v4 = parseV4(text, 0, text.length);
    if (v4 < 0) return 0;
    out[0] = v4;
    return 4;
  }
  return parseV6(text, out) ? 6 : 0;
}

/** Dotted-quad IPv4 in text[from, to) as an unsigned integer, or -1. */
function parseV4(text: string, from: number, to: number): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return -1; // leading zero: octal in some parsers, rejected by Node
      part = part * 10 + (c - 48);
      if (part > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** A zone id (`%eth0`) is one or more of [0-9A-Za-z.:-], as Node's `isIP` has it. */
function validZone(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
    if (!alnum && c !== 45 && c !== 46 && c !== 58) return false;
  }
  return true;
}

function parseV6(text: string, out: Uint32Array): boolean {
  let end = text.length;
  const zone = text.indexOf('%');
  if (zone >= 0) {
    if (zone === end - 1 || !validZone(text, zone + 1)) return false;
    end = zone;
  }
  let i = 0;
  let n = 0;
  let gap = -1;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    if (n === 8) return false;
    let value = 0;
    let digits = 0;
    let j = i;
    for (; j < end; j++) {
      const d = hexDigit(text.charCodeAt(j));
      if (d < 0) break;
      value = value * 16 + d;
      digits++;
    }
    if (j < end && text.charCodeAt(j) === 46) {
      // An IPv4 tail fills the last two groups and must end the address.
      if (n > 6) return false;
      const v4 = parseV4(text, i, end);
      if (v4 < 0) return false;
      hextets[n++] = Math.floor(v4 / 65536);
      hextets[n++] = v4 % 65536;
      break;
    }
    if (digits === 0 || digits > 4) return false;
    hextets[n++] = value;
    if (j === end) break;
    if (text.charCodeAt(j) !== 58) return false;
    if (text.charCodeAt(j + 1) === 58 && j + 1 < end) {
      if (gap >= 0) return false;
      gap = n;
      i = j + 2;
    } else {
      i = j + 1;
      if (i === end) return false;
    }
  }
  if (gap < 0 ? n !== 8 : n > 7) return false;
  // Expand "::": groups after the gap move to the end, zeros fill the middle.
  if (gap >= 0) {
    const tail = n - gap;
    for (let k = 0; k < tail; k++) hextets[7 - k] = hextets[n - 1 - k];
    for (let k = gap; k < 8 - tail; k++) hextets[k] = 0;
  }
  for (let k = 0; k < 4; k++) out[k] = hextets[2 * k] * 65536 + hextets[2 * k + 1];
  return true;
}

/** Dotted-quad text of an unsigned 32-bit IPv4 address. */
export function formatV4(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

type SpecialKind = GeoInfo['kind'];

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
    if ((w[k] & mask) >>> 0 !== (cidr.words[k] & mask) >>> 0) return false;
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
    const v4 = embeddedIpv4(out[0], out[1], out[2], out[3]);
    if (v4 >= 0) {
      out[0] = v4;
      return 4;
    }
  }
  return family;
}

/** Private / reserved / public for a folded address from {@link parseIpFolded}. */
export function classifyWords(family: 4 | 6, w: Uint32Array): SpecialKind {
  return family === 4 ? classifyV4(w[0]) : classifyV6(w[0], w[1], w[2], w[3]);
}
