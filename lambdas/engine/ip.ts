import { isIP } from 'node:net';

/** A caller IP in canonical form, with the subnet used for velocity (/24 for IPv4, /64 for IPv6). */
export interface IpAddress {
  readonly address: string;
  readonly family: 4 | 6;
  readonly subnet: string;
}

/** Canonicalise an IP: IPv4-mapped IPv6 becomes IPv4; IPv6 is lower-case and compressed. */
export function parseIp(raw: string): IpAddress | undefined {
  const text = raw.trim();
  const family = isIP(text);
  if (family === 4) return ipv4(text);
  if (family !== 6) return undefined;
  const groups = expandIpv6(text.toLowerCase());
  if (!groups) return undefined;
  // ::ffff:a.b.c.d is an IPv4 address wearing IPv6 clothes.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = [groups[6], groups[7]];
    return ipv4(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return { address: compressIpv6(groups), family: 6, subnet: `${compressIpv6([...groups.slice(0, 4), 0, 0, 0, 0])}/64` };
}

/** `text` passed `isIP` (no leading zeros, four decimal octets), so it is already canonical. */
function ipv4(text: string): IpAddress {
  return { address: text, family: 4, subnet: `${text.slice(0, text.lastIndexOf('.'))}.0/24` };
}

/** Eight 16-bit groups of a syntactically valid IPv6 address (as checked by `isIP`). */
function expandIpv6(text: string): number[] | undefined {
  let body = text;
  const zone = body.indexOf('%');
  if (zone >= 0) body = body.slice(0, zone);
  // A trailing dotted IPv4 part counts as two groups.
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
