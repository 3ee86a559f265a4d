import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { AsnTable, NO_ASN } from '../../lambdas/adapters/geo/asn-table';
import {
  GEO_DATA_FILES,
  GEO_DIR_ENV,
  GEO_LAYER_FILES,
  GeoDataMissingError,
  type LocalGeoLookup,
  loadGeoLookup,
  resolveGeoDataFiles,
} from '../../lambdas/adapters/geo/geo-lookup';
import { HOSTING_ASNS } from '../../lambdas/adapters/geo/hosting-asns';
import { StaticGeoLookup } from '../../lambdas/adapters/geo/static-geo-lookup';
import { parseIp } from '../../lambdas/engine/ip';
import { MAX_LOOKUP_TEXT, parseIpFolded } from '../../lambdas/engine/ip-ranges';

// Real lookups against the shipped data (pinned by package-lock.json; data/geo/asn.bin is built
// by the postinstall script). Addresses were picked from the data; see data/geo/README.md.

let geo: LocalGeoLookup;
let table: AsnTable;

beforeAll(async () => {
  geo = await loadGeoLookup();
  table = AsnTable.decode(readFileSync(resolveGeoDataFiles(undefined).asn));
});

describe('LocalGeoLookup: public IPv4', () => {
  it('knows AWS EC2 addresses as hosting, with the Amazon ASN and the region country', () => {
    expect(geo.lookup('54.160.1.1')).toEqual({ kind: 'public', country: 'US', asn: 16509, asOrg: 'Amazon.com, Inc.', hosting: true });
    expect(geo.lookup('18.130.1.1')).toMatchObject({ country: 'GB', asn: 16509, hosting: true }); // eu-west-2
    expect(geo.lookup('3.80.1.1')).toMatchObject({ country: 'US', asn: 14618, hosting: true }); // us-east-1
  });

  it('knows other clouds and VPS providers as hosting', () => {
    expect(geo.lookup('34.120.1.1')).toMatchObject({ asn: 396982, hosting: true }); // Google Cloud
    expect(geo.lookup('139.59.1.1')).toMatchObject({ asn: 14061, hosting: true }); // DigitalOcean
    expect(geo.lookup('95.216.1.1')).toMatchObject({ country: 'FI', asn: 24940, hosting: true }); // Hetzner
    expect(geo.lookup('5.135.1.1')).toMatchObject({ country: 'FR', asn: 16276, hosting: true }); // OVH
  });

  it('knows consumer ISPs and mobile carriers as not hosting, with their country', () => {
    expect(geo.lookup('86.150.1.1')).toEqual({
      kind: 'public',
      country: 'GB',
      asn: 2856,
      asOrg: 'British Telecommunications PLC',
      hosting: false,
    });
    expect(geo.lookup('79.200.1.1')).toMatchObject({ country: 'DE', asn: 3320, asOrg: 'Deutsche Telekom AG', hosting: false });
    expect(geo.lookup('172.56.1.1')).toMatchObject({ country: 'US', asn: 21928, asOrg: 'T-Mobile USA, Inc.', hosting: false });
    expect(geo.lookup('176.24.1.1')).toMatchObject({ country: 'GB', asn: 5607, hosting: false }); // Sky UK
  });

  it('answers the MaxMind test address 81.2.69.142 with GB', () => {
    expect(geo.lookup('81.2.69.142')).toMatchObject({ kind: 'public', country: 'GB', asn: 20712, hosting: false });
  });

  it('flags hosting companies outside the curated list by organisation name, unless disabled', async () => {
    expect(geo.lookup('46.22.32.1')).toMatchObject({ asn: 61157, asOrg: 'PlusServer GmbH', hosting: true });
    const withoutHeuristic = await loadGeoLookup({ orgNameHeuristic: false });
    expect(withoutHeuristic.lookup('46.22.32.1')).toMatchObject({ asn: 61157, hosting: false });
    expect(withoutHeuristic.lookup('54.160.1.1')).toMatchObject({ asn: 16509, hosting: true });
  });
});

