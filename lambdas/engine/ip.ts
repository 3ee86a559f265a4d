import { formatV4, groupsOfWords, parseIpInto } from './ip-parse';

/** A caller IP in canonical form, with the subnet used for velocity (/24 for IPv4, /64 for IPv6). */
export interface IpAddress {
  readonly address: string;
  readonly family: 4 | 6;
  readonly subnet: string;
}

/**
 * The IPv4 address an IPv6 address stands for, or -1 when it carries none; the address is given
 * as four 32-bit words, most significant first. These forms are mapped:
 *
 * - `::ffff:a.b.c.d` (`::ffff:0:0/96`), IPv4-mapped (RFC 4291): an IPv4 client of a dual-stack socket;
 * - `64:ff9b::a.b.c.d` (`64:ff9b::/96`), the NAT64 well-known prefix (RFC 6052): an IPv4 host
 *   reached through a translator;
 * - `::a.b.c.d` (`::/96` except `::` and `::1`), IPv4-compatible (deprecated by RFC 4291, but
 *   still parsed by everything);
 * - `2002:AABB:CCDD::/48`, 6to4 (RFC 3056): the IPv4 address is bits 16–47; one IPv4 host owns
 *   the whole /48;
 * - `2001:0::/32`, Teredo (RFC 4380): the client's public IPv4 address is the last 32 bits
 *   inverted; the rest (server, flags, port) is the client's to vary.
 *
 * Why: an address of any of these forms is answered through the IPv4 address it carries (only
 * that host receives the replies), yet left as IPv6 it would get its own per-IP and /64 counters,
 * no list entry of the IPv4 address would match it, and the GeoIP data would not see the hosting
 * network behind it. One IPv4 host would have 2^80 fresh "addresses" in 6to4 alone.
 *
 * Not mapped: the local-use NAT64 prefix `64:ff9b:1::/48` (RFC 8215) belongs to one operator's
 * own network, its embedding is not fixed (any prefix length from /32 to /96) and it is classed
 * private anyway; nor network-specific NAT64 prefixes, which nobody outside that network can
 * recognise.
 */
export function embeddedIpv4(w0: number, w1: number, w2: number, w3: number): number {
  if (w0 === 0 && w1 === 0) {
    if (w2 === 0xffff) return w3 >>> 0; // IPv4-mapped
    if (w2 === 0 && w3 >>> 0 > 1) return w3 >>> 0; // IPv4-compatible, but not :: (unspecified) or ::1 (loopback)
    return -1;
  }
  if (w0 === 0x0064_ff9b && w1 === 0 && w2 === 0) return w3 >>> 0; // NAT64 well-known prefix
  if (w0 >>> 16 === 0x2002) return ((w0 & 0xffff) * 65_536 + (w1 >>> 16)) >>> 0; // 6to4
  if (w0 >>> 0 === 0x2001_0000) return ~w3 >>> 0; // Teredo
  return -1;
}

/** Scratch words for the parser: every function here reads them right after parsing, synchronously. */
const words = new Uint32Array(4);

/**
 * Canonicalise an IP: IPv4 stays as it is; IPv6 that carries an IPv4 address (see
 * {@link embeddedIpv4}) becomes that IPv4 address; other IPv6 is lower-case and compressed
 * (RFC 5952), without a zone id. Surrounding whitespace is ignored; anything `net.isIP` refuses
 * is undefined.
 */
export function parseIp(raw: string): IpAddress | undefined {
  const text = raw.trim();
  const family = parseIpInto(text, words);
  // Accepted IPv4 text has no leading zeros, so it is canonical as it is.
  if (family === 4) return ipv4(text);
  if (family !== 6) return undefined;
  const embedded = embeddedIpv4(words[0]!, words[1]!, words[2]!, words[3]!);
  if (embedded >= 0) return ipv4(formatV4(embedded));
  const groups = groupsOfWords(words);
  return { address: compressIpv6(groups), family: 6, subnet: `${compressIpv6([...groups.slice(0, 4), 0, 0, 0, 0])}/64` };
}

/** The IPv6 ranges {@link embeddedIpv4} maps, as four 32-bit words and a prefix length. */
const EMBEDDING_RANGES: readonly { readonly label: string; readonly words: readonly number[]; readonly prefix: number }[] = [
  { label: '::ffff:0:0/96 (IPv4-mapped)', words: [0, 0, 0xffff, 0], prefix: 96 },
  { label: '64:ff9b::/96 (NAT64)', words: [0x0064_ff9b, 0, 0, 0], prefix: 96 },
  { label: '::/96 (IPv4-compatible)', words: [0, 0, 0, 0], prefix: 96 },
  { label: '2002::/16 (6to4)', words: [0x2002_0000, 0, 0, 0], prefix: 16 },
  { label: '2001::/32 (Teredo)', words: [0x2001_0000, 0, 0, 0], prefix: 32 },
];

/**
 * For an IPv6 CIDR block (`address`/`bits`, e.g. a list entry): the range of
 * {@link embeddedIpv4} it lies inside, if any. {@link parseIp} turns every address there into
 * the IPv4 address it carries, so such a block can never match a request, and its base address
 * alone would turn into a meaningless IPv4 block (`2002::/16` into `0.0.0.0/16`): ask for the
 * IPv4 block instead. Blocks that merely contain such a range (`2000::/3`) are fine.
 */
export function embeddedIpv4Range(address: string, bits: number): string | undefined {
  if (parseIpInto(address.trim(), words) !== 6 || !Number.isInteger(bits) || bits < 0 || bits > 128) return undefined;
  // ::/127 (:: and ::1) is not IPv4-compatible.
  if (bits >= 127 && words[0] === 0 && words[1] === 0 && words[2] === 0 && (words[3] ?? 0) <= 1) return undefined;
  for (const range of EMBEDDING_RANGES) {
    if (bits < range.prefix) continue;
    let inside = true;
    for (let k = 0, left = range.prefix; left > 0; k++, left -= 32) {
      const mask = left >= 32 ? 0xffff_ffff : ~(0xffff_ffff >>> left) >>> 0;
      if (((words[k] ?? 0) & mask) >>> 0 !== ((range.words[k] ?? 0) & mask) >>> 0) inside = false;
    }
    if (inside) return range.label;
  }
  return undefined;
}

/** `text` is canonical dotted-quad IPv4 (as `net.isIP` accepts it, or as formatted above). */
function ipv4(text: string): IpAddress {
  return { address: text, family: 4, subnet: `${text.slice(0, text.lastIndexOf('.'))}.0/24` };
}

/** The eight 16-bit groups of an IPv6 address text (a zone id ignored), undefined for anything else. */
export function ipv6Groups(text: string): number[] | undefined {
  return parseIpInto(text, words) === 6 ? groupsOfWords(words) : undefined;
}

/** RFC 5952 text form: longest run of zero groups (length ≥ 2) becomes `::`. */
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
