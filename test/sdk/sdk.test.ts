import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createChallenge } from 'altcha-lib/v1';
import { describe, expect, it } from 'vitest';
import { buildSdk } from '../../sdk/build';
import { platformMismatch } from '../../sdk/platform';
import { searchRange, sha256Hex } from '../../sdk/pow';
import { solveChallenge } from '../../lambdas/challenge/solve';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('SDK proof-of-work search', () => {
  it('hashes like node:crypto at every length around the block boundaries', () => {
    for (const length of [0, 1, 31, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 300]) {
      const text = 'salt?expires=1&'.repeat(30).slice(0, length);
      expect(sha256Hex(text), `length ${length}`).toBe(createHash('sha256').update(text).digest('hex'));
    }
    expect(sha256Hex('prix €')).toBe(createHash('sha256').update('prix €').digest('hex'));
  });

  it('finds the number altcha-lib hid, also by stride, and reports null when a range holds none', async () => {
    const c = await createChallenge({ hmacKey: 'k'.repeat(16), number: 4_321, maxnumber: 10_000, params: { tenant: 'shop' } });
    expect(searchRange({ challenge: c.challenge, salt: c.salt, start: 0, end: 10_000 })).toBe(4_321);
    const strides = [0, 1, 2].map((start) => searchRange({ challenge: c.challenge, salt: c.salt, start, end: 10_000, step: 3 }));
    expect(strides.filter((n) => n !== null)).toEqual([4_321]);
    expect(searchRange({ challenge: c.challenge, salt: c.salt, start: 0, end: 4_320 })).toBeNull();
    expect(() => searchRange({ challenge: 'nothex', salt: c.salt, start: 0, end: 1 })).toThrow(/64 lowercase hex/);
  });

  it('solves with the Node reference solver into the payload the API accepts', async () => {
    const c = await createChallenge({ hmacKey: 'k'.repeat(16), number: 77, maxnumber: 1_000 });
    const solved = solveChallenge({ ...c, maxnumber: c.maxnumber ?? 1_000 });
    expect(solved?.number).toBe(77);
    expect(JSON.parse(Buffer.from(solved!.solution, 'base64').toString('utf8'))).toEqual({
      algorithm: 'SHA-256',
      challenge: c.challenge,
      number: 77,
      salt: c.salt,
      signature: c.signature,
    });
  });
});

describe('SDK automation markers', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36', 'Win32', false],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15', 'MacIntel', false],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148', 'iPhone', false],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36', 'Linux armv81', false],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36', 'Linux x86_64', false],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36', '', false],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36', 'Linux x86_64', true],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148', 'Win32', true],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36', 'Win32', true],
  ])('platform mismatch of %s on %j is %s', (ua, platform, expected) => {
    expect(platformMismatch(ua, platform)).toBe(expected);
  });
});

describe('SDK bundle', () => {
  it('is one file under 30 KB gzipped that defines window.SmsShield.protect and carries the FingerprintJS licence', async () => {
    const bundle = await buildSdk();
    console.log(`sdk.js: ${bundle.bytes} bytes, ${bundle.gzipBytes} bytes gzipped`);
    expect(bundle.gzipBytes).toBeLessThanOrEqual(30 * 1024);
    expect(bundle.code).toMatch(/^\/\*! SMS Shield browser SDK/);
    expect(bundle.code).toContain('Copyright (c) 2025 FingerprintJS, Inc');
    expect(bundle.code).toMatch(/var SmsShield\s*=/);
    // FingerprintJS is loaded with its statistics request off: no third-party host is contacted.
    expect(bundle.code).toContain('monitoring:!1');
  });

  it('type-checks with the DOM library (its own tsconfig)', async () => {
    const tsc = fileURLToPath(new URL('../../node_modules/.bin/tsc', import.meta.url));
    await expect(promisify(execFile)(tsc, ['--noEmit', '-p', 'sdk/tsconfig.json'], { cwd: root, timeout: 60_000 })).resolves.toBeDefined();
  });
});
