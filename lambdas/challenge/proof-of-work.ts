import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createChallenge, extractParams } from 'altcha-lib/v1';
import type { ChallengeCheck, ChallengeState } from '../domain/types';
import type { Clock } from '../ports/clock';
import type { ReplayGuard } from '../ports/replay-guard';

/**
 * Search space (ALTCHA `maxnumber`) per difficulty level; level 1 is the base. Each level is
 * 4× the work of the one below. A solver tries half the space on average: at level 1 that is
 * 250,000 SHA-256 hashes, ≈ 0.1–0.2 s in a desktop browser with the SDK's solver (see
 * `bench/challenge-bench.ts` and the README for measured times).
 */
export const DIFFICULTY_LEVELS: readonly number[] = [500_000, 2_000_000, 8_000_000, 32_000_000];

/** A challenge as `GET /v1/challenge` returns it: ALTCHA v1 JSON plus what the SDK needs to know. */
export interface IssuedChallenge {
  readonly algorithm: 'SHA-256';
  /** SHA-256 hex of `salt + secret number`. */
  readonly challenge: string;
  readonly maxnumber: number;
  /** Random hex, then the signed parameters: `?expires=…&level=…&tenant=…&`. */
  readonly salt: string;
  /** HMAC-SHA256 hex of `challenge` with the deployment's key. */
  readonly signature: string;
  readonly level: number;
  /** Epoch seconds after which a solution is refused. */
  readonly expires: number;
}

export interface ProofOfWorkOptions {
  /** HMAC key for challenges (derived from the man-machine secret). */
  readonly hmacKey: string;
  /** Where used solutions are remembered until they expire. */
  readonly replays: ReplayGuard;
  readonly clock: Clock;
  /** How long a challenge can be solved and redeemed. @default 300 s */
  readonly ttlSeconds?: number;
  /** `maxnumber` per level. @default DIFFICULTY_LEVELS */
  readonly levels?: readonly number[];
}

const FAILED: ChallengeCheck = { state: 'failed' };

/** The solution payload the `challenge` field carries: base64 of ALTCHA's JSON. */
interface Payload {
  readonly algorithm: 'SHA-256';
  readonly challenge: string;
  readonly number: number;
  readonly salt: string;
  readonly signature: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
/** Seconds a used solution is remembered past its expiry, for clock skew between instances. */
const REPLAY_SLACK_SECONDS = 60;

/**
 * Proof-of-work challenges in the ALTCHA v1 format (SHA-256), issued with altcha-lib and
 * bound to a tenant and an expiry through the signed salt. A solution is accepted once:
 * the first successful verification claims it in the replay guard.
 */
export class ProofOfWork {
  private readonly ttlSeconds: number;
  readonly levels: readonly number[];

  constructor(private readonly options: ProofOfWorkOptions) {
    if (options.hmacKey.length < 16) throw new Error('The challenge HMAC key must be at least 16 characters long');
    this.ttlSeconds = options.ttlSeconds ?? 300;
    this.levels = options.levels ?? DIFFICULTY_LEVELS;
    if (this.levels.length === 0 || this.levels.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new Error('ProofOfWorkOptions.levels must be positive integers');
    }
  }

  /** The highest level; requests above it get this one. */
  get maxLevel(): number {
    return this.levels.length;
  }

  async issue(tenant: string, level: number): Promise<IssuedChallenge> {
    const clamped = Math.min(this.maxLevel, Math.max(1, Math.floor(level)));
    const expires = Math.floor(this.options.clock.now() / 1000) + this.ttlSeconds;
    const challenge = await createChallenge({
      algorithm: 'SHA-256',
      hmacKey: this.options.hmacKey,
      maxnumber: this.levels[clamped - 1],
      // altcha-lib writes `expires` into the salt from this date; the params ride along signed.
      expires: new Date(expires * 1000),
      params: { level: String(clamped), tenant },
    });
    return {
      algorithm: 'SHA-256',
      challenge: challenge.challenge,
      maxnumber: challenge.maxnumber ?? this.levels[clamped - 1]!,
      salt: challenge.salt,
      signature: challenge.signature,
      level: clamped,
      expires,
    };
  }

  /**
   * Check a solution for `tenant`: well formed, signed by this deployment, for this tenant,
   * not expired (by the injected clock), and never redeemed before. Never throws for bad input.
   */
  async verify(solution: string, tenant: string): Promise<ChallengeState> {
    return (await this.check(solution, tenant)).state;
  }

  /**
   * `verify`, plus the difficulty level the solution was issued at (signed in its salt), so the
   * verdict can refuse a solution easier than the attempt's risk asks for.
   */
  async check(solution: string, tenant: string): Promise<ChallengeCheck> {
    const payload = parsePayload(solution);
    if (!payload) return FAILED;
    const params = extractParams(payload);
    const expires = Number(params.expires);
    const level = Number(params.level);
    const nowSeconds = Math.floor(this.options.clock.now() / 1000);
    if (params.tenant !== tenant || !Number.isInteger(expires) || expires <= nowSeconds || !Number.isInteger(level) || level < 1) return FAILED;
    // The same check as altcha-lib's verifySolution, with constant-time comparisons.
    const hash = createHash('sha256')
      .update(payload.salt + payload.number)
      .digest('hex');
    const signature = createHmac('sha256', this.options.hmacKey).update(payload.challenge).digest('hex');
    if (!sameHex(hash, payload.challenge) || !sameHex(signature, payload.signature)) return FAILED;
    const first = await this.options.replays.claim(`pow:${payload.challenge}`, expires + REPLAY_SLACK_SECONDS, nowSeconds);
    return { state: first ? 'passed' : 'replayed', level };
  }
}

/** Decode the base64 JSON payload; undefined for anything that is not exactly its shape. */
function parsePayload(solution: string): Payload | undefined {
  if (solution.length > 2048) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(solution, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Record<string, unknown>;
  if (p.algorithm !== 'SHA-256') return undefined;
  if (typeof p.challenge !== 'string' || !HEX64.test(p.challenge)) return undefined;
  if (typeof p.signature !== 'string' || !HEX64.test(p.signature)) return undefined;
  if (typeof p.salt !== 'string' || p.salt.length > 512) return undefined;
  if (typeof p.number !== 'number' || !Number.isSafeInteger(p.number) || p.number < 0) return undefined;
  return { algorithm: p.algorithm, challenge: p.challenge, number: p.number, salt: p.salt, signature: p.signature };
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
