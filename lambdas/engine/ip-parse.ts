/**
 * The one IP address parser, shared by the engine (`parseIp` in ip.ts, list entries) and the
 * GeoIP adapters (a lookup per verdict, so it must not allocate): text → 32-bit words and back.
 */

/** Scratch for the eight groups of an IPv6 address while "::" is expanded. */
const hextets = new Array<number>(8).fill(0);

/**
 * Parse an IPv4 or IPv6 address without allocating. IPv4 → `out[0]`, returns 4; IPv6 → four
 * 32-bit words in `out` (most significant first), returns 6; malformed → 0. Accepts exactly what
 * `net.isIP` accepts: no leading zeros in IPv4 octets, an optional IPv4 tail and `%zone` in IPv6
 * (the zone is checked, then ignored). Linear in the length of `text`, whatever it holds.
 */
export function parseIpInto(text: string, out: Uint32Array): 0 | 4 | 6 {
  if (typeof text !== 'string' || text.length < 2) return 0;
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
    for (let k = 0; k < tail; k++) hextets[7 - k] = hextets[n - 1 - k]!;
    for (let k = gap; k < 8 - tail; k++) hextets[k] = 0;
  }
  for (let k = 0; k < 4; k++) out[k] = hextets[2 * k]! * 65536 + hextets[2 * k + 1]!;
  return true;
}

/** Dotted-quad text of an unsigned 32-bit IPv4 address. */
export function formatV4(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

/** The eight 16-bit groups of an IPv6 address given as four 32-bit words (most significant first). */
export function groupsOfWords(words: ArrayLike<number>): number[] {
  const groups: number[] = [];
  for (let k = 0; k < 4; k++) groups.push(words[k]! >>> 16, words[k]! & 0xffff);
  return groups;
}
