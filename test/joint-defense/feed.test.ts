import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  allianceKeys,
  canonicalJson,
  FEED_FORMAT,
  FeedRejectedError,
  generateIssuerKey,
  loadIssuerKey,
  parseMembers,
  publicKeyText,
  signFeed,
  verifyFeed,
  type UnsignedFeed,
} from '../../lambdas/joint-defense/feed';
import { T0 } from '../support/engine';

const SECRET = 'alliance-secret-for-tests-0123456789';
const keys = allianceKeys(SECRET);
// Each member has its own key pair; the alliance lists the public keys.
const acme = generateIssuerKey();
const mallory = generateIssuerKey(); // a member of the same alliance, who would like to speak for acme
const acmeKey = loadIssuerKey(acme.privateKeyPem);
const malloryKey = loadIssuerKey(mallory.privateKeyPem);
const members = parseMembers({ acme: acme.publicKey, mallory: mallory.publicKey });

const NOW_S = Math.floor(T0 / 1000);
const unsigned: UnsignedFeed = {
  format: FEED_FORMAT,
  issuer: 'acme',
  keyId: keys.keyId,
  issuedAt: new Date(T0).toISOString(),
  indicators: [
    { kind: 'number', value: keys.indicatorHasher('+447400123456'), reason: 'JOINT_DEFENSE_VICTIM', confidence: 0.9, evidence: 14, expiresAt: NOW_S + 900 },
    { kind: 'prefix', value: keys.indicatorHasher('range:+99890123'), reason: 'JOINT_DEFENSE_RANGE', confidence: 0.8, evidence: 7, expiresAt: NOW_S + 7200 },
    { kind: 'country', value: 'UZ', reason: 'JOINT_DEFENSE_COUNTRY', confidence: 0.75, evidence: 40, expiresAt: NOW_S - 1 },
  ],
};
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const verify = (feed: unknown, nowMs = T0) => verifyFeed(feed, keys, members, { nowMs });

describe('federation feed keys', () => {
  it('derives separate keys from one alliance secret, the same in every deployment', () => {
    const again = allianceKeys(SECRET);
    expect(again.keyId).toBe(keys.keyId);
    expect(again.indicatorHasher('+447400123456')).toBe(keys.indicatorHasher('+447400123456'));
    const other = allianceKeys('another-alliance-secret-0123456789');
    expect(other.keyId).not.toBe(keys.keyId);
    expect(other.indicatorHasher('+447400123456')).not.toBe(keys.indicatorHasher('+447400123456'));
    expect(keys.membershipKey.equals(Buffer.from(keys.keyId, 'hex'))).toBe(false);
    expect(() => allianceKeys('short')).toThrow(/16/);
  });

  it('generates Ed25519 issuer keys: PKCS#8 PEM to keep, base64 SPKI to share', () => {
    expect(acme.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(Buffer.from(acme.publicKey, 'base64')).toHaveLength(44);
    expect(acmeKey.asymmetricKeyType).toBe('ed25519');
    expect(publicKeyText(acmeKey)).toBe(acme.publicKey);
    expect(acme.publicKey).not.toBe(mallory.publicKey);
    // The private key is not in what is shared.
    const privateDer = acmeKey.export({ format: 'der', type: 'pkcs8' });
    expect(Buffer.from(acme.publicKey, 'base64').includes(privateDer.subarray(-32))).toBe(false);
  });

  it('refuses keys that are not Ed25519 private keys, without quoting them', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => loadIssuerKey(rsa)).toThrow(/Ed25519 key is needed, not rsa/);
    expect(() => loadIssuerKey('-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----\n')).toThrow('not a private key in PEM form');
    try {
      loadIssuerKey('-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----\n');
    } catch (error) {
      expect((error as Error).message).not.toContain('c2VjcmV0');
    }
  });

  it('reads a members file with base64 SPKI, raw 32-byte and PEM public keys, and several keys per member', () => {
    const acmeRaw = Buffer.from(acme.publicKey, 'base64').subarray(-32).toString('base64');
    const malloryPem = createPublicKey(malloryKey).export({ format: 'pem', type: 'spki' }).toString();
    const parsed = parseMembers({ acme: acmeRaw, mallory: [generateIssuerKey().publicKey, malloryPem] });
    expect(parsed.get('acme')?.map(publicKeyText)).toEqual([acme.publicKey]);
    expect(parsed.get('mallory')?.map(publicKeyText)[1]).toBe(mallory.publicKey);
    // A member rotating its key is accepted with either key while both are listed.
    expect(verifyFeed(signFeed({ ...unsigned, issuer: 'mallory' }, keys, malloryKey), keys, parsed, { nowMs: T0 }).issuer).toBe('mallory');
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', [], /expected a JSON object/],
    ['no members', {}, /lists no member/],
    ['a bad issuer name', { Acme: acme.publicKey }, /"Acme" is not an issuer name/],
    ['a key that is not base64', { acme: 'not a key!' }, /acme: not an Ed25519 public key/],
    [
      'a key of the wrong kind',
      { acme: generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64') },
      /acme: not an Ed25519 public key/,
    ],
    ['a key that is not a string', { acme: 42 }, /acme: expected a public key/],
    ['one key listed for two members', { acme: acme.publicKey, mallory: [mallory.publicKey, acme.publicKey] }, /acme and mallory are listed with the same key/],
    ['a private key instead of a public one', { acme: acme.privateKeyPem }, /acme: not an Ed25519 public key \(not base64\)/],
  ])('refuses a members file with %s', (_name, raw, message) => {
    expect(() => parseMembers(raw)).toThrow(message);
    expect(() => parseMembers(raw)).not.toThrow(acme.privateKeyPem.split('\n')[1]!.slice(0, 20));
  });
});

