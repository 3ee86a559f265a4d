import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { createHasher, type Hasher } from '../engine/hasher';
import { Reason } from '../engine/reasons';
import { REPUTATION_KINDS, REPUTATION_REASONS, subjectOfKind } from '../engine/reputation';
import { LIST_KINDS } from '../ports/list-store';

/** Format tag of a joint-defense feed file. */
export const FEED_FORMAT = 'sms-shield-feed/1';

/**
 * The keys one alliance secret gives, each for one purpose (derived with HMAC and a label, so
 * no key is used twice): the indicator key hashes numbers, addresses and devices the same way
 * in every member deployment; the signing key signs feeds; the key id names the alliance
 * without revealing anything about its secret.
 */
export interface AllianceKeys {
  readonly indicatorHasher: Hasher;
  readonly signingKey: Buffer;
  readonly keyId: string;
}

export function allianceKeys(secret: string): AllianceKeys {
  if (secret.length < 16) throw new Error('The alliance key must be at least 16 characters long');
  const derive = (label: string) => createHmac('sha256', secret).update(label).digest();
  return {
    indicatorHasher: createHasher(derive('sms-shield/indicator-key/v1')),
    signingKey: derive('sms-shield/feed-signing-key/v1'),
    keyId: derive('sms-shield/key-id/v1').subarray(0, 8).toString('hex'),
  };
}

/** The key id of a deployment's own reputation hasher (no alliance): never equal to an alliance's. */
export function localKeyId(hasher: Hasher): string {
  return `local-${hasher('sms-shield/key-id/v1').slice(0, 12)}`;
}

const JOINT_DEFENSE_REASONS = [
  Reason.JOINT_DEFENSE_VICTIM,
  Reason.JOINT_DEFENSE_IP,
  Reason.JOINT_DEFENSE_DEVICE,
  Reason.JOINT_DEFENSE_RANGE,
  Reason.JOINT_DEFENSE_COUNTRY,
] as const;

/** Longest TTL an indicator may ask for: a partner's word fades by itself. */
export const MAX_INDICATOR_TTL_SECONDS = 7 * 86_400;

/** One shared indicator: a hashed value (or a country), why, how sure, until when. */
export const indicatorSchema = z
  .strictObject({
    kind: z.enum(LIST_KINDS),
    value: z.string().regex(/^(?:[A-Za-z0-9_-]{16,64}|[A-Z]{2}|\+\d{1,3})$/, 'must be an indicator hash or a country code'),
    reason: z.enum(JOINT_DEFENSE_REASONS),
    confidence: z.number().min(0).max(1),
    evidence: z.number().int().min(0).max(1_000_000),
    /** Epoch seconds. */
    expiresAt: z.number().int().positive(),
  })
  .superRefine((indicator, ctx) => {
    const subject = subjectOfKind(indicator.kind);
    if (!subject) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: `must be one of ${Object.values(REPUTATION_KINDS).join(', ')}` });
      return;
    }
    if (REPUTATION_REASONS[subject] !== indicator.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: `must be ${REPUTATION_REASONS[subject]} for kind ${indicator.kind}` });
    }
    if ((subject === 'country') !== /^(?:[A-Z]{2}|\+\d{1,3})$/.test(indicator.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: subject === 'country' ? 'must be a country code' : 'must be an indicator hash' });
    }
  });
export type Indicator = z.infer<typeof indicatorSchema>;

export const feedSchema = z.strictObject({
  format: z.literal(FEED_FORMAT),
  /** Who published the feed (a name the alliance agrees on). */
  issuer: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2–63 lowercase letters, digits or dashes'),
  /** The alliance key id the indicators are hashed with. */
  keyId: z.string().min(1).max(64),
  issuedAt: z.iso.datetime(),
  indicators: z.array(indicatorSchema).max(100_000),
  /** `hmac-sha256:<hex>` over the canonical JSON of every other field. */
  signature: z.string().regex(/^hmac-sha256:[0-9a-f]{64}$/),
});
export type Feed = z.infer<typeof feedSchema>;
export type UnsignedFeed = Omit<Feed, 'signature'>;

/**
 * Canonical JSON: object keys sorted at every level, no whitespace. Signer and verifier agree
 * on the bytes whatever order a partner's tooling wrote the fields in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonical JSON has no place for non-finite numbers');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function sign(feed: UnsignedFeed, keys: AllianceKeys): string {
  return `hmac-sha256:${createHmac('sha256', keys.signingKey).update(canonicalJson(feed)).digest('hex')}`;
}

export function signFeed(feed: UnsignedFeed, keys: AllianceKeys): Feed {
  return { ...feed, signature: sign(feed, keys) };
}

/** Thrown when a feed must not be imported; the message says why. */
export class FeedRejectedError extends Error {
  override readonly name = 'FeedRejectedError';
}

export interface VerifyOptions {
  /** Epoch ms. */
  readonly nowMs: number;
  /** Oldest feed accepted. @default 7 days */
  readonly maxAgeMs?: number;
}

/**
 * Check a feed before anything of it is used: signature first (over the canonical JSON, compared
 * in constant time), then the alliance key id, the shape of every field, and its age. Returns
 * the feed with expired indicators left out.
 */
export function verifyFeed(raw: unknown, keys: AllianceKeys, options: VerifyOptions): Feed {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FeedRejectedError('not a feed: expected a JSON object');
  const { signature, ...unsigned } = raw as Record<string, unknown>;
  if (typeof signature !== 'string') throw new FeedRejectedError('the feed is not signed');
  let expected: string;
  try {
    expected = sign(unsigned as UnsignedFeed, keys);
  } catch {
    throw new FeedRejectedError('the feed holds values that cannot be signed');
  }
  const a = Buffer.from(signature);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new FeedRejectedError('bad signature: the feed was changed after signing, or signed with another alliance key');
  }
  const parsed = feedSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FeedRejectedError(`malformed feed: ${issue?.path.join('.') || '(feed)'}: ${issue?.message ?? 'invalid'}`);
  }
  const feed = parsed.data;
  if (feed.keyId !== keys.keyId) throw new FeedRejectedError(`the feed is for alliance key ${feed.keyId}, not ${keys.keyId}`);
  const issued = Date.parse(feed.issuedAt);
  if (issued > options.nowMs + 5 * 60_000) throw new FeedRejectedError('the feed is dated in the future');
  if (issued < options.nowMs - (options.maxAgeMs ?? 7 * 86_400_000)) throw new FeedRejectedError('the feed is too old');
  const nowSeconds = Math.floor(options.nowMs / 1000);
  return { ...feed, indicators: feed.indicators.filter((i) => i.expiresAt > nowSeconds) };
}
