import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Reason } from '../../lambdas/engine/reasons';
import { RULES } from '../../lambdas/engine/rules/index';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const table = readme.slice(readme.indexOf('### Reason codes'), readme.indexOf('## Policies and tuning'));

/** Codes named in the README table, expanding `BLOCKLISTED_NUMBER / _PREFIX / …` shorthand. */
function documentedCodes(): Set<string> {
  const codes = new Set<string>();
  for (const line of table.split('\n').filter((l) => l.startsWith('| `'))) {
    const cell = line.split('|')[1] ?? '';
    let stem = '';
    for (const [, code] of cell.matchAll(/`([A-Z_]+)`/g)) {
      if (!code) continue;
      if (code.startsWith('_')) codes.add(stem + code);
      else {
        codes.add(code);
        stem = code.slice(0, code.indexOf('_'));
      }
    }
  }
  return codes;
}

describe('README', () => {
  it('documents every reason code the engine can emit, and no other', () => {
    expect([...documentedCodes()].sort()).toEqual(Object.values(Reason).sort());
  });

  it('names every rule id in the reason table', () => {
    for (const rule of RULES) expect(table).toContain(`\`${rule.id}\``);
  });

  it('shows the quick-start and test commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
