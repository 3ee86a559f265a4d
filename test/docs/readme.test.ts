import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REASON_DESCRIPTIONS } from '../../lambdas/engine/reason-descriptions';
import { Reason } from '../../lambdas/domain/reasons';
import { RULES } from '../../lambdas/engine/rules/index';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const table = readme.slice(readme.indexOf('### Reason codes'), readme.indexOf('## Policies and tuning'));

/** Codes named in the README table with their meaning, expanding `BLOCKLISTED_NUMBER / _PREFIX / …` shorthand. */
function documentedMeanings(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const line of table.split('\n').filter((l) => l.startsWith('| `'))) {
    const cells = line.split('|').map((c) => c.trim());
    const meaning = (cells[3] ?? '').replace(/`/g, '');
    let stem = '';
    for (const [, code] of (cells[1] ?? '').matchAll(/`([A-Z0-9_]+)`/g)) {
      if (!code) continue;
      if (code.startsWith('_')) codes.set(stem + code, meaning);
      else {
        codes.set(code, meaning);
        stem = code.slice(0, code.indexOf('_'));
      }
    }
  }
  return codes;
}
const documentedCodes = () => new Set(documentedMeanings().keys());

describe('README', () => {
  it('documents every reason code the engine can emit, and no other', () => {
    expect([...documentedCodes()].sort()).toEqual(Object.values(Reason).sort());
  });

  it('says what each code means in the same words as REASON_DESCRIPTIONS (reports show those)', () => {
    expect(Object.fromEntries(documentedMeanings())).toEqual(REASON_DESCRIPTIONS);
  });

  it('names every rule id in the reason table', () => {
    for (const rule of RULES) expect(table).toContain(`\`${rule.id}\``);
  });

  it('shows the quick-start and test commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });

  it('puts every inline script that awaits at the top level in a module script', () => {
    const scripts = [...readme.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].filter(([, , body]) => (body ?? '').trim() !== '');
    expect(scripts.length).toBeGreaterThan(0);
    for (const [tag, attributes, body] of scripts) {
      // Top-level await is a syntax error in a classic script: the whole snippet would never run.
      if (/^\s*(const|let|var)?[^\n]*\bawait\b/m.test(body ?? '')) expect(attributes, tag).toContain('type="module"');
    }
  });
});