describe('federation feed', () => {
  it('signs canonical JSON: key order does not matter, and live indicators pass verification', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 'x' }], e: undefined })).toBe('{"a":[{"c":"x","d":2}],"b":1}');
    const feed = signFeed(unsigned, keys, acmeKey);
    expect(feed.format).toBe('sms-shield-feed/2');
    expect(feed.signature).toMatch(/^ed25519:[A-Za-z0-9+/]{86}==$/);
    expect(feed.allianceMac).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    const reordered = JSON.parse(
      JSON.stringify({
        allianceMac: feed.allianceMac,
        signature: feed.signature,
        indicators: feed.indicators,
        issuedAt: feed.issuedAt,
        keyId: feed.keyId,
        issuer: feed.issuer,
        format: feed.format,
      }),
    );
    const verified = verify(reordered, T0 + 60_000);
    // The expired indicator is left out.
    expect(verified.indicators.map((i) => i.kind)).toEqual(['number', 'prefix']);
    expect(verified.issuer).toBe('acme');
  });

  it("refuses a feed member B signed with its own key under another member's name", () => {
    // mallory holds the alliance key (valid MAC) and its own listed key, and claims to be acme.
    const forged = signFeed(unsigned, keys, malloryKey);
    expect(() => verify(forged)).toThrow(FeedRejectedError);
    expect(() => verify(forged)).toThrow(/bad signature: not signed with the key of acme/);
    // Signed as itself, mallory's feed is fine.
    expect(verify(signFeed({ ...unsigned, issuer: 'mallory' }, keys, malloryKey)).issuer).toBe('mallory');
  });

  it('refuses a feed of an issuer the members file does not list', () => {
    const stranger = loadIssuerKey(generateIssuerKey().privateKeyPem);
    expect(() => verify(signFeed({ ...unsigned, issuer: 'initech' }, keys, stranger))).toThrow(/unknown issuer "initech": not in the members file/);
    expect(() => verify(signFeed({ ...unsigned, issuer: 'initech' }, keys, acmeKey))).toThrow(/unknown issuer "initech"/);
  });

  it("refuses acme's feed renamed to mallory even when a member recomputes the alliance MAC", () => {
    const feed = copy(signFeed(unsigned, keys, acmeKey)) as Record<string, unknown>;
    feed.issuer = 'mallory';
    const { signature: _s, allianceMac: _m, ...rest } = feed;
    feed.allianceMac = `hmac-sha256:${createHmac('sha256', keys.membershipKey).update(canonicalJson(rest)).digest('hex')}`;
    expect(() => verify(feed)).toThrow(/bad signature: not signed with the key of mallory/);
  });

  it.each<[string, (feed: Record<string, any>) => void, RegExp]>([
    ['a changed indicator value', (f) => (f.indicators[0].value = keys.indicatorHasher('+447400999999')), /bad signature/],
    ['a raised confidence', (f) => (f.indicators[1].confidence = 1), /bad signature/],
    ['a later expiry', (f) => (f.indicators[0].expiresAt += 86_400), /bad signature/],
    ['an added indicator', (f) => f.indicators.push({ ...f.indicators[0], value: 'x'.repeat(22) }), /bad signature/],
    ['a changed issuer', (f) => (f.issuer = 'mallory'), /bad signature/],
    [
      'a changed signature byte',
      (f) => (f.signature = f.signature.replace(/^ed25519:(.)/, (_: string, c: string) => `ed25519:${c === 'A' ? 'B' : 'A'}`)),
      /bad signature: not signed with the key of acme/,
    ],
    ['a signature of the wrong length', (f) => (f.signature = 'ed25519:AAAA'), /bad signature/],
    ['a missing signature', (f) => delete f.signature, /not signed/],
    ['a missing alliance MAC', (f) => delete f.allianceMac, /not signed/],
    ['a missing format', (f) => delete f.format, /not a feed of format sms-shield-feed\/2/],
  ])('rejects a feed with %s', (_name, tamper, message) => {
    const feed = copy(signFeed(unsigned, keys, acmeKey)) as Record<string, any>;
    tamper(feed);
    expect(() => verify(feed)).toThrow(FeedRejectedError);
    expect(() => verify(feed)).toThrow(message);
  });

  it('rejects every single-byte change of the feed file', () => {
    const text = JSON.stringify(signFeed(unsigned, keys, acmeKey));
    let refused = 0;
    for (let i = 0; i < text.length; i += 7) {
      const changed = text.slice(0, i) + (text[i] === 'a' ? 'b' : 'a') + text.slice(i + 1);
      let parsed: unknown;
      try {
        parsed = JSON.parse(changed);
      } catch {
        refused++;
        continue; // no longer JSON: refused before verification
      }
      expect(() => verify(parsed), `byte ${i}`).toThrow(FeedRejectedError);
      refused++;
    }
    expect(refused).toBeGreaterThan(100);
  });

  it('refuses version 1 feeds (HMAC with the shared key only) with a clear message', () => {
    const v1 = { ...unsigned, format: 'sms-shield-feed/1' };
    const legacy = { ...v1, signature: `hmac-sha256:${createHmac('sha256', keys.membershipKey).update(canonicalJson(v1)).digest('hex')}` };
    expect(() => verify(legacy)).toThrow(FeedRejectedError);
    expect(() => verify(legacy)).toThrow(/sms-shield-feed\/1 is no longer accepted: .* does not prove who issued it/);
    expect(() => verify(legacy)).toThrow(/sms-shield feed keygen/);
  });

  it('rejects a feed of another alliance, an old feed, and well-signed nonsense', () => {
    const other = allianceKeys('another-alliance-secret-0123456789');
    expect(() => verify(signFeed({ ...unsigned, keyId: other.keyId }, other, acmeKey))).toThrow(/bad signature: .*another alliance key/);
    expect(() => verify(signFeed(unsigned, keys, acmeKey), T0 + 8 * 86_400_000)).toThrow(/too old/);
    expect(() => verify(signFeed(unsigned, keys, acmeKey), T0 - 3_600_000)).toThrow(/future/);
    const wrongReason = { ...unsigned, indicators: [{ ...unsigned.indicators[0]!, reason: 'JOINT_DEFENSE_RANGE' as const }] };
    expect(() => verify(signFeed(wrongReason, keys, acmeKey))).toThrow(/malformed feed: indicators.0.reason/);
    const plainNumber = { ...unsigned, indicators: [{ ...unsigned.indicators[0]!, value: '+447400123456' }] };
    expect(() => verify(signFeed(plainNumber, keys, acmeKey))).toThrow(/malformed feed: indicators.0.value/);
    expect(() => verify(signFeed({ ...unsigned, keyId: 'abcdef0123456789' }, keys, acmeKey))).toThrow(/for alliance key abcdef0123456789/);
    expect(() => verify([])).toThrow(/not a feed/);
  });

  it('puts no private key material in the feed', () => {
    const text = JSON.stringify(signFeed(unsigned, keys, acmeKey));
    const privateDer = acmeKey.export({ format: 'der', type: 'pkcs8' });
    expect(text).not.toContain(privateDer.subarray(-32).toString('base64').slice(0, 20));
    expect(text).not.toContain(acme.privateKeyPem.split('\n')[1]);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(keys.membershipKey.toString('hex'));
  });
});
