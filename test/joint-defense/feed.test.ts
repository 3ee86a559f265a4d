import { describe, expect, it } from 'vitest';
import { allianceKeys, canonicalJson, FEED_FORMAT, FeedRejectedError, signFeed, verifyFeed, type UnsignedFeed } from '../../lambdas/joint-defense/feed';
import { T0 } from '../support/engine';

const keys = allianceKeys('alliance-secret-for-tests-0123456789');
const NOW_S = Math.floor(T0 / 1000);
const unsigned: UnsignedFeed = {
  format: FEED_FORMAT,
  issuer: 'alpha',
  keyId: keys.keyId,
  issuedAt: new Date(T0).toISOString(),
  indicators: [
    { kind: 'number', value: keys.indicatorHasher('+447400123456'), reason: 'JOINT_DEFENSE_VICTIM', confidence: 0.9, evidence: 14, expiresAt: NOW_S + 900 },
    { kind: 'prefix', value: keys.indicatorHasher('range:+99890123'), reason: 'JOINT_DEFENSE_RANGE', confidence: 0.8, evidence: 7, expiresAt: NOW_S + 7200 },
    { kind: 'country', value: 'UZ', reason: 'JOINT_DEFENSE_COUNTRY', confidence: 0.75, evidence: 40, expiresAt: NOW_S - 1 },
  ],
};

describe('federation feed', () => {
  it('derives separate keys from one alliance secret, the same in every deployment', () => {
    const again = allianceKeys('alliance-secret-for-tests-0123456789');
    expect(again.keyId).toBe(keys.keyId);
    expect(again.indicatorHasher('+447400123456')).toBe(keys.indicatorHasher('+447400123456'));
    const other = allianceKeys('another-alliance-secret-0123456789');
    expect(other.keyId).not.toBe(keys.keyId);
    expect(other.indicatorHasher('+447400123456')).not.toBe(keys.indicatorHasher('+447400123456'));
    expect(keys.signingKey.equals(Buffer.from(keys.keyId, 'hex'))).toBe(false);
    expect(() => allianceKeys('short')).toThrow(/16/);
  });

  it('signs canonical JSON: key order does not matter, and live indicators pass verification', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 'x' }], e: undefined })).toBe('{"a":[{"c":"x","d":2}],"b":1}');
    const feed = signFeed(unsigned, keys);
    expect(feed.signature).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    const reordered = JSON.parse(JSON.stringify({ signature: feed.signature, indicators: feed.indicators, issuedAt: feed.issuedAt, keyId: feed.keyId, issuer: feed.issuer, format: feed.format }));
    const verified = verifyFeed(reordered, keys, { nowMs: T0 + 60_000 });
    // The expired indicator is left out.
    expect(verified.indicators.map((i) => i.kind)).toEqual(['number', 'prefix']);
  });

  it.each<[string, (feed: Record<string, any>) => void, RegExp]>([
    ['a changed indicator value', (f) => (f.indicators[0].value = keys.indicatorHasher('+447400999999')), /bad signature/],
    ['a raised confidence', (f) => (f.indicators[1].confidence = 1), /bad signature/],
    ['an added indicator', (f) => f.indicators.push({ ...f.indicators[0], value: 'x'.repeat(22) }), /bad signature/],
    ['a changed issuer', (f) => (f.issuer = 'mallory'), /bad signature/],
    ['a missing signature', (f) => delete f.signature, /not signed/],
  ])('rejects a feed with %s', (_name, tamper, message) => {
    const feed = JSON.parse(JSON.stringify(signFeed(unsigned, keys))) as Record<string, any>;
    tamper(feed);
    expect(() => verifyFeed(feed, keys, { nowMs: T0 })).toThrow(FeedRejectedError);
    expect(() => verifyFeed(feed, keys, { nowMs: T0 })).toThrow(message);
  });

  it('rejects a feed signed with another alliance key, an old feed, and well-signed nonsense', () => {
    const other = allianceKeys('another-alliance-secret-0123456789');
    expect(() => verifyFeed(signFeed(unsigned, other), keys, { nowMs: T0 })).toThrow(/bad signature/);
    expect(() => verifyFeed(signFeed(unsigned, keys), keys, { nowMs: T0 + 8 * 86_400_000 })).toThrow(/too old/);
    expect(() => verifyFeed(signFeed(unsigned, keys), keys, { nowMs: T0 - 3_600_000 })).toThrow(/future/);
    const wrongReason = { ...unsigned, indicators: [{ ...unsigned.indicators[0]!, reason: 'JOINT_DEFENSE_RANGE' as const }] };
    expect(() => verifyFeed(signFeed(wrongReason, keys), keys, { nowMs: T0 })).toThrow(/malformed feed: indicators.0.reason/);
    const plainNumber = { ...unsigned, indicators: [{ ...unsigned.indicators[0]!, value: '+447400123456' }] };
    expect(() => verifyFeed(signFeed(plainNumber, keys), keys, { nowMs: T0 })).toThrow(/malformed feed: indicators.0.value/);
    expect(() => verifyFeed([], keys, { nowMs: T0 })).toThrow(/not a feed/);
  });
});
