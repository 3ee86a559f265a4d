/**
 * Builds `data/geo/asn.bin`, the IP → ASN range table read by `LocalGeoLookup`, from the CSV files
 * of the npm package `@ip-location-db/asn` (RouteViews + NRO + DB-IP, CC BY 4.0).
 *
 * Runs as the root package's `postinstall`, so every `npm ci` / `npm install` leaves the table in
 * place; it is skipped (in milliseconds) when the existing table was built from the same package
 * version by the same builder. See data/geo/README.md.
 *
 *   tsx scripts/build-geo-data.ts [--force] [--out <dir>]
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ASN_FLAG_HOSTING_NAME, AsnTable, type AsnRangeV4, type AsnRangeV6, encodeAsnTable } from '../lambdas/adapters/geo/asn-table';
import { ACCESS_NETWORK_ORG_PATTERN, HOSTING_ASNS, HOSTING_ORG_PATTERN, looksLikeHostingOrg } from '../lambdas/adapters/geo/hosting-asns';
import { GEO_DATA_FILES } from '../lambdas/shared/geo-files';

/** Bump when the way the table is derived changes, so installed tables get rebuilt. */
const BUILDER_VERSION = 1;
const SOURCE_PACKAGE = '@ip-location-db/asn';
const DEFAULT_OUT = fileURLToPath(new URL('../data/geo/', import.meta.url));

