/**
 * Reference solver for the proof-of-work challenge, for server-to-server tests, load tools
 * and as the specification native apps implement:
 *
 *   1. `GET /v1/challenge?tenant=<id>` → `{ algorithm: "SHA-256", challenge, maxnumber, salt, signature, … }`
 *   2. find the integer n in [0, maxnumber] with lowercase-hex SHA-256(salt + decimal(n)) == challenge
 *   3. send base64(JSON {algorithm, challenge, number: n, salt, signature}) as the `challenge` field.
 *
 * It runs the browser SDK's search (synchronous SHA-256 reusing the salt's state), so Node
 * timings here match what a person's browser spends, give or take the device.
 */
import { encodeSolution, searchRange, type PowChallenge } from '../../sdk/pow';

export type { PowChallenge };

export interface SolvedChallenge {
  /** The value for the `challenge` field of a send or verdict request. */
  readonly solution: string;
  readonly number: number;
  readonly tookMs: number;
}

/** Solve a challenge; null when no number in range matches (a challenge not made by the shield). */
export function solveChallenge(challenge: PowChallenge): SolvedChallenge | null {
  if (challenge.algorithm !== 'SHA-256') throw new Error(`Unsupported algorithm ${challenge.algorithm}`);
  const started = performance.now();
  const number = searchRange({ challenge: challenge.challenge, salt: challenge.salt, start: 0, end: challenge.maxnumber });
  if (number === null) return null;
  return { solution: encodeSolution(challenge, number), number, tookMs: performance.now() - started };
}

/** Fetch a challenge from a running shield and solve it. */
export async function fetchAndSolve(endpoint: string, tenant: string, level?: number): Promise<SolvedChallenge & { level: number }> {
  const url = new URL('/v1/challenge', endpoint);
  url.searchParams.set('tenant', tenant);
  if (level !== undefined) url.searchParams.set('level', String(level));
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${url.pathname} answered ${res.status}`);
  const challenge = (await res.json()) as PowChallenge & { level: number };
  const solved = solveChallenge(challenge);
  if (!solved) throw new Error('The challenge has no solution in its range');
  return { ...solved, level: challenge.level };
}
