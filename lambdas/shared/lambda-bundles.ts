/**
 * The Lambda functions the package ships prebuilt, by name. `npm run build` bundles each entry
 * into `dist/lambda/<name>/index.mjs`; the construct deploys that folder as the function's code,
 * so synth needs neither esbuild nor the source tree. Node built-ins only.
 */
export const LAMBDA_BUNDLES = {
  /** The HTTP API handler. */
  api: 'lambdas/handlers/api.ts',
  /** The scheduled joint-defense job. */
  'joint-defense-job': 'lambdas/handlers/joint-defense-job.ts',
  /** The custom resource that issues a deployment's first admin key. */
  'admin-key-bootstrap': 'lambdas/handlers/admin-key-bootstrap.ts',
  /** A Cognito user pool's custom SMS sender trigger (`SmsShield.addCognitoSmsSender`). */
  'cognito-sms-sender': 'lambdas/handlers/cognito-sms-sender-lambda.ts',
  /** A Cognito user pool's post confirmation / post authentication trigger: verification feedback. */
  'cognito-feedback': 'lambdas/handlers/cognito-feedback-lambda.ts',
} as const;

export type LambdaBundleName = keyof typeof LAMBDA_BUNDLES;

/** The handler setting of every prebuilt function: `index.mjs`, export `handler`. */
export const LAMBDA_HANDLER = 'index.handler';

/** Folder of the prebuilt GeoIP layer inside the build output (its `geo/` folder is `/opt/geo` at run time). */
export const GEO_LAYER_BUILD_DIR = 'geo-layer';
