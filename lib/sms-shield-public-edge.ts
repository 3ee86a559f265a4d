import { Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  type BehaviorOptions,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_SECRET_HEADER, PUBLIC_ROUTES, VIEWER_ADDRESS_HEADER } from '../lambdas/shared/public-edge.js';

/** Settings of the optional public edge: CloudFront and an AWS WAF web ACL in front of the public routes. */
export interface SmsShieldPublicEdgeOptions {
  /**
   * ARN of an existing AWS WAF web ACL of scope `CLOUDFRONT` to attach. Such web ACLs live in
   * us-east-1 only, so outside us-east-1 this is required; in a stack whose region is literally
   * `us-east-1` the construct creates one when it is absent.
   * @default - a web ACL created in this stack (us-east-1 only)
   */
  readonly webAclArn?: string;
  /**
   * Requests per client address in any 5-minute window, over both public routes together, above
   * which the created web ACL answers `429` to that address until its rate falls back under it.
   * Only for the web ACL the construct creates (from 10 to 2,000,000,000). Carrier NATs put many
   * people behind one address: the proof-of-work difficulty already rises from 30 challenges an
   * hour, so this is a flood limit, not a per-person one.
   * @default 300
   */
  readonly rateLimitPer5Minutes?: number;
  /**
   * Also block addresses on Amazon's IP reputation list (`AWSManagedRulesAmazonIpReputationList`:
   * sources of bots, scanning and DDoS that Amazon threat intelligence saw). No extra charge
   * beyond the rule's WCUs and requests. Only for the web ACL the construct creates.
   * @default true
   */
  readonly ipReputationRule?: boolean;
  /**
   * CloudFront price class (which edge locations serve your users).
   * @default PriceClass.PRICE_CLASS_ALL
   */
  readonly priceClass?: PriceClass;
  /**
   * The public routes refuse calls that skip the edge (`403 PUBLIC_EDGE_REQUIRED`). Set false for
   * the move only: deploy with false, point your pages' SDK `endpoint` at the public endpoint,
   * then deploy with true. Meanwhile direct calls are answered (by their connection address) and
   * skip the web ACL; the viewer address is believed only from CloudFront either way.
   * @default true
   */
  readonly refuseDirectCalls?: boolean;
}

/** Properties of {@link SmsShieldPublicEdge}. */
export interface SmsShieldPublicEdgeProps extends SmsShieldPublicEdgeOptions {
  /** The HTTP API whose public routes the distribution serves. */
  readonly api: HttpApi;
  /** The secret CloudFront sends to the origin in `ORIGIN_SECRET_HEADER`; the public routes require it. */
  readonly originSecret: ISecret;
}

export const DEFAULT_EDGE_RATE_LIMIT_PER_5_MINUTES = 300;
/** AWS WAF's bounds of a rate-based rule's limit. */
export const EDGE_RATE_LIMIT_RANGE = [10, 2_000_000_000] as const;
const RATE_LIMITED_BODY = 'RateLimited';

/**
 * The public edge: a CloudFront distribution that serves only the public routes (challenge and
 * device token, with their preflights) from the HTTP API, never caching, with an AWS WAF web ACL
 * of scope CLOUDFRONT (a rate-based rule per client address, and Amazon's IP reputation list).
 * AWS WAF cannot be associated with an API Gateway HTTP API, hence CloudFront in front of it.
 *
 * CloudFront adds the origin secret to every request it forwards (it overwrites a viewer's header
 * of that name) and the viewer's address in `CloudFront-Viewer-Address`; the API function refuses
 * public requests without the secret, so the web ACL cannot be skipped by calling the API directly,
 * and counts the viewer's address, not CloudFront's. Every other path answers 404 at the edge.
 */
