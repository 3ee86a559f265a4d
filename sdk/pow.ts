/**
 * The proof-of-work search of the ALTCHA v1 scheme: find the number `n` in `[0, maxnumber]`
 * with `SHA-256(salt + n)` equal to the challenge. Pure code with no DOM or Node imports, so
 * the browser worker, the main-thread fallback and the tests share it.
 *
 * Awaiting `crypto.subtle.digest` once per candidate costs ≈ 13 µs in Chromium (promise
 * round-trips dominate), so people would pay 20–50× what a bot with native SHA-256 pays.
 * This search hashes synchronously, keeps the state of the salt's full 64-byte blocks, and
 * compares words instead of hex strings.
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** One SHA-256 compression of the 64 bytes at `bytes[offset..]` into `state`; `w` is scratch. */
function compress(state: Uint32Array, bytes: Uint8Array, offset: number, w: Uint32Array): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    w[i] = ((bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!) >>> 0;
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
  }
  let a = state[0]!,
    b = state[1]!,
    c = state[2]!,
    d = state[3]!,
    e = state[4]!,
    f = state[5]!,
    g = state[6]!,
    h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) >>> 0;
  state[1] = (state[1]! + b) >>> 0;
  state[2] = (state[2]! + c) >>> 0;
  state[3] = (state[3]! + d) >>> 0;
  state[4] = (state[4]! + e) >>> 0;
  state[5] = (state[5]! + f) >>> 0;
  state[6] = (state[6]! + g) >>> 0;
  state[7] = (state[7]! + h) >>> 0;
}

/** UTF-8 bytes of a string (salts are ASCII; this keeps any other text correct too). */
function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Hashes `prefix + suffix` for many suffixes, reusing the state after the prefix's full blocks. */
class PrefixHasher {
  private readonly mid = new Uint32Array(8);
  private readonly state = new Uint32Array(8);
  private readonly w = new Uint32Array(64);
  /** The prefix bytes after its full blocks, then room for the suffix and padding (≤ 2 blocks). */
  private readonly tail = new Uint8Array(128);
  private readonly restLength: number;
  private readonly prefixLength: number;

  constructor(prefix: string) {
    const bytes = utf8(prefix);
    this.prefixLength = bytes.length;
    this.mid.set(IV);
    const full = bytes.length - (bytes.length % 64);
    for (let offset = 0; offset < full; offset += 64) compress(this.mid, bytes, offset, this.w);
    this.restLength = bytes.length - full;
    this.tail.set(bytes.subarray(full));
  }

  /** Hash `prefix + suffix` (ASCII suffix of at most 40 characters); the digest is left in `state`. */
  hash(suffix: string): Uint32Array {
    const tail = this.tail;
    let n = this.restLength;
    for (let i = 0; i < suffix.length; i++) tail[n++] = suffix.charCodeAt(i);
    const messageBits = (this.prefixLength + suffix.length) * 8;
    tail[n++] = 0x80;
    const blocks = n + 8 <= 64 ? 1 : 2;
    const end = blocks * 64;
    tail.fill(0, n, end - 4);
    // Lengths stay far below 2^32 bits: the high word is zero.
    tail[end - 4] = (messageBits >>> 24) & 0xff;
    tail[end - 3] = (messageBits >>> 16) & 0xff;
    tail[end - 2] = (messageBits >>> 8) & 0xff;
    tail[end - 1] = messageBits & 0xff;
    this.state.set(this.mid);
    compress(this.state, tail, 0, this.w);
    if (blocks === 2) compress(this.state, tail, 64, this.w);
    return this.state;
  }
}

/** SHA-256 of a string as lowercase hex (for tests and tools; the search never builds hex). */
export function sha256Hex(text: string): string {
  const state = new PrefixHasher(text).hash('');
  let out = '';
  for (const word of state) out += word.toString(16).padStart(8, '0');
  return out;
}

/** One slice of the search: candidates `start, start + step, …` up to and including `end`. */
export interface SearchRange {
  readonly challenge: string;
  readonly salt: string;
  readonly start: number;
  readonly end: number;
  /** Stride, so several workers can share one range. @default 1 */
  readonly step?: number;
}

/** The number whose hash matches, or null when the range holds none. Bounded by the range. */
export function searchRange(range: SearchRange): number | null {
  if (!/^[0-9a-f]{64}$/.test(range.challenge)) throw new Error('challenge must be 64 lowercase hex digits (SHA-256)');
  const target = new Uint32Array(8);
  for (let i = 0; i < 8; i++) target[i] = Number.parseInt(range.challenge.slice(i * 8, i * 8 + 8), 16);
  const hasher = new PrefixHasher(range.salt);
  const step = Math.max(1, Math.floor(range.step ?? 1));
  const t0 = target[0]!;
  for (let n = Math.max(0, Math.floor(range.start)); n <= range.end; n += step) {
    const state = hasher.hash(String(n));
    if (state[0] !== t0) continue;
    let same = true;
    for (let i = 1; i < 8 && same; i++) same = state[i] === target[i];
    if (same) return n;
  }
  return null;
}

/** The challenge as the API serves it (ALTCHA v1 JSON). */
export interface PowChallenge {
  readonly algorithm: string;
  readonly challenge: string;
  readonly maxnumber: number;
  readonly salt: string;
  readonly signature: string;
}

/** The solution payload the API accepts in the `challenge` field: base64 of ALTCHA's JSON payload. */
export function encodeSolution(challenge: PowChallenge, number: number): string {
  const json = JSON.stringify({
    algorithm: challenge.algorithm,
    challenge: challenge.challenge,
    number,
    salt: challenge.salt,
    signature: challenge.signature,
  });
  return btoa(json);
}
