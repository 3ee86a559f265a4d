/**
 * Compact IP → autonomous-system range table: the binary format written by
 * `scripts/build-geo-data.ts` (`data/geo/asn.bin`) and its reader.
 *
 * Ranges are stored as sorted range *starts* only; the space between two announced ranges is an
 * explicit "gap" entry, so a lookup is one binary search for the last start ≤ address. IPv4 keys
 * are uint32; IPv6 keys are four uint32 words (most significant first), so the hot path never
 * touches BigInt. Each entry points into a table of distinct ASNs, each ASN into a deduplicated
 * table of organisation names (UTF-8, decoded lazily on first use).
 *
 * Layout (little-endian; every uint32 section starts 4-byte aligned):
 *   "SMSASN01" | u32 headerBytes | header JSON (padded with spaces to 4 bytes)
 *   u32 v4Starts[v4] | u32 v4Values[v4] | u32 v6Starts[4·v6] | u32 v6Values[v6]
 *   u32 asnNumbers[asns] | u32 asnOrg[asns] | u32 orgOffsets[orgs + 1]
 *   u8 asnFlags[asns] | u8 orgBytes[orgBytes]
 * A value of 0xFFFFFFFF marks a gap (no AS announces that space).
 */

const MAGIC = 'SMSASN01';
const GAP = 0xffff_ffff;
const MAX_V4 = 0xffff_ffff;
const MAX_V6 = (1n << 128n) - 1n;

/** Returned by the `find*` methods when no AS announces the address. */
export const NO_ASN = -1;

/** Flag bit set at build time when the organisation name looks like a hosting provider. */
export const ASN_FLAG_HOSTING_NAME = 1;

/** Thrown when bytes are not an ASN table this reader understands. */
export class AsnTableFormatError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AsnTableFormatError';
  }
}

/** One IPv4 range, both ends inclusive, as unsigned 32-bit integers. */
export interface AsnRangeV4 {
  readonly start: number;
  readonly end: number;
  readonly asn: number;
  readonly org: string;
}

/** One IPv6 range, both ends inclusive (build time only, hence BigInt). */
export interface AsnRangeV6 {
  readonly start: bigint;
  readonly end: bigint;
  readonly asn: number;
  readonly org: string;
}

