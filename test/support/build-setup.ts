import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Builds what the construct deploys (the Lambda bundles and the GeoIP layer, into dist/) once per
 * run, from the sources under test: template tests synthesize from the same prebuilt folders a
 * user's app does, and never from a stale build.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--only', 'lambdas,geo'], { cwd: root, stdio: 'inherit' });
}
