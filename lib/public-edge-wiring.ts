import type { RemovalPolicy } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ENV } from '../lambdas/shared/env.js';
import { buildKeySecret } from './secrets.js';
import { SmsShieldPublicEdge, type SmsShieldPublicEdgeOptions } from './sms-shield-public-edge.js';

/** The edge and the secret that proves a request came through it. */
export interface PublicEdgeParts {
  readonly publicEdge: SmsShieldPublicEdge;
  readonly originSecret: Secret;
}

/**
 * The public edge in front of `api`, and the origin secret both sides share: CloudFront sends it,
 * the API function (told by environment variable, granted read) requires it on the public routes
 * unless `refuseDirectCalls` is false.
 */
export function buildPublicEdge(
  scope: Construct,
  options: SmsShieldPublicEdgeOptions,
  wiring: { readonly api: HttpApi; readonly apiFunction: LambdaFunction; readonly removalPolicy: RemovalPolicy },
): PublicEdgeParts {
  const originSecret = buildKeySecret(
    scope,
    'OriginSecret',
    'SMS Shield public edge origin secret: CloudFront sends it, the public routes require it',
    wiring.removalPolicy,
  );
  const { apiFunction } = wiring;
  apiFunction.addEnvironment(ENV.ORIGIN_SECRET_ARN, originSecret.secretArn);
  apiFunction.addEnvironment(ENV.PUBLIC_EDGE_DIRECT_CALLS, options.refuseDirectCalls === false ? 'allow' : 'refuse');
  originSecret.grantRead(apiFunction);
  const publicEdge = new SmsShieldPublicEdge(scope, 'PublicEdge', { ...options, api: wiring.api, originSecret });
  return { publicEdge, originSecret };
}
