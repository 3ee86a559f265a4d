/**
 * `npm run build`: everything the published package runs from, into `dist/`.
 *
 * - `dist/lambda/<name>/index.mjs` (+ `.map`): each Lambda function, bundled with esbuild once
 *   here, so a `cdk synth` in any app needs no esbuild, Docker or source tree;
 * - `dist/geo-layer/geo/`: the GeoIP files of the Lambda layer (and of the compiled CLI);
 * - `dist/cli/sms-shield.mjs`: the CLI as one ES module (starts in plain Node, no TypeScript loader);
 * - `dist/lib/`: the construct library as ES modules with `.d.ts` (`tsc -p tsconfig.build.json`).
 *
 * `--only lambdas,geo,cli,lib` builds a subset (the test run builds what it synthesizes from).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { GEO_LAYER_BUILD_DIR, LAMBDA_BUNDLES } from '../lambdas/shared/lambda-bundles';
import { LAYER_GEO_DIR, resolveGeoDataFiles } from '../lambdas/shared/geo-files';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');

// ESM bundles still contain CommonJS dependencies that call `require`; the alias avoids
// clashing with a `createRequire` import the bundle itself may hoist.
const REQUIRE_BANNER = "import { createRequire as __smsShieldCreateRequire } from 'node:module'; const require = __smsShieldCreateRequire(import.meta.url);";

const NODE_ESM: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: { js: REQUIRE_BANNER },
  legalComments: 'linked',
  logLevel: 'warning',
};

const STEPS = {
  /** Minified ESM for Node 22 with source maps; the AWS SDK v3 is left to the Lambda runtime. */
  async lambdas(): Promise<void> {
    for (const [name, entry] of Object.entries(LAMBDA_BUNDLES)) {
      const outdir = join(DIST, 'lambda', name);
      rmSync(outdir, { recursive: true, force: true });
      await build({
        ...NODE_ESM,
        entryPoints: [join(ROOT, entry)],
        outfile: join(outdir, 'index.mjs'),
        minify: true,
        sourcemap: true,
        external: ['@aws-sdk/*'],
      });
    }
  },
  /** The layer's files, copied as they are (the data is licensed CC0 / as in data/geo/README.md). */
  async geo(): Promise<void> {
    const target = join(DIST, GEO_LAYER_BUILD_DIR, LAYER_GEO_DIR);
    rmSync(join(DIST, GEO_LAYER_BUILD_DIR), { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    for (const file of Object.values(resolveGeoDataFiles())) copyFileSync(file, join(target, basename(file)));
  },
  /** Every dependency inlined, so the installed package needs none of them. */
  async cli(): Promise<void> {
    rmSync(join(DIST, 'cli'), { recursive: true, force: true });
    await build({ ...NODE_ESM, entryPoints: [join(ROOT, 'lambdas/cli/main.ts')], outfile: join(DIST, 'cli', 'sms-shield.mjs'), minify: false });
  },
  async lib(): Promise<void> {
    rmSync(join(DIST, 'lib'), { recursive: true, force: true });
    rmSync(join(DIST, 'lambdas'), { recursive: true, force: true });
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  },
} as const;

type Step = keyof typeof STEPS;

function requestedSteps(argv: readonly string[]): Step[] {
  const at = argv.indexOf('--only');
  if (at === -1) return Object.keys(STEPS) as Step[];
  const names = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((name) => !(name in STEPS));
  if (names.length === 0 || unknown.length > 0) throw new Error(`--only takes a comma-separated list of ${Object.keys(STEPS).join(', ')}`);
  return names as Step[];
}

const started = Date.now();
const steps = requestedSteps(process.argv.slice(2));
for (const step of steps) await STEPS[step]();
console.log(`build: ${steps.join(', ')} → dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