export class SmsShieldPublicEdge extends Construct {
  /** The distribution; the browser SDK's `endpoint` is its URL. */
  public readonly distribution: Distribution;
  /** The web ACL created here (us-east-1 stacks without `webAclArn`), or undefined. */
  public readonly webAcl: CfnWebACL | undefined;
  /** ARN of the web ACL attached to the distribution. */
  public readonly webAclArn: string;
  /** `https://<distribution domain>/`: the public endpoint. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: SmsShieldPublicEdgeProps) {
    super(scope, id);
    const stack = Stack.of(this);

    if (props.webAclArn !== undefined) {
      this.webAclArn = props.webAclArn;
    } else {
      this.webAcl = this.createWebAcl(props.rateLimitPer5Minutes ?? DEFAULT_EDGE_RATE_LIMIT_PER_5_MINUTES, props.ipReputationRule ?? true);
      this.webAclArn = this.webAcl.attrArn;
    }

    const origin = new HttpOrigin(`${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      // A dynamic reference ({{resolve:secretsmanager:…}}): CloudFormation resolves it at deploy
      // time, so the value is never in the template or the cloud assembly.
      customHeaders: { [ORIGIN_SECRET_HEADER]: props.originSecret.secretValue.unsafeUnwrap() },
    });
    // CloudFront policies are global and their names unique per account: the region keeps one
    // stack deployed to two regions of an account from claiming the same names.
    const policyName = (id: string) => `${Names.uniqueResourceName(this, { maxLength: 90, separator: '-' })}-${id}-${stack.region}`;
    // Only what the public routes read: the query (tenant, level), the body's type, the user agent
    // (difficulty, automation markers) and the viewer's address. Never Host: API Gateway answers
    // only to its own name. No cookies: the routes take no credentials.
    const originRequestPolicy = new OriginRequestPolicy(this, 'OriginRequests', {
      originRequestPolicyName: policyName('OriginRequests'),
      comment: 'SMS Shield public routes: query, content type, user agent, viewer address',
      headerBehavior: OriginRequestHeaderBehavior.allowList('user-agent', 'content-type', VIEWER_ADDRESS_HEADER),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });
    // CloudFront's method sets are coarse (POST comes with PUT, PATCH and DELETE); this viewer-request
    // function lets exactly the public routes' methods through, so nothing the edge forwards lands
    // on API Gateway's $default route (the tenants' budget), and answers 404 for every other path.
    const onlyPublicRoutes = new CloudFrontFunction(this, 'OnlyPublicRoutes', {
      comment: 'SMS Shield public edge: only the public routes and their methods pass',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(onlyPublicRoutesCode()),
    });
    const functionAssociations = [{ function: onlyPublicRoutes, eventType: FunctionEventType.VIEWER_REQUEST }];
    // The function answers with CORS itself, but API Gateway's own answers (a throttled route's
    // 429, a 5xx) carry none, and a page would see only a network error. CloudFront adds CORS to
    // every response that lacks it; the function's own CORS headers win (no override).
    const cors = new ResponseHeadersPolicy(this, 'PublicCors', {
      responseHeadersPolicyName: policyName('PublicCors'),
      comment: 'SMS Shield public routes: CORS on every answer, API Gateway errors included',
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'POST', 'OPTIONS'],
        accessControlAllowHeaders: ['content-type'],
        accessControlExposeHeaders: ['retry-after'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.days(1),
        originOverride: false,
      },
    });
    const methodsOf = (path: string) => new Set(PUBLIC_ROUTES.filter((r) => r.path === path).map((r) => r.method));
    const additionalBehaviors: Record<string, BehaviorOptions> = Object.fromEntries(
      [...new Set(PUBLIC_ROUTES.map((r) => r.path))].map((path) => [
        path,
        {
          origin,
          allowedMethods: methodsOf(path).has('POST') ? AllowedMethods.ALLOW_ALL : AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          // Every challenge and token is for one caller: nothing may be served from a cache.
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy,
          responseHeadersPolicy: cors,
          compress: false,
          functionAssociations,
        },
      ]),
    );

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'SMS Shield public routes (challenge, device token) behind AWS WAF',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? PriceClass.PRICE_CLASS_ALL,
      webAclId: this.webAclArn,
      // IPv4 only: AWS WAF's rate-based rule counts each IPv6 address apart, and one subscriber holds a
      // whole /64 (2^64 addresses) to rotate through. IPv6-only clients still arrive, through their
      // network's NAT64, as an IPv4 address.
      enableIpv6: false,
      // Anything but the public routes ends at the edge (the function's 404, whatever the method):
      // the tenant API is not served here.
      defaultBehavior: {
        origin,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        functionAssociations,
      },
      additionalBehaviors,
    });
    this.url = `https://${this.distribution.distributionDomainName}/`;

    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          "No geo restriction: the tenants' users are wherever their customers are. Country policy is a per-tenant " +
          'verdict rule on the number, and the web ACL limits each address.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'No CloudFront access logs: every forwarded request is in the API access log (route, status, latency), the web ' +
          'ACL keeps sampled requests and per-rule metrics, and legacy logs would need an ACL-enabled S3 bucket.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses the default *.cloudfront.net certificate, whose minimum viewer protocol CloudFront sets ' +
          'and cannot be changed (only a custom domain with its own certificate can). The SDK needs only an HTTPS endpoint.',
      },
    );
  }

  /** The CLOUDFRONT web ACL: Amazon's IP reputation list (optional), then a rate limit per address. */
  private createWebAcl(limit: number, ipReputation: boolean): CfnWebACL {
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const rules: CfnWebACL.RuleProperty[] = [];
    if (ipReputation) {
      rules.push({
        name: 'AmazonIpReputation',
        priority: 0,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' } },
        visibilityConfig: visibility('SmsShieldPublicIpReputation'),
      });
    }
    rules.push({
      name: 'RatePerClientAddress',
      priority: 1,
      action: {
        block: {
          // 429 with CORS, so the SDK's page can read it (and wait) instead of seeing a network error.
          customResponse: {
            responseCode: 429,
            customResponseBodyKey: RATE_LIMITED_BODY,
            responseHeaders: [
              { name: 'access-control-allow-origin', value: '*' },
              { name: 'access-control-expose-headers', value: 'retry-after' },
              { name: 'retry-after', value: '60' },
              { name: 'cache-control', value: 'no-store' },
            ],
          },
        },
      },
      statement: { rateBasedStatement: { limit, aggregateKeyType: 'IP', evaluationWindowSec: Duration.minutes(5).toSeconds() } },
      visibilityConfig: visibility('SmsShieldPublicRatePerAddress'),
    });
    return new CfnWebACL(this, 'WebAcl', {
      description: 'SMS Shield public edge: rate limit per client address on the public routes',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      customResponseBodies: {
        [RATE_LIMITED_BODY]: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Too many requests from this address; retry in a minute' } }),
        },
      },
      rules,
      visibilityConfig: visibility('SmsShieldPublicEdge'),
    });
  }
}

