import { fileURLToPath } from 'node:url';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** Entry of the API function (HTTP API handler). */
export const API_ENTRY = fileURLToPath(new URL('../lambdas/handlers/api.ts', import.meta.url));
/** Entry of the scheduled joint-defense job. */
export const JOINT_DEFENSE_ENTRY = fileURLToPath(new URL('../lambdas/handlers/joint-defense-job.ts', import.meta.url));
/** Entry of the admin-key bootstrap (custom resource handler). */
export const ADMIN_KEY_BOOTSTRAP_ENTRY = fileURLToPath(new URL('../lambdas/handlers/admin-key-bootstrap.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOCK_FILE = fileURLToPath(new URL('../package-lock.json', import.meta.url));
// ESM bundles still contain CommonJS dependencies that call `require`; the alias avoids
// clashing with a `createRequire` import the bundle itself may hoist.
const ESM_REQUIRE_BANNER =
  "import { createRequire as __smsShieldCreateRequire } from 'node:module'; const require = __smsShieldCreateRequire(import.meta.url);";

/** How both functions are bundled: minified ESM for Node 22, the AWS SDK left to the runtime. */
export const LAMBDA_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  banner: ESM_REQUIRE_BANNER,
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  target: 'node22',
  externalModules: ['@aws-sdk/*'],
};

/** What both functions share: the entry's `handler`, Node.js 22 on arm64, the bundling above. */
export function nodeFunctionDefaults(entry: string) {
  return {
    entry,
    handler: 'handler',
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: LOCK_FILE,
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    bundling: LAMBDA_BUNDLING,
  } satisfies NodejsFunctionProps;
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
