import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embeddedIpv4Range, parseIp } from '../../lambdas/engine/ip';
import { attempt, memoryEngine, policy } from '../support/engine';

const dotted = (v: number) => `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
const hex16 = (v: number) => (v & 0xffff).toString(16);
/** The two 16-bit groups of a 32-bit value, as IPv6 text (`102:304`). */
const hexPair = (v: number) => `${hex16(v >>> 16)}:${hex16(v)}`;
const v4 = (v: number) => ({ address: dotted(v), family: 4, subnet: `${dotted(v).replace(/\.\d+$/, '')}.0/24` });

const uint32 = fc.integer({ min: 0, max: 0xffff_ffff });
const group = fc.integer({ min: 0, max: 0xffff });

describe('parseIp', () => {
  it('keeps IPv4 and ordinary IPv6 as they are (canonical text, /24 and /64 subnets)', () => {
    expect(parseIp('81.2.69.142')).toEqual({ address: '81.2.69.142', family: 4, subnet: '81.2.69.0/24' });
    expect(parseIp(' 2A02:8109:0:0:0:0:0:1 ')).toEqual({ address: '2a02:8109::1', family: 6, subnet: '2a02:8109::/64' });
    expect(parseIp('fe80::1%eth0')).toEqual({ address: 'fe80::1', family: 6, subnet: 'fe80::/64' });
    expect(parseIp('not an address')).toBeUndefined();
    expect(parseIp('01.2.3.4')).toBeUndefined();
  });

  it('maps IPv4-mapped IPv6 (::ffff:a.b.c.d) to IPv4', () => {
    expect(parseIp('::ffff:81.2.69.142')).toEqual(v4(0x5102458e));
    expect(parseIp('::FFFF:5102:458E')).toEqual(v4(0x5102458e));
  });

  it('maps NAT64 well-known-prefix addresses (64:ff9b::/96, RFC 6052) to the IPv4 address they carry', () => {
    expect(parseIp('64:ff9b::1.2.3.4')).toEqual(v4(0x01020304));
    expect(parseIp('64:ff9b::102:304')).toEqual(v4(0x01020304));
    expect(parseIp('0064:FF9B:0000:0000:0000:0000:0102:0304')).toEqual(v4(0x01020304));
    // The local-use prefix 64:ff9b:1::/48 (RFC 8215) belongs to one operator's network: left as IPv6.
    expect(parseIp('64:ff9b:1::1.2.3.4')).toMatchObject({ family: 6, address: '64:ff9b:1::102:304' });
    // Outside the /96 (non-zero bits 32–95) it is no NAT64 address.
    expect(parseIp('64:ff9b:0:0:1::102:304')).toMatchObject({ family: 6 });
  });

  it('maps IPv4-compatible addresses (::a.b.c.d, deprecated) to IPv4, but not :: or ::1', () => {
    expect(parseIp('::1.2.3.4')).toEqual(v4(0x01020304));
    expect(parseIp('::102:304')).toEqual(v4(0x01020304));
    expect(parseIp('::')).toEqual({ address: '::', family: 6, subnet: '::/64' });
    expect(parseIp('::1')).toEqual({ address: '::1', family: 6, subnet: '::/64' });
    expect(parseIp('::0.0.0.1')).toEqual({ address: '::1', family: 6, subnet: '::/64' });
  });

  it('maps 6to4 addresses (2002:AABB:CCDD::/48, RFC 3056) to their IPv4 address, whatever the rest', () => {
    expect(parseIp('2002:102:304::1')).toEqual(v4(0x01020304));
    expect(parseIp('2002:0102:0304:ffff:1:2:3:4')).toEqual(v4(0x01020304));
    expect(parseIp('2002:c000:204::')).toEqual(v4(0xc0000204));
  });

  it('maps Teredo addresses (2001:0::/32, RFC 4380) to the client IPv4 address (last 32 bits inverted)', () => {
    // The RFC 4380 example: server 65.54.227.120, client 192.0.2.45 behind a NAT, port 40000.
    expect(parseIp('2001:0000:4136:e378:8000:63bf:3fff:fdd2')).toEqual(v4(0xc000022d));
    expect(parseIp('2001::4136:e378:8000:63bf:3fff:fdd2')?.address).toBe('192.0.2.45');
    // 2001:1::/32 and beyond are ordinary IPv6.
    expect(parseIp('2001:1::3fff:fdd2')).toMatchObject({ family: 6 });
    expect(parseIp('2001:db8::1')).toMatchObject({ family: 6 });
  });

  it('property: every IPv4 address written in each embedded IPv6 form canonicalises to itself', () => {
    fc.assert(
      fc.property(uint32, group, group, group, group, group, group, (v, a, b, c, d, e, f) => {
        const expected = v4(v);
        const forms = [
          `::ffff:${dotted(v)}`,
          `::ffff:${hexPair(v)}`,
          `64:ff9b::${dotted(v)}`,
          `64:ff9b::${hexPair(v)}`,
          `64:FF9B:0:0:0:0:${hexPair(v)}`,
          `2002:${hexPair(v)}:${hex16(a)}:${hex16(b)}:${hex16(c)}:${hex16(d)}:${hex16(e)}`,
          `2002:${hexPair(v)}::`,
          `2001:0:${hex16(a)}:${hex16(b)}:${hex16(c)}:${hex16(d)}:${hexPair(~v >>> 0)}`,
          `2001::${hex16(e)}:${hex16(f)}:${hexPair(~v >>> 0)}`,
        ];
        // ::a.b.c.d, except the two addresses that are :: and ::1.
        if (v > 1) forms.push(`::${dotted(v)}`, `::${hexPair(v)}`, `0:0:0:0:0:0:${dotted(v)}`);
        for (const form of forms) expect(parseIp(form), form).toEqual(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('property: other global IPv6 addresses stay IPv6, in canonical lower-case form', () => {
    const groups = fc.tuple(group, group, group, group, group, group, group, group);
    fc.assert(
      fc.property(groups, (g) => {
        const first = 0x2000 + (g[0] % 0x2000); // 2000::/3
        fc.pre(first !== 0x2002 && !(first === 0x2001 && g[1] === 0));
        const text = [first, ...g.slice(1)].map((x) => x.toString(16).toUpperCase()).join(':');
        const ip = parseIp(text);
        expect(ip?.family, text).toBe(6);
        expect(ip?.address, text).toBe(parseIp(ip?.address ?? '')?.address);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('embeddedIpv4Range (for CIDR list entries)', () => {
  it.each<[string, number, string | undefined]>([
    ['2002::', 16, '2002::/16 (6to4)'], // parseIp('2002::') alone is 0.0.0.0: the entry would be 0.0.0.0/16
    ['2002:cb00:7100::', 40, '2002::/16 (6to4)'],
    ['2001::', 32, '2001::/32 (Teredo)'], // alone, 255.255.255.255
    ['2001:0:4136:e378::', 64, '2001::/32 (Teredo)'],
    ['64:ff9b::', 96, '64:ff9b::/96 (NAT64)'],
    ['64:ff9b::cb00:7100', 120, '64:ff9b::/96 (NAT64)'],
    ['::ffff:10.0.0.0', 104, '::ffff:0:0/96 (IPv4-mapped)'],
    ['::', 96, '::/96 (IPv4-compatible)'],
    ['::1.2.3.0', 120, '::/96 (IPv4-compatible)'],
    ['::', 127, undefined], // :: and ::1 only
    ['::1', 128, undefined],
    ['2001::', 16, undefined], // contains Teredo and more: ordinary addresses in it still match
    ['2000::', 3, undefined],
    ['2001:db8::', 32, undefined],
    ['64:ff9b:1::', 48, undefined], // local-use NAT64 stays IPv6
    ['64:ff9b::', 64, undefined],
    ['203.0.113.0', 24, undefined],
    ['not an address', 8, undefined],
  ])('%s/%i lies inside %s', (address, bits, range) => {
    expect(embeddedIpv4Range(address, bits)).toBe(range);
  });
});

describe('engine with embedded IPv4 forms', () => {
  // test/support/engine.ts geo: 3.0.0.0/8 is AWS (hosting), 81.2.69.0/24 residential GB.
  it('flags a datacenter IPv4 hidden in NAT64, 6to4, Teredo or ::a.b.c.d as DATACENTER_IP', async () => {
    for (const ip of ['3.1.2.3', '64:ff9b::3.1.2.3', '2002:301:203::1', '2001:0:4136:e378:8000:63bf:fcfe:fdfc', '::3.1.2.3']) {
      const { engine } = memoryEngine();
      const { verdict } = await engine.assess(attempt({ ip }), policy());
      expect(verdict.reasons, ip).toContain('DATACENTER_IP');
    }
  });

  it('counts one IPv4 address the same in every spelling (per-IP quota)', async () => {
    const { engine } = memoryEngine();
    const p = policy({ sourceLimits: { ip: { hour: 3 } } });
    const forms = ['81.2.69.142', '64:ff9b::5102:458e', '2002:5102:458e:1::1', '2001:0:4136:e378:8000:63bf:aefd:ba71', '::81.2.69.142'];
    const counted: number[] = [];
    for (const [i, ip] of forms.entries()) {
      const assessment = await engine.assess(attempt({ ip, phone: `+44 7400 12345${i}`, device: `device-${i}` }), p);
      counted.push(assessment.verdict.reasons.includes('IP_VELOCITY') ? 1 : 0);
    }
    // Three per hour per address: the 4th and 5th spellings of the same address are over the limit.
    expect(counted).toEqual([0, 0, 0, 1, 1]);
  });
});
