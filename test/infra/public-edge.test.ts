import { runInNewContext } from 'node:vm';
import { App, CfnElement, Stack, type StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { ORIGIN_SECRET_HEADER, PUBLIC_ROUTES, VIEWER_ADDRESS_HEADER } from '../../lambdas/shared/public-edge';
import { ENV } from '../../lambdas/shared/env';
import { SmsShield, type SmsShieldProps } from '../../lib/sms-shield';
import { onlyPublicRoutesCode } from '../../lib/sms-shield-public-edge';
import { SmsShieldStack } from '../../lib/sms-shield-stack';

type Resource = { Type: string; Properties: Record<string, any> };

const US_EAST_1: StackProps['env'] = { account: '123456789012', region: 'us-east-1' };
const EU_WEST_1: StackProps['env'] = { account: '123456789012', region: 'eu-west-1' };
const ACL_ARN = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/sms-shield-edge/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
/** AWS's managed CachingDisabled cache policy. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

function synth(shield: SmsShieldProps, env: StackProps['env'] = US_EAST_1) {
  const stack = new SmsShieldStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Edge', { env, shield });
  const template = Template.fromStack(stack).toJSON();
  const resources = template.Resources as Record<string, Resource>;
  const id = (c: IConstruct) => stack.getLogicalId((c instanceof CfnElement ? c : c.node.defaultChild) as CfnElement);
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const only = (type: string) => {
    const found = ofType(type);
    expect(found, type).toHaveLength(1);
    return found[0]![1];
  };
  return { stack, shield: stack.shield, template, resources, id, ofType, only };
}

/** Constructing the shield's stack throws this message (or nothing: undefined). */
function errorOf(shield: SmsShieldProps, env?: StackProps['env']): string | undefined {
  try {
    new SmsShield(new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Edge', { env }), 'Shield', shield);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const edge = synth({ publicEdge: {} });

describe('public edge off (the default)', () => {
  const off = synth({}, undefined);

  it('creates no distribution, web ACL or origin secret, and the public routes take any caller', () => {
    expect(off.ofType('AWS::CloudFront::Distribution')).toEqual([]);
    expect(off.ofType('AWS::WAFv2::WebACL')).toEqual([]);
    expect(off.shield.originSecret).toBeUndefined();
    const fn = off.resources[off.id(off.shield.apiFunction)]!;
    expect(fn.Properties.Environment.Variables).not.toHaveProperty(ENV.ORIGIN_SECRET_ARN);
    expect(fn.Properties.Environment.Variables).not.toHaveProperty(ENV.PUBLIC_EDGE_DIRECT_CALLS);
  });

  it('outputs the API itself as the public endpoint', () => {
    expect(off.template.Outputs.PublicEndpointUrl.Value).toEqual(off.template.Outputs.ApiUrl.Value);
    expect(off.shield.publicEndpointUrl).toBe(off.shield.url);
  });
});

describe('public edge in us-east-1: CloudFront with a web ACL created in the stack', () => {
  const distribution = () => edge.only('AWS::CloudFront::Distribution').Properties.DistributionConfig;

  it('creates a CLOUDFRONT web ACL: Amazon IP reputation list, then 300 requests per address per 5 minutes', () => {
    const acl = edge.only('AWS::WAFv2::WebACL').Properties;
    expect(acl).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    expect(acl.Rules).toEqual([
      expect.objectContaining({
        Name: 'AmazonIpReputation',
        Priority: 0,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesAmazonIpReputationList' } },
      }),
      expect.objectContaining({
        Name: 'RatePerClientAddress',
        Priority: 1,
        Statement: { RateBasedStatement: { Limit: 300, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
      }),
    ]);
    for (const rule of acl.Rules) expect(rule.VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
  });

  it('answers a rate-limited address 429 with CORS and Retry-After, so the SDK can read it', () => {
    const acl = edge.only('AWS::WAFv2::WebACL').Properties;
    const block = acl.Rules[1].Action.Block.CustomResponse;
    expect(block.ResponseCode).toBe(429);
    expect(block.ResponseHeaders).toEqual(
      expect.arrayContaining([
        { Name: 'access-control-allow-origin', Value: '*' },
        { Name: 'access-control-expose-headers', Value: 'retry-after' },
        { Name: 'retry-after', Value: '60' },
      ]),
    );
    expect(JSON.parse(acl.CustomResponseBodies[block.CustomResponseBodyKey].Content)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('attaches the web ACL to the distribution', () => {
    expect(distribution().WebACLId).toEqual({ 'Fn::GetAtt': [edge.id(edge.shield.publicEdge!.webAcl!), 'Arn'] });
  });

  it('takes viewers over IPv4 only, so one subscriber cannot rotate a /64 past the per-address limit', () => {
    expect(distribution().IPV6Enabled).toBe(false);
  });

  it('has the HTTP API as its only origin, over HTTPS with TLS 1.2', () => {
    const [origin, ...others] = distribution().Origins;
    expect(others).toEqual([]);
    expect(origin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(origin.DomainName).toEqual({
      'Fn::Join': ['', [{ Ref: edge.id(edge.shield.api) }, '.execute-api.us-east-1.', { Ref: 'AWS::URLSuffix' }]],
    });
  });

  it('sends the origin secret as a Secrets Manager dynamic reference: the value is never in the template', () => {
    const [origin] = distribution().Origins;
    expect(origin.OriginCustomHeaders).toEqual([
      {
        HeaderName: ORIGIN_SECRET_HEADER,
        HeaderValue: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: edge.id(edge.shield.originSecret!) }, ':SecretString:::}}']] },
      },
    ]);
    const secret = edge.resources[edge.id(edge.shield.originSecret!)]!;
    expect(secret.Properties).not.toHaveProperty('SecretString');
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
  });

  it('serves each public path, uncached, with the methods its routes need, viewers on HTTPS only', () => {
    const behaviors = distribution().CacheBehaviors as Record<string, any>[];
    const paths = [...new Set(PUBLIC_ROUTES.map((r) => r.path))];
    expect(behaviors.map((b) => b.PathPattern).sort()).toEqual(paths.sort());
    for (const behavior of behaviors) {
      expect(behavior.CachePolicyId).toBe(CACHING_DISABLED);
      expect(behavior.ViewerProtocolPolicy).toBe('https-only');
      for (const route of PUBLIC_ROUTES.filter((r) => r.path === behavior.PathPattern)) expect(behavior.AllowedMethods).toContain(route.method);
    }
    // Every method reaches the default behavior's function, which answers 404 itself: nothing is forwarded.
    expect(distribution().DefaultCacheBehavior).toMatchObject({ CachePolicyId: CACHING_DISABLED, ViewerProtocolPolicy: 'https-only' });
    expect(distribution().DefaultCacheBehavior.AllowedMethods).toContain('POST');
  });

  it('forwards the viewer address, user agent, content type and query, and never Host or cookies', () => {
    const behaviors = distribution().CacheBehaviors as Record<string, any>[];
    const policyIds = new Set(behaviors.map((b) => JSON.stringify(b.OriginRequestPolicyId)));
    expect(policyIds.size).toBe(1);
    const policy = edge.only('AWS::CloudFront::OriginRequestPolicy').Properties.OriginRequestPolicyConfig;
    expect(policy.HeadersConfig.HeaderBehavior).toBe('whitelist');
    expect(policy.HeadersConfig.Headers.map((h: string) => h.toLowerCase()).sort()).toEqual([VIEWER_ADDRESS_HEADER, 'content-type', 'user-agent'].sort());
    expect(policy.QueryStringsConfig).toEqual({ QueryStringBehavior: 'all' });
    expect(policy.CookiesConfig).toEqual({ CookieBehavior: 'none' });
  });

  it("adds CORS (Retry-After exposed) to answers that lack it, such as a throttled route's 429 from API Gateway", () => {
    const behaviors = distribution().CacheBehaviors as Record<string, any>[];
    const policy = edge.only('AWS::CloudFront::ResponseHeadersPolicy');
    const policyId = edge.ofType('AWS::CloudFront::ResponseHeadersPolicy')[0]![0];
    for (const behavior of behaviors) expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    expect(policy.Properties.ResponseHeadersPolicyConfig.CorsConfig).toMatchObject({
      AccessControlAllowOrigins: { Items: ['*'] },
      AccessControlAllowCredentials: false,
      AccessControlExposeHeaders: { Items: ['retry-after'] },
      OriginOverride: false,
    });
  });

  it('names its CloudFront policies per stack and region (the names are global to the account)', () => {
    const names = [
      edge.only('AWS::CloudFront::OriginRequestPolicy').Properties.OriginRequestPolicyConfig.Name,
      edge.only('AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig.Name,
    ];
    for (const name of names) expect(name).toMatch(/^Edge-SmsShield-PublicEdge-[A-Za-z0-9-]+-us-east-1$/);
    expect(new Set(names).size).toBe(2);
    const elsewhere = synth({ publicEdge: { webAclArn: ACL_ARN } }, EU_WEST_1);
    expect(elsewhere.only('AWS::CloudFront::OriginRequestPolicy').Properties.OriginRequestPolicyConfig.Name).toMatch(/-eu-west-1$/);
  });

  it('runs the route filter on every behavior, default included', () => {
    const fnId = edge.ofType('AWS::CloudFront::Function')[0]![0];
    const association = [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } }];
    expect(distribution().DefaultCacheBehavior.FunctionAssociations).toEqual(association);
    for (const behavior of distribution().CacheBehaviors) expect(behavior.FunctionAssociations).toEqual(association);
    expect(edge.only('AWS::CloudFront::Function').Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
  });

  it('tells the API function to require the secret, and lets only it read the secret', () => {
    const fn = edge.resources[edge.id(edge.shield.apiFunction)]!;
    expect(fn.Properties.Environment.Variables[ENV.ORIGIN_SECRET_ARN]).toEqual({ Ref: edge.id(edge.shield.originSecret!) });
    expect(fn.Properties.Environment.Variables[ENV.PUBLIC_EDGE_DIRECT_CALLS]).toBe('refuse');
    const secretRef = JSON.stringify({ Ref: edge.id(edge.shield.originSecret!) });
    const readers = Object.values(edge.resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.PolicyDocument).includes(secretRef))
      .flatMap((r) => r.Properties.Roles.map((role: { Ref: string }) => role.Ref));
    expect(readers).toEqual([edge.id(edge.shield.apiFunction.role!)]);
  });

  it('outputs the distribution URL as the public endpoint, the API URL apart', () => {
    const outputs = edge.template.Outputs;
    expect(outputs.PublicEndpointUrl.Value).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [edge.id(edge.shield.publicEdge!.distribution), 'DomainName'] }, '/']],
    });
    expect(JSON.stringify(outputs.ApiUrl.Value)).toContain('execute-api');
  });

  it('lets direct calls through only when asked, for the move of pages to the edge', () => {
    const s = synth({ publicEdge: { refuseDirectCalls: false } });
    const fn = s.resources[s.id(s.shield.apiFunction)]!;
    expect(fn.Properties.Environment.Variables[ENV.PUBLIC_EDGE_DIRECT_CALLS]).toBe('allow');
    expect(fn.Properties.Environment.Variables[ENV.ORIGIN_SECRET_ARN]).toBeDefined();
  });

  it('takes the rate limit and the IP reputation rule from props', () => {
    const s = synth({ publicEdge: { rateLimitPer5Minutes: 1_000, ipReputationRule: false } });
    const rules = s.only('AWS::WAFv2::WebACL').Properties.Rules;
    expect(rules.map((r: { Name: string }) => r.Name)).toEqual(['RatePerClientAddress']);
    expect(rules[0].Statement.RateBasedStatement.Limit).toBe(1_000);
  });
});

describe('public edge outside us-east-1', () => {
  it('uses the web ACL it is given and creates none', () => {
    const s = synth({ publicEdge: { webAclArn: ACL_ARN } }, EU_WEST_1);
    expect(s.ofType('AWS::WAFv2::WebACL')).toEqual([]);
    expect(s.only('AWS::CloudFront::Distribution').Properties.DistributionConfig.WebACLId).toBe(ACL_ARN);
    expect(s.shield.publicEdge!.webAcl).toBeUndefined();
  });

  it('refuses to go without one, saying why and what to do', () => {
    const message = errorOf({ publicEdge: {} }, EU_WEST_1);
    expect(message).toMatch(/publicEdge\.webAclArn is required/);
    expect(message).toMatch(/us-east-1/);
    expect(message).toMatch(/eu-west-1/);
  });

  it('refuses an environment-agnostic stack too: its region is not known to be us-east-1', () => {
    expect(errorOf({ publicEdge: {} })).toMatch(/webAclArn is required.*environment-agnostic/s);
  });
});

describe('public edge prop validation', () => {
  it.each<[string, SmsShieldProps, RegExp]>([
    [
      'a regional web ACL',
      { publicEdge: { webAclArn: ACL_ARN.replace('us-east-1', 'eu-west-1').replace('global/', 'regional/') } },
      /webAclArn must be the ARN of a WAFv2 web ACL of scope CLOUDFRONT/,
    ],
    ['something that is not an ARN', { publicEdge: { webAclArn: 'my-web-acl' } }, /webAclArn must be/],
    ['a rate limit with a given web ACL', { publicEdge: { webAclArn: ACL_ARN, rateLimitPer5Minutes: 500 } }, /rateLimitPer5Minutes applies only/],
    ['the reputation switch with a given web ACL', { publicEdge: { webAclArn: ACL_ARN, ipReputationRule: false } }, /ipReputationRule applies only/],
    ['a rate limit under 10', { publicEdge: { rateLimitPer5Minutes: 9 } }, /rateLimitPer5Minutes must be an integer from 10/],
    ['a fractional rate limit', { publicEdge: { rateLimitPer5Minutes: 100.5 } }, /rateLimitPer5Minutes/],
  ])('rejects %s', (_name, props, message) => {
    expect(errorOf(props, US_EAST_1)).toMatch(message);
  });

  it('accepts the bounds of the rate limit', () => {
    expect(errorOf({ publicEdge: { rateLimitPer5Minutes: 10 } }, US_EAST_1)).toBeUndefined();
    expect(errorOf({ publicEdge: { rateLimitPer5Minutes: 2_000_000_000 } }, US_EAST_1)).toBeUndefined();
  });
});

describe('the edge route filter (CloudFront Function)', () => {
  type Answer = { statusCode?: number; headers?: Record<string, { value: string }>; body?: { data: string }; uri?: string };
  const handler = (() => {
    const sandbox: { handler?: (event: unknown) => Answer } = {};
    runInNewContext(`${onlyPublicRoutesCode()}\nthis.handler = handler;`, sandbox);
    return sandbox.handler!;
  })();
  const run = (method: string, uri: string) => handler({ request: { method, uri, headers: {}, querystring: {} } });

  it('is the code deployed', () => {
    expect(edge.only('AWS::CloudFront::Function').Properties.FunctionCode).toBe(onlyPublicRoutesCode());
  });

  it('lets exactly the public routes through to the origin', () => {
    for (const { method, path } of PUBLIC_ROUTES) expect(run(method, path)).toMatchObject({ method, uri: path });
  });

  it("answers 405 with Allow for other methods on a public path, so none reaches the tenants' $default route", () => {
    for (const [method, path] of [
      ['HEAD', '/v1/challenge'],
      ['POST', '/v1/challenge'],
      ['GET', '/v1/device'],
      ['PUT', '/v1/device'],
      ['DELETE', '/v1/device'],
    ] as const) {
      const answer = run(method, path);
      expect(answer.statusCode, `${method} ${path}`).toBe(405);
      expect(answer.headers?.allow?.value).toBeDefined();
      expect(answer.headers?.['access-control-allow-origin']?.value).toBe('*');
    }
  });

  it('answers 404 for every other path: the tenant API is not served at the edge', () => {
    for (const [method, path] of [
      ['POST', '/v1/sms/send'],
      ['GET', '/health'],
      ['GET', '/v1/challenge/'],
      ['GET', '/'],
      ['GET', '/v1/admin/lists'],
    ] as const) {
      const answer = run(method, path);
      expect(answer.statusCode, `${method} ${path}`).toBe(404);
      expect(JSON.parse(answer.body!.data)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });
});