describe('LocalGeoLookup: public IPv6', () => {
  it('knows Google and AWS IPv6 ranges as hosting', () => {
    expect(geo.lookup('2001:4860:4860::8888')).toEqual({ kind: 'public', country: 'US', asn: 15169, asOrg: 'Google LLC', hosting: true });
    expect(geo.lookup('2a05:d018::1')).toMatchObject({ country: 'IE', asn: 16509, hosting: true }); // AWS eu-west-1
    expect(geo.lookup('2600:1f14::1')).toMatchObject({ country: 'US', asn: 16509, hosting: true });
  });

  it('knows consumer and mobile IPv6 ranges as not hosting', () => {
    expect(geo.lookup('2003:e0::1')).toMatchObject({ country: 'DE', asn: 3320, hosting: false }); // Deutsche Telekom
    expect(geo.lookup('2607:fb90::1')).toMatchObject({ country: 'US', asn: 21928, hosting: false }); // T-Mobile US
    expect(geo.lookup('2A02:8109::1')).toMatchObject({ country: 'DE', asn: 31334, hosting: false }); // Vodafone DE, upper case
  });

  it('uses the IPv6 country database for IPv6 (never the IPv4 one)', () => {
    // 2a05:d018:: starts with the same 32 bits as 42.5.208.24, a Chinese IPv4 address.
    expect(geo.lookup('42.5.208.24')).toMatchObject({ country: 'CN' });
    expect(geo.lookup('2a05:d018::1')).toMatchObject({ country: 'IE' });
  });

  it('ignores a zone id', () => {
    expect(geo.lookup('2001:4860:4860::8888%eth0')).toEqual(geo.lookup('2001:4860:4860::8888'));
  });
});

