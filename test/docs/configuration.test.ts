import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/configuration.md lists every SMS_SHIELD_* and PORT variable the code reads, and no other.
// "Reads" is found in the sources: `process.env.NAME`, or the name as a string literal (the ENV
// constants shared by the construct and the handlers, commander's `.env('NAME')`, `process.env[…]`).

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where code that reads variables lives: runtime, construct, entry points, tools, and the test set-up. */
const SOURCES = ['lambdas', 'lib', 'bin', 'sdk', 'scripts', 'bench', 'clients', 'client', 'test/support', 'vitest.config.ts'];
const SKIP = new Set(['node_modules', 'dist', 'cdk.out', '__snapshots__']);
const READ = /(?:process\.env\.|['"`])(SMS_SHIELD_[A-Z0-9_]+|PORT)\b/g;
const DOCUMENTED = /^\| `(SMS_SHIELD_[A-Z0-9_]+|PORT)` \|/gm;

function sourceFiles(path: string): string[] {
  const full = join(ROOT, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return /\.(?:[cm]?[jt]s)$/.test(full) ? [full] : [];
  return readdirSync(full).flatMap((name) => (SKIP.has(name) ? [] : sourceFiles(join(path, name))));
}

/** Variable → the files that read it. */
function variablesRead(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of SOURCES.flatMap(sourceFiles)) {
    for (const [, name] of readFileSync(file, 'utf8').matchAll(READ)) {
      const files = found.get(name!) ?? [];
      const rel = relative(ROOT, file);
      if (!files.includes(rel)) files.push(rel);
      found.set(name!, files);
    }
  }
  return found;
}

const doc = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
const documented = new Set([...doc.matchAll(DOCUMENTED)].map((m) => m[1]!));

describe('docs/configuration.md', () => {
  const read = variablesRead();

  it('finds the variables the code reads (the scan works)', () => {
    for (const name of ['PORT', 'SMS_SHIELD_URL', 'SMS_SHIELD_ADMIN_KEY', 'SMS_SHIELD_COUNTERS_TABLE', 'SMS_SHIELD_GEO_DIR', 'SMS_SHIELD_TESTS']) {
      expect(read.has(name), name).toBe(true);
    }
  });

  it('lists, in a table row of its own, every variable the code reads', () => {
    const missing = [...read].filter(([name]) => !documented.has(name)).map(([name, files]) => `${name} (read in ${files.join(', ')})`);
    expect(missing, 'add a row to docs/configuration.md for each').toEqual([]);
  });

  it('lists no variable that nothing reads', () => {
    expect([...documented].filter((name) => !read.has(name))).toEqual([]);
  });

  it('names in prose only variables it lists', () => {
    const mentioned = new Set([...doc.matchAll(/`(SMS_SHIELD_[A-Z0-9_]+)/g)].map((m) => m[1]!));
    expect([...mentioned].filter((name) => !documented.has(name))).toEqual([]);
  });
});
