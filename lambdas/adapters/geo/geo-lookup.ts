/**
 * `GeoLookup` backed by local, openly licensed databases (no network, no per-request I/O):
 * - country: `@ip-location-db/geo-whois-asn-country-mmdb` (separate IPv4 and IPv6 .mmdb files,
 *   records `{ country_code }`), read with `maxmind`;
 * - ASN and organisation: `data/geo/asn.bin`, built from `@ip-location-db/asn` by
 *   `scripts/build-geo-data.ts` (see data/geo/README.md);
 * - hosting: the curated ASN list plus an organisation-name heuristic (`hosting-asns.ts`);
 * - private / reserved space: the fixed prefix tables of engine/ip-ranges.ts, checked before any database.
 *
 * Addresses are parsed once by the engine's allocation-free parser (engine/ip-parse.ts). IPv6
 * that carries an IPv4 address — IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`,
 * IPv4-compatible `::a.b.c.d`, 6to4 `2002:AABB:CCDD::/48` and Teredo `2001:0::/32` (see
 * `embeddedIpv4` in engine/ip.ts; `parseIp` uses the same parser and mapping, so the engine and
 * a direct lookup agree) — is looked up as that IPv4
 * address: its country, AS and hosting flag are those of the host behind it. Each family only
 * ever goes to its own .mmdb file (the IPv4 file answers IPv6 queries with wrong data instead of
 * failing).
 */
import { access, readFile } from 'node:fs/promises';
import { Reader } from 'maxmind';
import { embeddedIpv4 } from '../../engine/ip';
import { formatV4, parseIpInto } from '../../engine/ip-parse';
import { classifyV4, classifyV6, MAX_LOOKUP_TEXT } from '../../engine/ip-ranges';
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
    if (typeof ip !== 'string' || ip.length > MAX_LOOKUP_TEXT) return RESERVED;
    const w = this.words;
    const family = parseIpInto(ip, w);
    if (family === 0) return RESERVED;
    const address = family === 4 ? w[0]! : embeddedIpv4(w[0]!, w[1]!, w[2]!, w[3]!);
    if (address >= 0) {
      const kind = classifyV4(address);
      if (kind !== 'public') return kind === 'private' ? PRIVATE : RESERVED;
      // Only an embedded address (rare: the engine passes parseIp's canonical form) costs a string.
      return this.answer(this.country(this.countryV4, family === 4 ? ip : formatV4(address)), this.asnTable.findV4(address));
    }
    const kind = classifyV6(w[0]!, w[1]!, w[2]!, w[3]!);
    if (kind !== 'public') return kind === 'private' ? PRIVATE : RESERVED;
    const zone = ip.indexOf('%');
    const country = this.country(this.countryV6, zone < 0 ? ip : ip.slice(0, zone));
    return this.answer(country, this.asnTable.findV6(w[0]!, w[1]!, w[2]!, w[3]!));
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