describe('LocalGeoLookup: special addresses', () => {
  it.each([
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1', // carrier-grade NAT
    '100.127.255.255',
    '127.0.0.1',
    '169.254.169.254',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
  ])('%s is private', (ip) => {
    expect(geo.lookup(ip)).toEqual({ kind: 'private', hosting: false });
  });

  it.each([
    '0.0.0.0',
    '0.1.2.3',
    '192.0.2.1',
    '198.51.100.1',
    '203.0.113.1',
    '198.18.0.1',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    '::',
    '2001:db8::1',
    '3fff::1',
    'ff02::1',
    '100::1',
    '64:ff9b::192.0.2.1', // NAT64 of a documentation address
  ])('%s is reserved', (ip) => {
    expect(geo.lookup(ip)).toEqual({ kind: 'reserved', hosting: false });
  });

  it('keeps the edges of special ranges public', () => {
    expect(geo.lookup('100.128.0.1').kind).toBe('public');
    expect(geo.lookup('172.32.0.1').kind).toBe('public');
    expect(geo.lookup('9.255.255.255').kind).toBe('public');
    expect(geo.lookup('11.0.0.1').kind).toBe('public');
  });

  it('treats IPv4-mapped IPv6 as the IPv4 address', () => {
    const plain = geo.lookup('81.2.69.142');
    expect(geo.lookup('::ffff:81.2.69.142')).toEqual(plain);
    expect(geo.lookup('::FFFF:5102:458e')).toEqual(plain);
    expect(geo.lookup('0:0:0:0:0:ffff:81.2.69.142')).toEqual(plain);
    expect(geo.lookup('::ffff:10.0.0.1')).toEqual({ kind: 'private', hosting: false });
    expect(geo.lookup('::ffff:203.0.113.5')).toEqual({ kind: 'reserved', hosting: false });
  });

  it('looks up NAT64, IPv4-compatible, 6to4 and Teredo addresses as the IPv4 address they carry', () => {
    const plain = geo.lookup('81.2.69.142'); // 0x5102458e
    expect(plain).toMatchObject({ kind: 'public', country: 'GB' });
    for (const ip of [
      '64:ff9b::81.2.69.142',
      '64:ff9b::5102:458e',
      '::81.2.69.142',
      '::5102:458e',
      '2002:5102:458e::1',
      '2002:5102:458e:ffff:1:2:3:4%eth0',
      '2001:0:4136:e378:8000:63bf:aefd:ba71', // client IPv4 = last 32 bits inverted
      '2001::aefd:ba71',
    ]) {
      expect(geo.lookup(ip), ip).toEqual(plain);
    }
    expect(geo.lookup('64:ff9b::10.0.0.1')).toEqual({ kind: 'private', hosting: false });
    expect(geo.lookup('2002:c0a8:101::1')).toEqual({ kind: 'private', hosting: false }); // 192.168.1.1
    expect(geo.lookup('2001::3fff:fdd2')).toEqual({ kind: 'reserved', hosting: false }); // 192.0.2.45, RFC 4380's example
    // Not embedded: :: and ::1, and the local-use NAT64 prefix (RFC 8215) stays private IPv6.
    expect(geo.lookup('::')).toEqual({ kind: 'reserved', hosting: false });
    expect(geo.lookup('::1')).toEqual({ kind: 'private', hosting: false });
    expect(geo.lookup('64:ff9b:1::81.2.69.142')).toEqual({ kind: 'private', hosting: false });
  });

  it('still flags a datacenter IPv4 address hidden in NAT64, 6to4 or Teredo as hosting', () => {
    const aws = geo.lookup('54.160.1.1'); // 0x36a00101, AWS EC2
    expect(aws).toMatchObject({ asn: 16509, hosting: true });
    for (const ip of ['64:ff9b::54.160.1.1', '64:ff9b::36a0:101', '2002:36a0:101::1', '2001:0:4136:e378:8000:63bf:c95f:fefe', '::54.160.1.1']) {
      expect(geo.lookup(ip), ip).toEqual(aws);
    }
  });

  it('property: the geo parser folds every IPv4 address in each embedded form to itself, like parseIp', () => {
    const words = new Uint32Array(4);
    const hex = (v: number) => `${(v >>> 16).toString(16)}:${(v & 0xffff).toString(16)}`;
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 0xffff_ffff }), fc.integer({ min: 0, max: 0xffff }), (v, r) => {
        const dotted = `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
        for (const form of [
          dotted,
          `::ffff:${dotted}`,
          `64:ff9b::${dotted}`,
          `64:ff9b::${hex(v)}`,
          `::${dotted}`,
          `2002:${hex(v)}:${r.toString(16)}::${r.toString(16)}`,
          `2001:0:${r.toString(16)}::${hex(~v >>> 0)}`,
        ]) {
          expect(parseIpFolded(form, words), form).toBe(4);
          expect(words[0], form).toBe(v);
          expect(parseIp(form)?.address, form).toBe(dotted);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    '',
    'garbage',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2.3.4/24',
    '[::1]',
    ':::1',
    '2001:db8::1::1',
    '12345::',
    'fe80::1%',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:1.2.3.4',
    '::ffff:1.2.3.256',
    'fe80::1%eth 0',
    '1.2.3.4%eth0',
  ])('malformed %j is reserved', (ip) => {
    expect(geo.lookup(ip)).toEqual({ kind: 'reserved', hosting: false });
  });

  it('never throws on overlong input or values that are not strings', () => {
    for (const value of ['1'.repeat(10_000), `::${'1:'.repeat(5_000)}1`, undefined, null, 42, {}, ['1.2.3.4']]) {
      expect(geo.lookup(value as unknown as string)).toEqual({ kind: 'reserved', hosting: false });
    }
  });

  it('answers reserved for text over MAX_LOOKUP_TEXT characters unparsed, even an address with a long zone id', () => {
    const longZone = `fe80::1%${'a'.repeat(MAX_LOOKUP_TEXT)}`;
    expect(isIP(longZone)).toBe(6);
    for (const lookup of [geo, new StaticGeoLookup()]) {
      expect(lookup.lookup(longZone)).toEqual({ kind: 'reserved', hosting: false });
      expect(lookup.lookup(longZone.slice(0, MAX_LOOKUP_TEXT))).toEqual({ kind: 'private', hosting: false });
    }
  });
});

describe('ASN data', () => {
  const sourceDir = dirname(createRequire(import.meta.url).resolve('@ip-location-db/asn/package.json'));

  /** Reads every CSV row and checks the first and last address of 3 000 of them (deterministic sample). */
  function agreesWithCsv(file: string, find: (address: bigint) => number): void {
    const lines = readFileSync(join(sourceDir, file), 'utf8').split('\n').filter(Boolean);
    let checked = 0;
    let previousEnd = -1n;
    const step = Math.max(1, Math.floor(lines.length / 3000));
    for (let i = 0; i < lines.length; i++) {
      const [start = '', end = '', asn = ''] = lines[i]?.split(',') ?? [];
      const overlapsPrevious = BigInt(start) <= previousEnd;
      previousEnd = BigInt(end);
      if (i % step !== 0 || overlapsPrevious) continue;
      for (const address of [BigInt(start), BigInt(end)]) {
        const index = find(address);
        expect(index === NO_ASN ? undefined : table.asnAt(index), `${file} line ${i + 1}`).toBe(Number(asn));
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(2900);
  }

  it('agrees with the IPv4 CSV at range boundaries', () => {
    agreesWithCsv('asn-ipv4-num.csv', (address) => table.findV4(Number(address)));
  });

  it('agrees with the IPv6 CSV at range boundaries', () => {
    const word = (address: bigint, shift: bigint): number => Number((address >> shift) & 0xffff_ffffn);
    agreesWithCsv('asn-ipv6-num.csv', (a) => table.findV6(word(a, 96n), word(a, 64n), word(a, 32n), word(a, 0n)));
  });

  it('contains every curated hosting ASN under the organisation name the list records', () => {
    for (const entry of HOSTING_ASNS) {
      const index = table.indexOfAsn(entry.asn);
      expect(index, `AS${entry.asn} missing from the data`).not.toBe(NO_ASN);
      expect(table.orgAt(index), `AS${entry.asn}`).toBe(entry.org);
      expect(geo.isHostingAsn(entry.asn)).toBe(true);
    }
    expect(new Set(HOSTING_ASNS.map((entry) => entry.asn)).size).toBe(HOSTING_ASNS.length);
  });

  it('does not count large access networks as hosting', () => {
    // Comcast, AT&T, Verizon, Charter, T-Mobile US, BT, Sky, Virgin Media, Deutsche Telekom, Vodafone DE,
    // Orange, Telefónica ES, Telecom Italia, KPN, China Telecom, China Mobile, Airtel, Jio, Telkomsel, Google Fiber, 1&1 Versatel.
    for (const asn of [7922, 7018, 701, 20115, 21928, 2856, 5607, 5089, 3320, 31334, 3215, 3352, 3269, 1136, 4134, 9808, 45609, 55836, 23693, 16591, 8881]) {
      expect(geo.isHostingAsn(asn), `AS${asn}`).toBe(false);
    }
  });
});

describe('loadGeoLookup', () => {
  it('reads every file from one directory when given one', async () => {
    const files = resolveGeoDataFiles('/opt/geo');
    expect(Object.values(files).sort()).toEqual(GEO_LAYER_FILES.map((file) => `/opt/geo/${file}`).sort());
    expect(GEO_LAYER_FILES).toEqual([GEO_DATA_FILES.countryV4, GEO_DATA_FILES.countryV6, GEO_DATA_FILES.asn]);
    expect(GEO_DIR_ENV).toBe('SMS_SHIELD_GEO_DIR');
    await expect(loadGeoLookup({ dataDir: '/nonexistent/geo' })).rejects.toThrow(GeoDataMissingError);
  });

  it('looks up fast enough for the engine budget', () => {
    const ips = Array.from({ length: 20_000 }, (_, i) => `${((i * 7919) % 223) + 1}.${i % 256}.${(i * 31) % 256}.${(i * 17) % 256}`);
    for (const ip of ips) geo.lookup(ip); // warm up
    const started = performance.now();
    for (const ip of ips) geo.lookup(ip);
    const microseconds = ((performance.now() - started) * 1000) / ips.length;
    expect(microseconds).toBeLessThan(20); // ≈ 1–2 µs measured; generous for slow CI machines
  });
});

describe('StaticGeoLookup', () => {
  const fake = new StaticGeoLookup({
    '203.0.113.0/24': { country: 'GB', asn: 2856, asOrg: 'BT' },
    '203.0.113.7': { country: 'US', asn: 16509, hosting: true },
    '2001:db8::/32': { country: 'DE', asn: 3320 },
    '198.51.100.0/24': { kind: 'private' },
  });

  it('answers the most specific configured block, even inside documentation ranges', () => {
    expect(fake.lookup('203.0.113.5')).toEqual({ kind: 'public', country: 'GB', asn: 2856, asOrg: 'BT', hosting: false });
    expect(fake.lookup('203.0.113.7')).toEqual({ kind: 'public', country: 'US', asn: 16509, hosting: true });
    expect(fake.lookup('::ffff:203.0.113.7')).toEqual({ kind: 'public', country: 'US', asn: 16509, hosting: true });
    expect(fake.lookup('2001:db8:1::1')).toEqual({ kind: 'public', country: 'DE', asn: 3320, hosting: false });
    expect(fake.lookup('198.51.100.1')).toEqual({ kind: 'private', hosting: false });
  });

  it('answers embedded IPv4 forms (NAT64, ::a.b.c.d, 6to4, Teredo) as the IPv4 address', () => {
    const hosting = { kind: 'public', country: 'US', asn: 16509, hosting: true };
    // 203.0.113.7 = 0xcb007107; Teredo carries it inverted: 0x34ff8ef8.
    for (const ip of ['64:ff9b::203.0.113.7', '64:ff9b::cb00:7107', '::203.0.113.7', '2002:cb00:7107::1', '2001:0:4136:e378:8000:63bf:34ff:8ef8']) {
      expect(fake.lookup(ip), ip).toEqual(hosting);
    }
    expect(fake.lookup('64:ff9b::10.0.0.1')).toEqual({ kind: 'private', hosting: false });
    expect(fake.lookup('::')).toEqual({ kind: 'reserved', hosting: false });
    expect(fake.lookup('::1')).toEqual({ kind: 'private', hosting: false });
  });

  it('classifies everything else like the real lookup', () => {
    expect(fake.lookup('8.8.8.8')).toEqual({ kind: 'public', hosting: false });
    expect(fake.lookup('10.0.0.1')).toEqual({ kind: 'private', hosting: false });
    expect(fake.lookup('192.0.2.1')).toEqual({ kind: 'reserved', hosting: false });
    expect(fake.lookup('not an ip')).toEqual({ kind: 'reserved', hosting: false });
  });

  it('accepts entries as pairs and rejects bad keys', () => {
    expect(new StaticGeoLookup([['1.2.3.0/24', { country: 'AU' }]]).lookup('1.2.3.4')).toMatchObject({ country: 'AU' });
    expect(() => new StaticGeoLookup({ '1.2.3.0/33': {} })).toThrow(/prefix/);
    expect(() => new StaticGeoLookup({ 'nope/8': {} })).toThrow(/Not an IP/);
  });
});