/** Input of {@link encodeAsnTable}. */
export interface AsnTableSource {
  readonly v4: readonly AsnRangeV4[];
  readonly v6: readonly AsnRangeV6[];
  /** Flag bits per ASN (e.g. {@link ASN_FLAG_HOSTING_NAME}). @default - no flags */
  readonly flags?: (asn: number, org: string) => number;
  /** Free-form provenance stored in the header (source package and version, …). @default - none */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** What the encoder did, for build logs and tests. */
export interface AsnTableStats {
  readonly v4Entries: number;
  readonly v6Entries: number;
  readonly asns: number;
  readonly orgs: number;
  readonly orgBytes: number;
  /** Ranges shortened or dropped because an earlier-starting range already covered them. */
  readonly clippedRanges: number;
  readonly bytes: number;
}

/** Header stored as JSON at the start of the file. */
export interface AsnTableHeader {
  readonly format: 1;
  readonly v4: number;
  readonly v6: number;
  readonly asns: number;
  readonly orgs: number;
  readonly orgBytes: number;
  readonly meta: Readonly<Record<string, unknown>>;
}

/** Serialise ranges into the binary table. Overlaps are resolved in favour of the earlier start. */
export function encodeAsnTable(source: AsnTableSource): { bytes: Uint8Array; stats: AsnTableStats } {
  assertLittleEndian();
  // Distinct ASNs in numeric order; the first organisation name seen for an ASN wins.
  const orgByAsn = new Map<number, string>();
  for (const range of [...source.v4, ...source.v6]) {
    if (!Number.isInteger(range.asn) || range.asn < 0 || range.asn > MAX_V4) throw new RangeError(`bad ASN ${range.asn}`);
    if (!orgByAsn.has(range.asn)) orgByAsn.set(range.asn, range.org);
  }
  const asnNumbers = [...orgByAsn.keys()].sort((a, b) => a - b);
  const asnIndex = new Map(asnNumbers.map((asn, index) => [asn, index]));
  const orgIndex = new Map<string, number>();
  const asnOrg = asnNumbers.map((asn) => {
    const org = orgByAsn.get(asn) ?? '';
    let index = orgIndex.get(org);
    if (index === undefined) {
      index = orgIndex.size;
      orgIndex.set(org, index);
    }
    return index;
  });

  let clippedRanges = 0;
  const v4 = buildEntries(
    source.v4.map((r) => ({ start: BigInt(r.start), end: BigInt(r.end), asn: r.asn })),
    BigInt(MAX_V4),
    asnIndex,
    () => clippedRanges++,
  );
  const v6 = buildEntries(source.v6, MAX_V6, asnIndex, () => clippedRanges++);

  const encoder = new TextEncoder();
  const orgChunks = [...orgIndex.keys()].map((org) => encoder.encode(org));
  const orgBytes = orgChunks.reduce((total, chunk) => total + chunk.length, 0);

  const header: AsnTableHeader = {
    format: 1,
    v4: v4.starts.length,
    v6: v6.starts.length,
    asns: asnNumbers.length,
    orgs: orgChunks.length,
    orgBytes,
    meta: source.meta ?? {},
  };
  let headerText = JSON.stringify(header);
  while ((MAGIC.length + 4 + encoder.encode(headerText).length) % 4 !== 0) headerText += ' ';
  const headerBytes = encoder.encode(headerText);

  const u32Count = 2 * header.v4 + 5 * header.v6 + 2 * header.asns + header.orgs + 1;
  const prefix = MAGIC.length + 4 + headerBytes.length;
  const total = prefix + 4 * u32Count + header.asns + orgBytes;
  const bytes = new Uint8Array(total);
  bytes.set(encoder.encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  bytes.set(headerBytes, MAGIC.length + 4);

  const words = new Uint32Array(bytes.buffer, prefix, u32Count);
  let at = 0;
  const put = (value: number): void => {
    words[at++] = value;
  };
  for (const start of v4.starts) put(Number(start));
  for (const value of v4.values) put(value);
  for (const start of v6.starts) {
    put(Number((start >> 96n) & 0xffff_ffffn));
    put(Number((start >> 64n) & 0xffff_ffffn));
    put(Number((start >> 32n) & 0xffff_ffffn));
    put(Number(start & 0xffff_ffffn));
  }
  for (const value of v6.values) put(value);
  for (const asn of asnNumbers) put(asn);
  for (const org of asnOrg) put(org);
  let offset = 0;
  put(0);
  for (const chunk of orgChunks) put((offset += chunk.length));

  let byteAt = prefix + 4 * u32Count;
  for (const asn of asnNumbers) bytes[byteAt++] = (source.flags?.(asn, orgByAsn.get(asn) ?? '') ?? 0) & 0xff;
  for (const chunk of orgChunks) {
    bytes.set(chunk, byteAt);
    byteAt += chunk.length;
  }

  return {
    bytes,
    stats: {
      v4Entries: header.v4,
      v6Entries: header.v6,
      asns: header.asns,
      orgs: header.orgs,
      orgBytes,
      clippedRanges,
      bytes: total,
    },
  };
}

interface Entries {
  readonly starts: bigint[];
  readonly values: number[];
}

/** Sorted starts with explicit gap entries; adjacent ranges of one ASN are merged. */
function buildEntries(
  ranges: readonly { start: bigint; end: bigint; asn: number }[],
  max: bigint,
  asnIndex: ReadonlyMap<number, number>,
  onClip: () => void,
): Entries {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const starts: bigint[] = [];
  const values: number[] = [];
  let next = 0n; // lowest address not covered yet
  for (const range of sorted) {
    if (range.start < 0n || range.end > max || range.end < range.start) {
      throw new RangeError(`bad range ${range.start}-${range.end} (AS${range.asn})`);
    }
    let start = range.start;
    if (starts.length > 0 && start < next) {
      onClip();
      if (range.end < next) continue;
      start = next;
    }
    const value = asnIndex.get(range.asn) ?? GAP;
    if (starts.length > 0 && start > next) {
      starts.push(next);
      values.push(GAP);
    }
    if (!(starts.length > 0 && start === next && values[values.length - 1] === value)) {
      starts.push(start);
      values.push(value);
    }
    next = range.end + 1n;
  }
  if (starts.length > 0 && next <= max) {
    starts.push(next);
    values.push(GAP);
  }
  return { starts, values };
}

/** Read-only view over an encoded table. Lookups are a binary search over typed arrays. */
export class AsnTable {
  /** Parsed header (counts and build provenance). */
  readonly header: AsnTableHeader;
  private readonly v4Starts: Uint32Array;
  private readonly v4Values: Uint32Array;
  private readonly v6Starts: Uint32Array;
  private readonly v6Values: Uint32Array;
  private readonly asnNumbers: Uint32Array;
  private readonly asnOrg: Uint32Array;
  private readonly orgOffsets: Uint32Array;
  private readonly asnFlags: Uint8Array;
  private readonly orgBytes: Uint8Array;
  private readonly orgNames: (string | undefined)[];
  private readonly decoder = new TextDecoder();

  private constructor(bytes: Uint8Array) {
    assertLittleEndian();
    const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
    if (bytes.length < MAGIC.length + 4 || magic !== MAGIC) {
      throw new AsnTableFormatError(`not an ASN table (expected magic ${MAGIC})`);
    }
    // Typed-array views need 4-byte alignment; Buffers from small reads can sit at any offset.
    const data = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    const headerLength = new DataView(data.buffer, data.byteOffset, data.length).getUint32(MAGIC.length, true);
    let header: AsnTableHeader;
    try {
      header = JSON.parse(new TextDecoder().decode(data.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength)));
    } catch (error) {
      throw new AsnTableFormatError('unreadable ASN table header', { cause: error });
    }
    if (header.format !== 1) throw new AsnTableFormatError(`unsupported ASN table format ${String(header.format)}`);
    this.header = header;

    let offset = data.byteOffset + MAGIC.length + 4 + headerLength;
    const expected = offset - data.byteOffset + 4 * (2 * header.v4 + 5 * header.v6 + 2 * header.asns + header.orgs + 1) + header.asns + header.orgBytes;
    if (expected !== data.length) {
      throw new AsnTableFormatError(`ASN table is ${data.length} bytes, header describes ${expected}`);
    }
    const u32 = (count: number): Uint32Array => {
      const view = new Uint32Array(data.buffer, offset, count);
      offset += 4 * count;
      return view;
    };
    const u8 = (count: number): Uint8Array => {
      const view = new Uint8Array(data.buffer, offset, count);
      offset += count;
      return view;
    };
    this.v4Starts = u32(header.v4);
    this.v4Values = u32(header.v4);
    this.v6Starts = u32(4 * header.v6);
    this.v6Values = u32(header.v6);
    this.asnNumbers = u32(header.asns);
    this.asnOrg = u32(header.asns);
    this.orgOffsets = u32(header.orgs + 1);
    this.asnFlags = u8(header.asns);
    this.orgBytes = u8(header.orgBytes);
    this.orgNames = new Array<string | undefined>(header.orgs);
  }

  /** Wrap encoded bytes (no copy unless they are misaligned). */
  static decode(bytes: Uint8Array): AsnTable {
    return new AsnTable(bytes);
  }

  /** Number of distinct ASNs. */
  get asnCount(): number {
    return this.asnNumbers.length;
  }

  /** Index of the AS announcing an IPv4 address (unsigned 32-bit), or {@link NO_ASN}. */
  findV4(address: number): number {
    const starts = this.v4Starts;
    let lo = 0;
    let hi = starts.length - 1;
    if (hi < 0 || address < starts[0]!) return NO_ASN;
    // Invariant: starts[lo] <= address; find the last such entry.
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= address) lo = mid;
      else hi = mid - 1;
    }
    const value = this.v4Values[lo]!;
    return value === GAP ? NO_ASN : value;
  }

  /** Index of the AS announcing an IPv6 address given as four uint32 words (most significant first). */
  findV6(w0: number, w1: number, w2: number, w3: number): number {
    const s = this.v6Starts;
    let lo = 0;
    let hi = this.v6Values.length - 1;
    if (hi < 0 || !startAtOrBelow(s, 0, w0, w1, w2, w3)) return NO_ASN;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (startAtOrBelow(s, mid << 2, w0, w1, w2, w3)) lo = mid;
      else hi = mid - 1;
    }
    const value = this.v6Values[lo]!;
    return value === GAP ? NO_ASN : value;
  }

  /** Index of an AS number in the table, or {@link NO_ASN} when no range belongs to it. */
  indexOfAsn(asn: number): number {
    const numbers = this.asnNumbers;
    let lo = 0;
    let hi = numbers.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = numbers[mid]!;
      if (value === asn) return mid;
      if (value < asn) lo = mid + 1;
      else hi = mid - 1;
    }
    return NO_ASN;
  }

  /** AS number at an index returned by `find*`. */
  asnAt(index: number): number {
    return this.asnNumbers[index]!;
  }

  /** Organisation name of the AS at an index returned by `find*` (decoded once, then cached). */
  orgAt(index: number): string {
    const org = this.asnOrg[index]!;
    const cached = this.orgNames[org];
    if (cached !== undefined) return cached;
    const name = this.decoder.decode(this.orgBytes.subarray(this.orgOffsets[org]!, this.orgOffsets[org + 1]!));
    this.orgNames[org] = name;
    return name;
  }

  /** Build-time flag bits of the AS at an index returned by `find*`. */
  flagsAt(index: number): number {
    return this.asnFlags[index]!;
  }
}

/** starts[at..at+3] ≤ (w0, w1, w2, w3), comparing words most significant first. */
function startAtOrBelow(s: Uint32Array, at: number, w0: number, w1: number, w2: number, w3: number): boolean {
  const a0 = s[at]!;
  if (a0 !== w0) return a0 < w0;
  const a1 = s[at + 1]!;
  if (a1 !== w1) return a1 < w1;
  const a2 = s[at + 2]!;
  if (a2 !== w2) return a2 < w2;
  return s[at + 3]! <= w3;
}

function assertLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new AsnTableFormatError('ASN tables are little-endian; this platform is big-endian');
  }
}
