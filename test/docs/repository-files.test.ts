import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** SHA-256 of https://www.apache.org/licenses/LICENSE-2.0.txt, the Apache License 2.0 as published. */
const APACHE_2_0_SHA256 = 'cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30';
const COPYRIGHT = '   Copyright 2026 The SMS Shield authors';

describe('LICENSE', () => {
  const license = read('LICENSE');

  it('is the Apache License 2.0 word for word, with our name only in the appendix placeholder', () => {
    expect(license.split('\n').filter((line) => line === COPYRIGHT)).toHaveLength(1);
    expect(license.indexOf(COPYRIGHT)).toBeGreaterThan(license.indexOf('APPENDIX: How to apply the Apache License to your work.'));
    const template = license.replace(COPYRIGHT, '   Copyright [yyyy] [name of copyright owner]');
    expect(createHash('sha256').update(template).digest('hex')).toBe(APACHE_2_0_SHA256);
  });

  it('agrees with package.json', () => {
    expect(JSON.parse(read('package.json')).license).toBe('Apache-2.0');
  });
});

describe('CHANGELOG.md', () => {
  const changelog = read('CHANGELOG.md');
  const headings = [...changelog.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);

  it('keeps an Unreleased section first, then releases newest first with their dates', () => {
    expect(headings[0]).toBe('[Unreleased]');
    const releases = headings.slice(1).map((h) => /^\[(\d+)\.(\d+)\.(\d+)\] - (\d{4}-\d{2}-\d{2})$/.exec(h));
    expect(releases.every(Boolean), headings.join('\n')).toBe(true);
    const versions = releases.map((m) => [Number(m![1]), Number(m![2]), Number(m![3])]);
    const sorted = [...versions].sort((a, b) => b[0]! - a[0]! || b[1]! - a[1]! || b[2]! - a[2]!);
    expect(versions).toEqual(sorted);
  });

  it("has an entry for package.json's version", () => {
    expect(headings).toContainEqual(expect.stringMatching(new RegExp(`^\\[${JSON.parse(read('package.json')).version.replaceAll('.', '\\.')}\\] - `)));
  });

  it('uses only the Keep a Changelog kinds of change', () => {
    for (const [, kind] of changelog.matchAll(/^### (.+)$/gm)) expect(['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security']).toContain(kind);
  });
});

describe('SECURITY.md', () => {
  const policy = read('SECURITY.md');

  it('sends reports to private vulnerability reporting, never to public issues', () => {
    expect(policy).toContain('Report a vulnerability');
    expect(policy).toContain('/security/advisories/new');
    expect(policy).toMatch(/Do not open a public issue/);
  });

  it('states supported versions, response times, scope and safe harbour', () => {
    for (const heading of ['## Supported versions', '## What we commit to', '## Scope', '## Safe harbour']) expect(policy).toContain(heading);
  });
});
