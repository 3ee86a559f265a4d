import { networkInterfaces } from 'node:os';
import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, JavaNotFoundError, startDynamoDbLocal } from './dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local endpoint for this run; empty when `SMS_SHIELD_NO_DYNAMODB_LOCAL=1`. */
    dynamoEndpoint: string;
  }
}

/** Starts DynamoDB Local once for the whole run and hands its endpoint to the test files. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.SMS_SHIELD_NO_DYNAMODB_LOCAL === '1') {
    project.provide('dynamoEndpoint', '');
    return undefined;
  }
  warnIfReachable();
  const started = Date.now();
  let local: DynamoDbLocal;
  try {
    local = await startDynamoDbLocal();
  } catch (error) {
    if (error instanceof JavaNotFoundError) {
      throw new Error(
        `${error.message}. Install one (\`.ci/run\` installs default-jre-headless), ` +
          'or set SMS_SHIELD_NO_DYNAMODB_LOCAL=1 to skip the DynamoDB Local suites.',
        { cause: error },
      );
    }
    throw error;
  }
  if (process.env.SMS_SHIELD_DEBUG_SETUP === '1') {
    console.log(`DynamoDB Local on ${local.endpoint} after ${Date.now() - started} ms`);
  }
  project.provide('dynamoEndpoint', local.endpoint);
  return () => local.stop();
}

/** DynamoDB Local binds every interface: say so when the run is not in a loopback-only namespace. */
function warnIfReachable(): void {
  const exposed = Object.entries(networkInterfaces())
    .filter(([, addresses]) => addresses?.some((address) => !address.internal))
    .map(([name]) => name);
  if (exposed.length > 0) {
    console.warn(
      `WARNING: DynamoDB Local will listen on every interface (${exposed.join(', ')}); ` +
        'run the tests through test/support/loopback-only.sh (npm test does) to keep it private.',
    );
  }
}
