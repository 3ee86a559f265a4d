import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GEO_LAYER_FILES } from '../../lambdas/shared/geo-files';
import { LAMBDA_BUNDLES } from '../../lambdas/shared/lambda-bundles';

/**
 * The construct as a user gets it: `npm pack` of this package, installed into a fresh CDK app
 * that has never seen the source tree, synthesized by plain Node (no tsx, no esbuild on the
 * PATH, no network). aws-cdk-lib and constructs are the app's own dependencies; offline, the app
 * links this checkout's copies instead of downloading them.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE_DIR = dirname(process.execPath);

let work: string;
let app: string;
let tarball: string;

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    // Only Node's own folder on the PATH: nothing from this repository's node_modules/.bin.
    env: { HOME: process.env.HOME, PATH: NODE_DIR, npm_config_cache: process.env.npm_config_cache, ...env },
  });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sms-shield-pack-'));
  // The Lambda bundles and the layer were built by the run's setup; the library and the CLI here.
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--only', 'lib,cli'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 }),
  ) as { filename: string }[];
  tarball = join(work, packed[0]!.filename);

  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'user-app', private: true, type: 'module' }));
  run(process.execPath, [npmCli(), 'install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', tarball], app);
  for (const peer of ['aws-cdk-lib', 'constructs']) symlinkSync(join(ROOT, 'node_modules', peer), join(app, 'node_modules', peer), 'dir');
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** npm's own CLI script, run with this Node: the test's PATH holds nothing else. */
function npmCli(): string {
  // `npm test` names it; otherwise follow the `npm` on the PATH this run was started with.
  const fromNpm = process.env.npm_execpath;
  if (fromNpm && existsSync(fromNpm) && /npm-cli\.js$/.test(fromNpm)) return fromNpm;
  const onPath = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
  const script = join(dirname(realpathSync(onPath)), 'npm-cli.js');
  if (!existsSync(script)) throw new Error(`npm-cli.js not found beside ${onPath}`);
  return script;
}

describe('the packed construct library', () => {
  it('ships compiled JS, declarations, the Lambda bundles, the layer data and the CLI, and no TypeScript source', () => {
    const listed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    const files = listed.map((entry) => entry.replace(/^package\//, ''));
    expect(files).toContain('dist/lib/index.js');
    expect(files).toContain('dist/lib/index.d.ts');
    for (const name of Object.keys(LAMBDA_BUNDLES)) expect(files).toContain(`dist/lambda/${name}/index.mjs`);
    expect(files).toContain('dist/cli/sms-shield.mjs');
    for (const geo of GEO_LAYER_FILES) expect(files).toContain(`dist/geo-layer/geo/${geo}`);
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.some((file) => file.startsWith('test/') || file.startsWith('lambdas/') || file.startsWith('lib/'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/sms-shield/package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'constructs']);
  });

  it('synthesizes in a fresh app with plain Node, from the prebuilt code', () => {
    writeFileSync(
      join(app, 'app.mjs'),
      [
        "import { App, Stack } from 'aws-cdk-lib';",
        "import { UserPool } from 'aws-cdk-lib/aws-cognito';",
        "import { SmsShield } from 'sms-shield';",
        "const app = new App({ outdir: 'cdk.out' });",
        "const stack = new Stack(app, 'UserApp', { env: { account: '111111111111', region: 'eu-west-1' } });",
        "const shield = new SmsShield(stack, 'Shield', { defaultMode: 'shadow' });",
        // Every prebuilt function: the Cognito sender and its feedback function too.
        "shield.addCognitoSmsSender('Cognito', { tenantId: 'user-app' }).protect(new UserPool(stack, 'Pool'));",
        'app.synth();',
      ].join('\n'),
    );
    run(process.execPath, ['app.mjs'], app);
    const out = join(app, 'cdk.out');
    const template = JSON.parse(readFileSync(join(out, 'UserApp.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: any }> };
    const resources = Object.values(template.Resources);

    const functions = resources.filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'index.handler');
    expect(functions).toHaveLength(Object.keys(LAMBDA_BUNDLES).length);
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      const asset = join(out, `asset.${basename(fn.Properties.Code.S3Key, '.zip')}`);
      expect(readdirSync(asset).sort()).toEqual(['index.mjs', 'index.mjs.LEGAL.txt']);
    }
    const layers = resources.filter((r) => r.Type === 'AWS::Lambda::LayerVersion');
    expect(layers).toHaveLength(1);
    const layerDir = join(out, `asset.${basename(layers[0]!.Properties.Content.S3Key, '.zip')}`, 'geo');
    expect(readdirSync(layerDir).sort()).toEqual([...GEO_LAYER_FILES].sort());
    for (const file of GEO_LAYER_FILES) expect(statSync(join(layerDir, file)).size).toBeGreaterThan(0);
    expect(resources.filter((r) => r.Type === 'AWS::DynamoDB::Table').length).toBeGreaterThanOrEqual(5);
    expect(resources.some((r) => r.Type === 'AWS::ApiGatewayV2::Api')).toBe(true);
    // The first admin key: a secret the template holds no value for, filled by the custom resource.
    const secrets = resources.filter((r) => r.Type === 'AWS::SecretsManager::Secret');
    expect(secrets.some((r) => /admin key/i.test(r.Properties.Description ?? ''))).toBe(true);
    expect(JSON.stringify(secrets)).not.toMatch(/ssk_/);
    expect(resources.filter((r) => r.Type === 'Custom::SmsShieldAdminKey')).toHaveLength(1);
  });

  it('type-checks a TypeScript app against the shipped declarations (NodeNext)', () => {
    writeFileSync(
      join(app, 'app.ts'),
      [
        "import { App, Stack } from 'aws-cdk-lib';",
        "import { SmsShield, type SmsShieldProps } from 'sms-shield';",
        "const props: SmsShieldProps = { defaultMode: 'shadow', memorySize: 512 };",
        "const shield = new SmsShield(new Stack(new App(), 'Typed'), 'Shield', props);",
        'const url: string = shield.url;',
        'void url;',
        '// @ts-expect-error: a typo in a prop is caught by the shipped types',
        "new SmsShield(new Stack(new App(), 'Typo'), 'Shield', { defaultMod: 'shadow' });",
      ].join('\n'),
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        files: ['app.ts'],
      }),
    );
    run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', app], app);
  });

  it('runs the compiled CLI from the package', () => {
    const version = run(process.execPath, [join(app, 'node_modules/.bin/sms-shield'), '--version'], app).trim();
    expect(version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
