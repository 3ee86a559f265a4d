import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/*
 * The construct runs at synth time, on a developer's machine or in CI, and must not load the
 * Lambda runtime's adapters or their dependencies (the GeoIP adapter pulls in `maxmind`). Each
 * probe imports modules in a fresh Node process whose loader hooks record every URL resolved
 * (test/infra/support/record-resolutions.mjs), and also reports the CommonJS modules loaded.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ROOT_URL = pathToFileURL(ROOT).href;
const HOOKS = fileURLToPath(new URL('./support/record-resolutions.mjs', import.meta.url));

/** Adapter modules the construct may import: data only, no runtime dependency. */
const ALLOWED_ADAPTER_MODULES = [
  // The table layouts (key names, indexes): plain objects, shared with local mode and tests.
  'lambdas/adapters/dynamo/schema.ts',
];

interface Loaded {
  /** Every URL the ESM loader resolved (project files as paths relative to the repo). */
  readonly resolved: readonly string[];
  /** Every module in the CommonJS cache at the end (absolute paths). */
  readonly required: readonly string[];
}

/** Import `modules` (repo-relative) in a fresh Node process and report what was loaded. */
async function load(modules: readonly string[]): Promise<Loaded> {
  const dir = mkdtempSync(join(tmpdir(), 'sms-shield-module-graph-'));
  const log = join(dir, 'resolved.txt');
  try {
    const script = [
      `for (const m of ${JSON.stringify(modules)}) await import(new URL(m, ${JSON.stringify(ROOT_URL)}).href);`,
      "const { createRequire } = await import('node:module');",
      'console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));',
    ].join('\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--import', pathToFileURL(HOOKS).href, '--input-type=module', '-e', script],
      { cwd: ROOT, env: { ...process.env, MODULE_GRAPH_LOG: log }, maxBuffer: 16 * 1024 * 1024 },
    );
    const resolved = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))].map((url) =>
      url.startsWith(ROOT_URL) ? url.slice(ROOT_URL.length) : url,
    );
    return { resolved, required: JSON.parse(stdout.trim().split('\n').at(-1)!) as string[] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const loadsMaxmind = ({ resolved, required }: Loaded) =>
  resolved.some((url) => url.includes('node_modules/maxmind/')) || required.some((file) => file.includes('/node_modules/maxmind/'));

describe('the CDK construct loads no runtime adapter', () => {
  const libModules = readdirSync(join(ROOT, 'lib'))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `lib/${file}`);

  it('imports lib/ without loading maxmind or any GeoIP adapter module', async () => {
    expect(libModules).toContain('lib/sms-shield.ts');
    const loaded = await load(libModules);
    expect(loaded.resolved).toContain('lib/sms-shield.ts');
    expect(loaded.resolved).toContain('lambdas/shared/geo-files.ts');
    expect(loadsMaxmind(loaded)).toBe(false);
    const adapters = loaded.resolved.filter((url) => url.startsWith('lambdas/adapters/'));
    expect(adapters.filter((url) => !ALLOWED_ADAPTER_MODULES.includes(url))).toEqual([]);
  }, 60_000);

  it('sees maxmind when the GeoIP adapter is imported (the probe works)', async () => {
    const loaded = await load(['lambdas/adapters/geo/geo-lookup.ts']);
    expect(loaded.resolved).toContain('lambdas/adapters/geo/geo-lookup.ts');
    expect(loadsMaxmind(loaded)).toBe(true);
  }, 60_000);
});
