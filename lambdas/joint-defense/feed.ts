import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as signBytes,
  timingSafeEqual,
  verify as verifyBytes,
} from 'node:crypto';
import * as z from 'zod';
import { createHasher, type Hasher } from '../engine/hasher';
import { Reason } from '../domain/reasons';
import { REPUTATION_KINDS, REPUTATION_REASONS, subjectOfKind } from '../engine/reputation';
import { LIST_KINDS } from '../ports/list-store';

/**
 * Format tag of a joint-defense feed file. Version 2 is signed by its issuer's own Ed25519 key;
 * version 1 was signed only with a key every alliance member shares, so any member could
 * publish a feed under another member's name, and it is refused.
 */
export const FEED_FORMAT = 'sms-shield-feed/2';
const LEGACY_FEED_FORMAT = 'sms-shield-feed/1';

/**
 * The keys one alliance secret gives, each for one purpose (derived with HMAC and a label, so
 * no key is used twice): the indicator key hashes numbers, addresses and devices the same way
 * in every member deployment; the membership key MACs feeds (proof that an alliance member made
 * the file: every member holds it, so it says nothing about which one); the key id names the
 * alliance without revealing anything about its secret. Who issued a feed is proven by the
 * issuer's own Ed25519 signature, checked against the alliance's members file.
 */
export interface AllianceKeys {
  readonly indicatorHasher: Hasher;
  readonly membershipKey: Buffer;
  readonly keyId: string;
}

export function allianceKeys(secret: string): AllianceKeys {
  if (secret.length < 16) throw new Error('The alliance key must be at least 16 characters long');
  const derive = (label: string) => createHmac('sha256', secret).update(label).digest();
  return {
    indicatorHasher: createHasher(derive('sms-shield/indicator-key/v1')),
    membershipKey: derive('sms-shield/feed-signing-key/v1'),
    keyId: derive('sms-shield/key-id/v1').subarray(0, 8).toString('hex'),
  };
}

// ---------------------------------------------------------------------------------------------
// Issuer keys and the members file.

/** Issuer names: what a feed's `issuer` and a members file's keys may be. */
export const ISSUER_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A new issuer key pair: the private key as PKCS#8 PEM (keep it), the public key as base64 SPKI DER (share it). */
export function generateIssuerKey(): { readonly privateKeyPem: string; readonly publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), publicKey: publicKeyText(publicKey) };
}

/** Base64 SPKI DER of a public key (or of the public half of a private key): the members-file form. */
export function publicKeyText(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
}

/**
 * An issuer's Ed25519 private key from its PEM (as `feed keygen` writes it). The error never
 * quotes the input: it may be a private key of another kind.
 */
export function loadIssuerKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error('not a private key in PEM form (feed keygen writes one)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an Ed25519 key is needed, not ${key.asymmetricKeyType ?? 'this kind of key'}`);
  return key;
}

