import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embeddedIpv4, embeddedIpv4Range, type IpAddress, ipv6Groups, parseIp } from '../../lambdas/engine/ip';
import { formatV4, groupsOfWords, parseIpInto } from '../../lambdas/engine/ip-parse';
import { classifyV4, classifyV6, MAX_LOOKUP_TEXT, parseIpFolded } from '../../lambdas/engine/ip-ranges';

/*
 * engine/ip.ts and the GeoIP adapter had a parser each; they now share engine/ip-parse.ts. The
 * string-splitting implementation that `parseIp`, `ipv6Groups` and `embeddedIpv4Range` had on top
 * of `net.isIP` is kept here as the oracle: the shared parser must answer exactly as it did.
 */
const reference = (() => {
  function expandIpv6(text: string): number[] | undefined {
    let body = text;
    const zone = body.indexOf('%');
    if (zone >= 0) body = body.slice(0, zone);
    const lastColon = body.lastIndexOf(':');
    const tail = body.slice(lastColon + 1);
    if (tail.includes('.')) {
      const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
      body = `${body.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    }
    const [head, rest] = body.split('::') as [string, string | undefined];
    const left = head ? head.split(':') : [];
    const right = rest === undefined ? [] : rest ? rest.split(':') : [];
    const missing = 8 - left.length - right.length;
    if (rest === undefined && missing !== 0) return undefined;
    const groups = [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right].map((g) => Number.parseInt(g, 16));
    return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
  }
  function compressIpv6(groups: readonly number[]): string {
    let bestStart = -1;
    let bestLength = 0;
    for (let i = 0; i < 8; ) {
      if (groups[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
      i = j;
    }
    const hex = groups.map((g) => g.toString(16));
    if (bestLength < 2) return hex.join(':');
    return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
  }
  const ipv4 = (text: string): IpAddress => ({ address: text, family: 4, subnet: `${text.slice(0, text.lastIndexOf('.'))}.0/24` });
  function parseIp(raw: string): IpAddress | undefined {
    const text = raw.trim();
    const family = isIP(text);
    if (family === 4) return ipv4(text);
    if (family !== 6) return undefined;
    const groups = expandIpv6(text.toLowerCase());
    if (!groups) return undefined;
    const word = (k: number) => (groups[2 * k] ?? 0) * 65_536 + (groups[2 * k + 1] ?? 0);
    const embedded = embeddedIpv4(word(0), word(1), word(2), word(3));
    if (embedded >= 0) return ipv4(`${embedded >>> 24}.${(embedded >>> 16) & 255}.${(embedded >>> 8) & 255}.${embedded & 255}`);
    return { address: compressIpv6(groups), family: 6, subnet: `${compressIpv6([...groups.slice(0, 4), 0, 0, 0, 0])}/64` };
  }
  const ipv6Groups = (text: string) => (isIP(text) === 6 ? expandIpv6(text.toLowerCase()) : undefined);
  return { parseIp, ipv6Groups };
})();

const hexGroup = fc
  .integer({ min: 0, max: 0xffff })
  .chain((g) => fc.constantFrom(g.toString(16), g.toString(16).toUpperCase(), g.toString(16).padStart(4, '0')));
const octets = fc.tuple(...Array.from({ length: 4 }, () => fc.integer({ min: 0, max: 255 })));
/** Leading groups of the ranges `embeddedIpv4` maps (and one it does not), or none. */
const prefix = fc.constantFrom<string[]>(
  [],
  [],
  ['0', '0', '0', '0', '0', 'ffff'],
  ['64', 'ff9b', '0', '0', '0', '0'],
  ['64', 'ff9b', '1'],
  ['2002'],
  ['2001', '0'],
  ['0', '0', '0', '0', '0', '0'],
);
/** Valid addresses in many spellings: IPv4, full and compressed IPv6, IPv4 tails, zones, spaces. */
const validText = fc
  .tuple(
    fc.tuple(prefix, fc.array(hexGroup, { minLength: 8, maxLength: 8 })).map(([lead, groups]) => [...lead, ...groups.slice(lead.length)]),
    octets,
    fc.integer({ min: 0, max: 8 }),
    fc.integer({ min: 0, max: 8 }),
    fc.boolean(),
    fc.constantFrom('', '%eth0', '%1', '%en0.1-a:b'),
    fc.constantFrom('', ' ', '\t'),
  )
  .map(([groups, [a, b, c, d], from, length, v4Tail, zone, space]) => {
    const dotted = `${a}.${b}.${c}.${d}`;
    if (from === 8) return `${space}${dotted}${space}`;
    const parts = v4Tail ? [...groups.slice(0, 6), dotted] : groups;
    const cut = Math.min(from, parts.length);
    const end = Math.min(parts.length, cut + length);
    const text = length > 1 ? `${parts.slice(0, cut).join(':')}::${parts.slice(end).join(':')}` : parts.join(':');
    return `${space}${text}${zone}${space}`;
  });
/** Mostly-malformed text from the characters addresses are made of. */
const noisyText = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:::...%z- '), maxLength: 24 });

describe('the shared parser answers as the isIP-based code did', () => {
  it('property: parseIp is unchanged, valid and malformed input alike', () => {
    fc.assert(
      fc.property(fc.oneof(validText, noisyText), (text) => {
        expect(parseIp(text), JSON.stringify(text)).toEqual(reference.parseIp(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('property: ipv6Groups (list entries) is unchanged', () => {
    fc.assert(
      fc.property(fc.oneof(validText, noisyText), (text) => {
        expect(ipv6Groups(text), JSON.stringify(text)).toEqual(reference.ipv6Groups(text));
      }),
      { numRuns: 10_000 },
    );
  });

  it("parses long zone ids as net.isIP does: the lookups' input cap is theirs, not the parser's", () => {
    const longZone = `fe80::1%${'a'.repeat(100)}`;
    expect(isIP(longZone)).toBe(6);
    expect(parseIp(longZone)).toEqual({ address: 'fe80::1', family: 6, subnet: 'fe80::/64' });
    expect(ipv6Groups(longZone)).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    expect(longZone.length).toBeGreaterThan(MAX_LOOKUP_TEXT);
  });

  it('rejects overlong garbage in linear time', () => {
    const words = new Uint32Array(4);
    for (const text of ['1'.repeat(100_000), `::${'1:'.repeat(50_000)}1`, `${'f'.repeat(100_000)}::`, `::1%${'-'.repeat(100_000)} `]) {
      expect(parseIpInto(text, words)).toBe(0);
    }
  });

  it('keeps embeddedIpv4Range on IPv6 blocks only', () => {
    expect(embeddedIpv4Range(' 2002:: ', 16)).toBe('2002::/16 (6to4)');
    expect(embeddedIpv4Range('2002::%eth0', 16)).toBe('2002::/16 (6to4)');
    expect(embeddedIpv4Range('1.2.3.4', 16)).toBeUndefined();
  });
});

describe('ip-parse helpers', () => {
  it('property: formatV4 and groupsOfWords invert the parser', () => {
    const words = new Uint32Array(4);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (v, groups) => {
        expect(parseIpInto(formatV4(v), words)).toBe(4);
        expect(words[0]).toBe(v);
        expect(parseIpInto(groups.map((g) => g.toString(16)).join(':'), words)).toBe(6);
        expect(groupsOfWords(words)).toEqual(groups);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('ip-ranges', () => {
  it('classifies folded addresses as the GeoIP lookups do', () => {
    const words = new Uint32Array(4);
    const kindOf = (text: string) => {
      const family = parseIpFolded(text, words);
      if (family === 0) return 'malformed';
      return family === 4 ? classifyV4(words[0]!) : classifyV6(words[0]!, words[1]!, words[2]!, words[3]!);
    };
    expect(kindOf('10.1.2.3')).toBe('private');
    expect(kindOf('::ffff:10.1.2.3')).toBe('private');
    expect(kindOf('198.51.100.7')).toBe('reserved');
    expect(kindOf('81.2.69.142')).toBe('public');
    expect(kindOf('2a02:8109::1')).toBe('public');
    expect(kindOf('fe80::1%eth0')).toBe('private');
    expect(kindOf('64:ff9b:1::1')).toBe('private');
    expect(kindOf('ff02::1')).toBe('reserved');
    expect(kindOf('not an address')).toBe('malformed');
  });
});

describe('address parser', () => {
  /** Reference expansion with string splitting, for valid IPv6 only. */
  const referenceWords = (text: string): number[] => {
    let body = text.split('%')[0] ?? '';
    const tail = body.slice(body.lastIndexOf(':') + 1);
    if (tail.includes('.')) {
      const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
      body = `${body.slice(0, body.lastIndexOf(':') + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    }
    const [head = '', rest] = body.split('::');
    const left = head ? head.split(':') : [];
    const right = rest ? rest.split(':') : [];
    const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right].map((g) => Number.parseInt(g, 16));
    return [0, 1, 2, 3].map((k) => (groups[2 * k] ?? 0) * 65536 + (groups[2 * k + 1] ?? 0));
  };

  it('accepts exactly what net.isIP accepts, and expands IPv6 correctly', () => {
    let seed = 12345;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed % n;
    };
    const alphabet = '0123456789abcdefABCDEF:::...%z- ';
    const seeds = ['1.2.3.4', '::ffff:1.2.3.4', '2001:db8::1', 'fe80::1%eth0', '1:2:3:4:5:6:7:8', '::', '1::', '255.255.255.255'];
    const words = new Uint32Array(4);
    let valid = 0;
    for (let i = 0; i < 50_000; i++) {
      let text: string;
      if (i % 2 === 0) {
        text = Array.from({ length: random(20) }, () => alphabet[random(alphabet.length)]).join('');
      } else {
        const base = seeds[random(seeds.length)] ?? '';
        const at = random(base.length + 1);
        text = base.slice(0, at) + (alphabet[random(alphabet.length)] ?? '') + base.slice(at + random(2));
      }
      const family = parseIpInto(text, words);
      expect(family, JSON.stringify(text)).toBe(isIP(text));
      if (family === 6) {
        valid++;
        expect([...words], text).toEqual(referenceWords(text));
      }
    }
    expect(valid).toBeGreaterThan(1000);
  });
});
