import { describe, expect, it } from 'vitest';
import {
  ASN_FLAG_HOSTING_NAME,
  AsnTable,
  AsnTableFormatError,
  type AsnRangeV4,
  type AsnRangeV6,
  encodeAsnTable,
  NO_ASN,
} from '../../lambdas/adapters/geo/asn-table';
import { parseIpInto } from '../../lambdas/engine/ip-parse';

const v4 = (text: string): number => {
  const words = new Uint32Array(4);
  if (parseIpInto(text, words) !== 4) throw new Error(`not IPv4: ${text}`);
  return words[0]!;
};
const v6big = (text: string): bigint => {
  const words = new Uint32Array(4);
  if (parseIpInto(text, words) !== 6) throw new Error(`not IPv6: ${text}`);
  return words.reduce((acc, word) => (acc << 32n) | BigInt(word), 0n);
};

const V4: AsnRangeV4[] = [
  { start: v4('10.0.0.0'), end: v4('10.0.0.255'), asn: 100, org: 'Alpha Hosting' },
  { start: v4('10.0.1.0'), end: v4('10.0.1.255'), asn: 100, org: 'Alpha Hosting' }, // adjacent, same AS: merged
  { start: v4('10.0.3.0'), end: v4('10.0.3.255'), asn: 200, org: 'Beta Broadband' },
  { start: v4('10.0.3.128'), end: v4('10.0.4.255'), asn: 300, org: 'Gamma "Quoted" Net' }, // overlaps: clipped
  { start: v4('10.0.5.0'), end: v4('10.0.5.255'), asn: 400, org: 'Beta Broadband' }, // shares an org name
  { start: v4('255.255.255.0'), end: v4('255.255.255.255'), asn: 4_200_000_000, org: 'Δelta Ünicode' },
];
const V6: AsnRangeV6[] = [
  { start: v6big('2001:db8::'), end: v6big('2001:db8:0:ffff:ffff:ffff:ffff:ffff'), asn: 500, org: 'Epsilon' },
  { start: v6big('2001:db8:1::10'), end: v6big('2001:db8:1::1f'), asn: 600, org: 'Zeta' },
  { start: v6big('2001:db8:1:0:1::'), end: v6big('2001:db8:1:0:1:ffff:ffff:ffff'), asn: 100, org: 'Alpha Hosting' },
  { start: v6big('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00'), end: (1n << 128n) - 1n, asn: 700, org: 'Eta' },
];

const { bytes, stats } = encodeAsnTable({
  v4: V4,
  v6: V6,
  flags: (_asn, org) => (org.includes('Hosting') ? ASN_FLAG_HOSTING_NAME : 0),
  meta: { source: 'test' },
});
const table = AsnTable.decode(bytes);

const asnOfV4 = (text: string): number | undefined => {
  const index = table.findV4(v4(text));
  return index === NO_ASN ? undefined : table.asnAt(index);
};
const asnOfV6 = (text: string): number | undefined => {
  const words = new Uint32Array(4);
  if (parseIpInto(text, words) !== 6) throw new Error(`not IPv6: ${text}`);
  const index = table.findV6(words[0]!, words[1]!, words[2]!, words[3]!);
  return index === NO_ASN ? undefined : table.asnAt(index);
};

describe('AsnTable (IPv4)', () => {
  it('finds nothing before the first range', () => {
    expect(asnOfV4('0.0.0.0')).toBeUndefined();
    expect(asnOfV4('9.255.255.255')).toBeUndefined();
  });

  it('includes the first and last address of a range', () => {
    expect(asnOfV4('10.0.0.0')).toBe(100);
    expect(asnOfV4('10.0.0.255')).toBe(100);
    expect(asnOfV4('10.0.5.0')).toBe(400);
    expect(asnOfV4('10.0.5.255')).toBe(400);
  });

  it('merges adjacent ranges of one AS', () => {
    expect(asnOfV4('10.0.1.0')).toBe(100);
    expect(asnOfV4('10.0.1.255')).toBe(100);
    // 10.0.0.0, gap at 10.0.2.0, 10.0.3.0, 10.0.4.0 (clipped start), 10.0.5.0, gap at 10.0.6.0, 255.255.255.0
    expect(stats.v4Entries).toBe(7);
  });

  it('finds nothing in gaps between ranges', () => {
    expect(asnOfV4('10.0.2.0')).toBeUndefined();
    expect(asnOfV4('10.0.2.255')).toBeUndefined();
    expect(asnOfV4('10.0.6.0')).toBeUndefined();
    expect(asnOfV4('255.255.254.255')).toBeUndefined();
  });

  it('resolves overlaps in favour of the earlier range', () => {
    expect(stats.clippedRanges).toBe(1);
    expect(asnOfV4('10.0.3.200')).toBe(200);
    expect(asnOfV4('10.0.3.255')).toBe(200);
    expect(asnOfV4('10.0.4.0')).toBe(300);
    expect(asnOfV4('10.0.4.255')).toBe(300);
  });

  it('reaches the last address of the space', () => {
    expect(asnOfV4('255.255.255.0')).toBe(4_200_000_000);
    expect(asnOfV4('255.255.255.255')).toBe(4_200_000_000);
  });

  it('handles a range that starts at address 0', () => {
    const zero = AsnTable.decode(encodeAsnTable({ v4: [{ start: 0, end: 255, asn: 1, org: 'Zero' }], v6: [] }).bytes);
    expect(zero.asnAt(zero.findV4(0))).toBe(1);
    expect(zero.asnAt(zero.findV4(255))).toBe(1);
    expect(zero.findV4(256)).toBe(NO_ASN);
  });
});