interface Row {
  readonly start: bigint;
  readonly end: bigint;
  readonly asn: number;
  readonly org: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { force: { type: 'boolean', default: false }, out: { type: 'string', default: DEFAULT_OUT } },
  });
  const outDir = values.out;
  const outFile = join(outDir, GEO_DATA_FILES.asn);

  const require = createRequire(import.meta.url);
  const sourceDir = dirname(require.resolve(`${SOURCE_PACKAGE}/package.json`));
  const sourceVersion = (JSON.parse(await readFile(join(sourceDir, 'package.json'), 'utf8')) as { version: string }).version;
  // Anything that changes the output goes into the fingerprint; the table header records it.
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([BUILDER_VERSION, sourceVersion, HOSTING_ORG_PATTERN.source, ACCESS_NETWORK_ORG_PATTERN.source]))
    .digest('hex')
    .slice(0, 16);

  if (!values.force && (await existingFingerprint(outFile)) === fingerprint) {
    console.log(`geo data: ${outFile} is up to date (${SOURCE_PACKAGE}@${sourceVersion})`);
    return;
  }

  const started = performance.now();
  const v4Rows = parseCsv(await readFile(join(sourceDir, 'asn-ipv4-num.csv'), 'utf8'));
  const v6Rows = parseCsv(await readFile(join(sourceDir, 'asn-ipv6-num.csv'), 'utf8'));
  const v4: AsnRangeV4[] = v4Rows.map((row) => ({ ...row, start: Number(row.start), end: Number(row.end) }));
  const v6: AsnRangeV6[] = v6Rows;

  const { bytes, stats } = encodeAsnTable({
    v4,
    v6,
    flags: (_asn, org) => (looksLikeHostingOrg(org) ? ASN_FLAG_HOSTING_NAME : 0),
    meta: {
      source: SOURCE_PACKAGE,
      sourceVersion,
      fingerprint,
      licence: 'CC BY 4.0: RouteViews (routeviews.org), NRO (nro.net), DB-IP (db-ip.com)',
    },
  });

  await mkdir(outDir, { recursive: true });
  const temporary = `${outFile}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, outFile);

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `geo data: wrote ${outFile} (${(stats.bytes / 1e6).toFixed(2)} MB) in ${seconds} s from ${SOURCE_PACKAGE}@${sourceVersion}: ` +
      `${v4Rows.length} IPv4 + ${v6Rows.length} IPv6 ranges -> ${stats.v4Entries} + ${stats.v6Entries} entries, ` +
      `${stats.asns} ASNs, ${stats.orgs} organisation names (${(stats.orgBytes / 1e6).toFixed(2)} MB), ` +
      `${stats.clippedRanges} overlapping range(s) clipped`,
  );
  reportHostingChecks(v4Rows, v6Rows);
}

/** The fingerprint stored in an existing table, or undefined when there is none (or it is unreadable). */
async function existingFingerprint(file: string): Promise<unknown> {
  try {
    return AsnTable.decode(await readFile(file)).header.meta.fingerprint;
  } catch {
    return undefined;
  }
}

/** `start,end,asn,org` lines with numeric addresses; `org` may be double-quoted with `""` escapes. */
function parseCsv(text: string): Row[] {
  const rows: Row[] = [];
  let lineNumber = 0;
  for (const line of text.split('\n')) {
    lineNumber++;
    if (line.length === 0) continue;
    const a = line.indexOf(',');
    const b = line.indexOf(',', a + 1);
    const c = line.indexOf(',', b + 1);
    if (a < 0 || b < 0 || c < 0) throw new Error(`CSV line ${lineNumber}: expected start,end,asn,org: ${line}`);
    let org = line.slice(c + 1).replace(/\r$/, '');
    if (org.startsWith('"')) {
      if (!org.endsWith('"') || org.length < 2) throw new Error(`CSV line ${lineNumber}: unterminated quote: ${line}`);
      org = org.slice(1, -1).replaceAll('""', '"');
    }
    const asn = Number(line.slice(b + 1, c));
    if (!Number.isInteger(asn)) throw new Error(`CSV line ${lineNumber}: bad ASN: ${line}`);
    rows.push({ start: BigInt(line.slice(0, a)), end: BigInt(line.slice(a + 1, b)), asn, org: org.trim() });
  }
  return rows;
}

/** Warn about curated entries the data no longer supports; summarise what the name heuristic flags. */
function reportHostingChecks(v4Rows: readonly Row[], v6Rows: readonly Row[]): void {
  const orgByAsn = new Map<number, string>();
  const v4Space = new Map<number, number>();
  for (const row of v4Rows) {
    if (!orgByAsn.has(row.asn)) orgByAsn.set(row.asn, row.org);
    v4Space.set(row.asn, (v4Space.get(row.asn) ?? 0) + Number(row.end - row.start + 1n));
  }
  for (const row of v6Rows) if (!orgByAsn.has(row.asn)) orgByAsn.set(row.asn, row.org);

  for (const entry of HOSTING_ASNS) {
    const org = orgByAsn.get(entry.asn);
    if (org === undefined) console.warn(`geo data: WARNING: curated hosting AS${entry.asn} (${entry.org}) is not in the data`);
    else if (org !== entry.org) console.warn(`geo data: note: AS${entry.asn} is now "${org}" (list says "${entry.org}")`);
  }

  const bySpace = [...v4Space.entries()].sort((x, y) => y[1] - x[1]);
  const flagged = [...orgByAsn.entries()].filter(([, org]) => looksLikeHostingOrg(org));
  const flaggedSpace = flagged.reduce((total, [asn]) => total + (v4Space.get(asn) ?? 0), 0);
  const top = bySpace.findIndex(([asn]) => looksLikeHostingOrg(orgByAsn.get(asn) ?? ''));
  const largest = bySpace[top];
  console.log(
    `geo data: ${HOSTING_ASNS.length} curated hosting ASNs; name heuristic flags ${flagged.length} of ${orgByAsn.size} ASNs ` +
      `(${(flaggedSpace / 1e6).toFixed(1)} M IPv4 addresses), largest AS${largest?.[0]} "${orgByAsn.get(largest?.[0] ?? -1)}" ` +
      `at rank #${top + 1} by IPv4 space`,
  );
}

main().catch((error: unknown) => {
  console.error('geo data: build failed:', error);
  process.exitCode = 1;
});
