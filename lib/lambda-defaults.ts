import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, type FunctionProps, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LAMBDA_BUNDLES, LAMBDA_HANDLER, type LambdaBundleName } from '../lambdas/shared/lambda-bundles.js';

/**
 * The build output (`dist/`): `lib/../dist` when the construct runs from its TypeScript sources
 * (this repository), `dist/lib/..` when it runs compiled from the installed package.
 */
export function buildOutputDir(): string {
  const candidates = [fileURLToPath(new URL('../dist', import.meta.url)), fileURLToPath(new URL('..', import.meta.url))];
  const found = candidates.find((dir) => existsSync(join(dir, 'lambda')));
  if (found === undefined) {
    throw new Error('SmsShield needs its prebuilt Lambda code (dist/lambda): run `npm run build` in the sms-shield package');
  }
  return found;
}

/**
 * What every function of the shield shares: its prebuilt bundle as code (`dist/lambda/<name>`,
 * minified ESM for Node.js 22 with the AWS SDK left to the runtime), its `handler` export,
 * Node.js 22 on arm64. Source maps stay out of the asset, and off at run time, unless asked for.
 */
export function prebuiltFunctionDefaults(name: LambdaBundleName, sourceMaps: boolean) {
  const dir = join(buildOutputDir(), 'lambda', name);
  if (!existsSync(join(dir, 'index.mjs'))) {
    throw new Error(`SmsShield: ${dir} has no index.mjs (bundle of ${LAMBDA_BUNDLES[name]}): run \`npm run build\``);
  }
  return {
    code: Code.fromAsset(dir, sourceMaps ? {} : { exclude: ['*.map'] }),
    handler: LAMBDA_HANDLER,
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    environment: (sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}) as Record<string, string>,
  } satisfies Partial<FunctionProps>;
}

/**
 * A function's own role and log group, instead of AWSLambdaBasicExecutionRole: the role may write
 * to that log group only. Grants for the function's work are added by the caller.
 */
export function buildFunctionRole(
  scope: Construct,
  ids: { readonly role: string; readonly logGroup: string },
  description: string,
  logRetention: RetentionDays,
  removalPolicy: RemovalPolicy,
): { role: Role; logGroup: LogGroup } {
  const role = new Role(scope, ids.role, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description });
  const logGroup = new LogGroup(scope, ids.logGroup, { retention: logRetention, removalPolicy });
  logGroup.grantWrite(role);
  return { role, logGroup };
}
