import { defineConfig } from 'vitest/config';

/**
 * Tests that need more than the process: DynamoDB Local or dynalite, a Chromium, servers on
 * 127.0.0.1, or npm (the client package's pack and offline install). `npm run test:unit` runs
 * everything else (no Java, no browser, no sockets); `npm run test:integration` runs these;
 * `npm test` runs both.
 */
const INTEGRATION = [
  'test/e2e/**/*.test.ts',
  'test/adapters/*.contract.test.ts',
  'test/adapters/dynamo-wave.test.ts',
  'test/adapters/sns-sms-sender.test.ts',
  'test/audit/audit.test.ts',
  'test/bench/latency-proxy.test.ts',
  'test/clients/package.test.ts',
  'test/clients/routes.test.ts',
  'test/clients/sns-shield.test.ts',
  'test/joint-defense/feed-cli.test.ts',
  // Not a socket, but minutes of CPU: 2,000,000 verdict events through the joint-defense job.
  'test/joint-defense/scale.test.ts',
  'test/package/*.test.ts',
  'test/replay/report-html.test.ts',
  'test/service/hot-key.test.ts',
  'test/service/otp-race.test.ts',
  'test/service/store-faults.test.ts',
];

/** `SMS_SHIELD_TESTS=unit` or `integration` picks one half; unset, the whole suite. */
const half = process.env.SMS_SHIELD_TESTS;
if (half !== undefined && half !== 'unit' && half !== 'integration') throw new Error(`SMS_SHIELD_TESTS must be unit or integration, not "${half}"`);

export default defineConfig({
  test: {
    include: half === 'integration' ? INTEGRATION : ['test/**/*.test.ts'],
    exclude: half === 'unit' ? ['**/node_modules/**', ...INTEGRATION] : ['**/node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The SDK's notice about Node < 22 support after 2027 is not a test result.
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // Unit tests never reach DynamoDB Local, so the run does not start it.
      ...(half === 'unit' ? { SMS_SHIELD_NO_DYNAMODB_LOCAL: '1' } : {}),
    },
    globalSetup: ['test/support/build-setup.ts', ...(half === 'unit' ? [] : ['test/support/global-setup.ts'])],
    coverage: {
      provider: 'v8',
      include: ['lambdas/domain/**', 'lambdas/engine/**'],
      reporter: ['text-summary', 'text'],
      // `npm run test:coverage` (in CI) fails below these: the engine is what decides.
      thresholds: { lines: 90, statements: 90, functions: 90, branches: 85 },
    },
  },
});