/** One member's public key: base64 SPKI DER, base64 of the raw 32 bytes, or SPKI PEM. */
function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  if (trimmed.startsWith('-----BEGIN PUBLIC KEY-----')) {
    key = createPublicKey(trimmed);
  } else {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) throw new Error('not base64');
    const bytes = Buffer.from(trimmed, 'base64');
    const der = bytes.length === 32 ? Buffer.concat([ED25519_SPKI_PREFIX, bytes]) : bytes;
    key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an Ed25519 key is needed, not ${key.asymmetricKeyType ?? 'another kind'}`);
  return key;
}

/** The alliance's members: issuer name → its public keys (more than one while a member rotates). */
export type FeedMembers = ReadonlyMap<string, readonly KeyObject[]>;

/**
 * Parse a members file: `{ "acme": "<public key>", "globex": ["<old key>", "<new key>"] }`,
 * each key base64 SPKI DER (what `feed keygen` prints), base64 of the raw 32 bytes, or PEM.
 * @throws Error naming the bad entry (never quoting a key).
 */
export function parseMembers(raw: unknown): FeedMembers {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('members: expected a JSON object { "<issuer>": "<public key>", … }');
  const members = new Map<string, KeyObject[]>();
  for (const [issuer, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!ISSUER_PATTERN.test(issuer))
      throw new Error(`members: ${JSON.stringify(issuer.slice(0, 64))} is not an issuer name (2–63 lowercase letters, digits or dashes)`);
    const texts = Array.isArray(value) ? value : [value];
    if (texts.length === 0 || texts.some((t) => typeof t !== 'string')) throw new Error(`members: ${issuer}: expected a public key or a list of them`);
    members.set(
      issuer,
      texts.map((text, i) => {
        try {
          return parsePublicKey(text as string);
        } catch (error) {
          throw new Error(
            `members: ${issuer}${texts.length > 1 ? ` key ${i + 1}` : ''}: not an Ed25519 public key (${(error as Error).message.split('\n')[0]})`,
          );
        }
      }),
    );
  }
  if (members.size === 0) throw new Error('members: the file lists no member');
  // A key listed for two members would let either sign as the other.
  const owners = new Map<string, string>();
  for (const [issuer, memberKeys] of members) {
    for (const key of memberKeys) {
      const text = publicKeyText(key);
      const owner = owners.get(text);
      if (owner !== undefined && owner !== issuer)
        throw new Error(`members: ${owner} and ${issuer} are listed with the same key; each member signs with its own`);
      owners.set(text, issuer);
    }
  }
  return members;
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
  issuer: z.string().regex(ISSUER_PATTERN, 'must be 2–63 lowercase letters, digits or dashes'),
  /** The alliance key id the indicators are hashed with. */
  keyId: z.string().min(1).max(64),
  issuedAt: z.iso.datetime(),
  indicators: z.array(indicatorSchema).max(100_000),
  /** `ed25519:<base64>`: the issuer's own signature over the canonical JSON of every other field but `allianceMac`. */
  signature: z.string().regex(/^ed25519:[A-Za-z0-9+/]{86}==$/),
  /** `hmac-sha256:<hex>` with the alliance's membership key over the same bytes. */
  allianceMac: z.string().regex(/^hmac-sha256:[0-9a-f]{64}$/),
});
export type Feed = z.infer<typeof feedSchema>;
export type UnsignedFeed = Omit<Feed, 'signature' | 'allianceMac'>;

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

function allianceMac(canonical: string, keys: AllianceKeys): string {
  return `hmac-sha256:${createHmac('sha256', keys.membershipKey).update(canonical).digest('hex')}`;
}

/**
 * Sign a feed as its issuer: the Ed25519 signature with the issuer's own key (`issuerKey`, from
 * {@link loadIssuerKey}) proves who published it, the alliance MAC that an alliance member did.
 * Both cover the canonical JSON of every other field.
 */
export function signFeed(feed: UnsignedFeed, keys: AllianceKeys, issuerKey: KeyObject): Feed {
  const canonical = canonicalJson(feed);
  const signature = `ed25519:${signBytes(null, Buffer.from(canonical), issuerKey).toString('base64')}`;
  return { ...feed, signature, allianceMac: allianceMac(canonical, keys) };
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
 * Check a feed before anything of it is used, refusing it at the first failure: its format
 * (version 1 is refused: anyone in the alliance could sign it under any name); the alliance MAC
 * (compared in constant time: made by an alliance member, unchanged since); the issuer, which
 * must be listed in `members`; the issuer's Ed25519 signature, against the listed keys of that
 * issuer only (another member's key does not do); then the alliance key id, the shape of every
 * field, and the age. Returns the feed with expired indicators left out.
 */
export function verifyFeed(raw: unknown, keys: AllianceKeys, members: FeedMembers, options: VerifyOptions): Feed {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FeedRejectedError('not a feed: expected a JSON object');
  const { signature, allianceMac: mac, ...unsigned } = raw as Record<string, unknown>;
  if (unsigned.format === LEGACY_FEED_FORMAT) {
    throw new FeedRejectedError(
      `feed format ${LEGACY_FEED_FORMAT} is no longer accepted: it is signed with a key every alliance member holds, so it does not prove who issued it. ` +
        `Ask the issuer to export it again with its own signing key (${FEED_FORMAT}; sms-shield feed keygen).`,
    );
  }
  if (unsigned.format !== FEED_FORMAT) throw new FeedRejectedError(`not a feed of format ${FEED_FORMAT}`);
  if (typeof signature !== 'string' || typeof mac !== 'string') throw new FeedRejectedError('the feed is not signed');
  let canonical: string;
  try {
    canonical = canonicalJson(unsigned);
  } catch {
    throw new FeedRejectedError('the feed holds values that cannot be signed');
  }
  const a = Buffer.from(mac);
  const b = Buffer.from(allianceMac(canonical, keys));
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new FeedRejectedError('bad signature: the feed was changed after signing, or made with another alliance key');
  }
  const issuer = unsigned.issuer;
  const issuerKeys = typeof issuer === 'string' && ISSUER_PATTERN.test(issuer) ? members.get(issuer) : undefined;
  if (typeof issuer !== 'string' || !issuerKeys) {
    const name = typeof issuer === 'string' && ISSUER_PATTERN.test(issuer) ? `"${issuer}"` : 'with a malformed name';
    throw new FeedRejectedError(`unknown issuer ${name}: not in the members file`);
  }
  const signatureBytes = /^ed25519:[A-Za-z0-9+/]{86}==$/.test(signature) ? Buffer.from(signature.slice(8), 'base64') : undefined;
  const data = Buffer.from(canonical);
  if (!signatureBytes || !issuerKeys.some((key) => verifyBytes(null, data, key, signatureBytes))) {
    throw new FeedRejectedError(`bad signature: not signed with the key of ${issuer} (changed after signing, or signed by another member)`);
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
