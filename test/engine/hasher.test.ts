import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHasher } from '../../lambdas/engine/hasher';

describe('createHasher', () => {
  it('is HMAC-SHA256 truncated to 128 bits, base64url', () => {
    for (const secret of ['0123456789abcdef', 'k'.repeat(64), 'a much longer secret than one sha-256 block of sixty-four bytes, so it is hashed first']) {
      const h = createHasher(secret);
      for (const value of ['+447400123456', 'device:abc', '', 'ünïcödé', '😀 \ud800', 'x'.repeat(300), 'ü'.repeat(200), 'short again']) {
        expect(h(value)).toBe(createHmac('sha256', secret).update(value).digest().subarray(0, 16).toString('base64url'));
      }
    }
  });

  it('answers the same from its cache', () => {
    const h = createHasher('0123456789abcdef', 2);
    const first = ['a', 'b', 'c', 'd', 'a'].map(h);
    expect(first[4]).toBe(first[0]);
  });

  it('refuses a short secret', () => {
    expect(() => createHasher('short')).toThrow(/16 bytes/);
  });
});