describe('AsnTable (IPv6)', () => {
  it('finds nothing before the first range or in gaps', () => {
    expect(asnOfV6('::')).toBeUndefined();
    expect(asnOfV6('2001:db7:ffff:ffff:ffff:ffff:ffff:ffff')).toBeUndefined();
    expect(asnOfV6('2001:db8:1::')).toBeUndefined();
    expect(asnOfV6('2001:db8:1::f')).toBeUndefined();
    expect(asnOfV6('2001:db8:1::20')).toBeUndefined();
    expect(asnOfV6('2001:db8:1::ffff:ffff:ffff')).toBeUndefined();
    expect(asnOfV6('2001:db8:1:0:2::')).toBeUndefined();
    expect(asnOfV6('ffff:ffff:ffff:ffff:ffff:ffff:ffff:feff')).toBeUndefined();
  });

  it('includes first and last addresses, including ranges that differ only in the low words', () => {
    expect(asnOfV6('2001:db8::')).toBe(500);
    expect(asnOfV6('2001:db8:0:ffff:ffff:ffff:ffff:ffff')).toBe(500);
    expect(asnOfV6('2001:db8:1::10')).toBe(600);
    expect(asnOfV6('2001:db8:1::1f')).toBe(600);
    expect(asnOfV6('2001:db8:1:0:1::')).toBe(100);
    expect(asnOfV6('2001:db8:1:0:1:ffff:ffff:ffff')).toBe(100);
  });

  it('reaches the last address of the space', () => {
    expect(asnOfV6('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00')).toBe(700);
    expect(asnOfV6('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(700);
  });
});

describe('AsnTable metadata', () => {
  it('deduplicates organisation names and decodes UTF-8 and quotes', () => {
    expect(stats.asns).toBe(8);
    expect(stats.orgs).toBe(7);
    expect(table.orgAt(table.findV4(v4('10.0.3.1')))).toBe('Beta Broadband');
    expect(table.orgAt(table.findV4(v4('10.0.5.1')))).toBe('Beta Broadband');
    expect(table.orgAt(table.findV4(v4('10.0.4.1')))).toBe('Gamma "Quoted" Net');
    expect(table.orgAt(table.findV4(v4('255.255.255.255')))).toBe('Δelta Ünicode');
  });

  it('shares one ASN entry between IPv4 and IPv6 and keeps its flags', () => {
    const index = table.indexOfAsn(100);
    expect(table.findV4(v4('10.0.0.1'))).toBe(index);
    expect(table.flagsAt(index) & ASN_FLAG_HOSTING_NAME).toBe(ASN_FLAG_HOSTING_NAME);
    expect(table.flagsAt(table.indexOfAsn(200))).toBe(0);
    expect(table.indexOfAsn(12345)).toBe(NO_ASN);
  });

  it('round-trips the header', () => {
    expect(table.header).toMatchObject({ format: 1, v4: 7, asns: 8, meta: { source: 'test' } });
    expect(table.asnCount).toBe(8);
  });

  it('reads a table from a misaligned buffer', () => {
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const copy = AsnTable.decode(shifted.subarray(1));
    expect(copy.asnAt(copy.findV4(v4('10.0.4.0')))).toBe(300);
  });

  it('answers nothing from an empty table', () => {
    const empty = AsnTable.decode(encodeAsnTable({ v4: [], v6: [] }).bytes);
    expect(empty.findV4(v4('1.2.3.4'))).toBe(NO_ASN);
    expect(empty.findV6(0x2001_0db8, 0, 0, 1)).toBe(NO_ASN);
    expect(empty.indexOfAsn(1)).toBe(NO_ASN);
  });

  it('rejects bytes that are not a table', () => {
    expect(() => AsnTable.decode(new TextEncoder().encode('definitely not a table'))).toThrow(AsnTableFormatError);
    expect(() => AsnTable.decode(bytes.subarray(0, bytes.length - 3))).toThrow(AsnTableFormatError);
  });

  it('rejects invalid ranges at build time', () => {
    expect(() => encodeAsnTable({ v4: [{ start: 10, end: 5, asn: 1, org: 'x' }], v6: [] })).toThrow(RangeError);
    expect(() => encodeAsnTable({ v4: [{ start: 0, end: 2 ** 32, asn: 1, org: 'x' }], v6: [] })).toThrow(RangeError);
  });
});