/**
 * CloudFront Functions (JS 2.0) viewer-request code: a public route's method goes on to the
 * origin; another method on a public path gets a JSON 405, any other path a JSON 404, both with CORS.
 */
export function onlyPublicRoutesCode(): string {
  const allowed: Record<string, string[]> = {};
  for (const { method, path } of PUBLIC_ROUTES) (allowed[path] ??= []).push(method);
  const error = (code: string, message: string) => JSON.stringify(JSON.stringify({ error: { code, message } }));
  return `var ALLOWED = ${JSON.stringify(allowed)};
function answer(status, description, body, allow) {
  var headers = { 'content-type': { value: 'application/json; charset=utf-8' }, 'cache-control': { value: 'no-store' }, 'access-control-allow-origin': { value: '*' } };
  if (allow) headers.allow = { value: allow };
  return { statusCode: status, statusDescription: description, headers: headers, body: { encoding: 'text', data: body } };
}
function handler(event) {
  var request = event.request;
  var methods = ALLOWED[request.uri];
  if (!methods) return answer(404, 'Not Found', ${error('NOT_FOUND', 'Only the public routes are served at this endpoint')});
  if (methods.indexOf(request.method) === -1) return answer(405, 'Method Not Allowed', ${error('METHOD_NOT_ALLOWED', 'Method not allowed on this route')}, methods.join(', '));
  return request;
}
`;
}
