import { describe, expect, it } from 'vitest';
import { PUBLIC_ROUTES } from '../../lambdas/shared/public-edge';
import { type Resource, synth } from './support/shield-template';

const defaults = synth();

describe('HTTP API', () => {
  const stageOf = (s: typeof defaults) => Object.entries(s.resources).find(([, r]) => r.Type === 'AWS::ApiGatewayV2::Stage')!;
  const publicKeys = ['GET /v1/challenge', 'OPTIONS /v1/challenge', 'POST /v1/device', 'OPTIONS /v1/device'];

  it('is named after its stack', () => {
    defaults.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: defaults.stack.stackName });
    expect(defaults.stack.stackName).toBe('Test');
  });

  it('routes $default (every tenant and admin route) and the four public routes to the one function', () => {
    defaults.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    const routes = Object.values(defaults.resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(['$default', ...publicKeys].sort());
    expect(PUBLIC_ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual(publicKeys);
    const integrations = new Set(routes.map((r) => r.Properties.Target['Fn::Join'][1][1].Ref as string));
    expect(integrations.size).toBe(1);
    expect(defaults.resources[[...integrations][0]!]!.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [defaults.logicalId(defaults.shield.apiFunction), 'Arn'] },
    });
    // No authorizer anywhere: tenant keys are checked by the function, the public routes take none.
    for (const route of routes) expect(route.Properties.AuthorizationType).toBe('NONE');
  });

  it("throttles the $default route, the tenants' total, at 100 rps / 200 burst by default", () => {
    defaults.template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    defaults.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
  });

  it('gives each public route its own lower throttle (20 rps / 40 burst), and nothing else a route setting', () => {
    const [, stage] = stageOf(defaults);
    expect(stage.Properties.RouteSettings).toEqual(Object.fromEntries(publicKeys.map((key) => [key, { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 }])));
    expect(stage.Properties.RouteSettings).not.toHaveProperty('$default');
  });

  it('creates the stage after the routes its route settings name', () => {
    const [, stage] = stageOf(defaults) as [string, Resource & { DependsOn?: string[] }];
    for (const route of defaults.shield.publicRoutes) expect(stage.DependsOn).toContain(defaults.logicalId(route));
  });

  it('throttles the $default route and the public routes as configured', () => {
    const s = synth({ throttle: { rateLimit: 25, burstLimit: 50 }, publicRouteThrottle: { rateLimit: 5, burstLimit: 10 } });
    const [, stage] = stageOf(s);
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 });
    for (const key of publicKeys) expect(stage.Properties.RouteSettings[key]).toEqual({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 });
  });

  it('writes access logs to a log group with the configured retention', () => {
    const stage = Object.values(defaults.resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Stage')!;
    const { DestinationArn, Format } = stage.Properties.AccessLogSettings;
    expect(defaults.resources[DestinationArn['Fn::GetAtt'][0]]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
    });
    expect(JSON.parse(Format)).toMatchObject({
      requestId: '$context.requestId',
      apiId: '$context.apiId',
      status: '$context.status',
      integrationStatus: '$context.integrationStatus',
      // Why a request failed: API Gateway's own message (throttled, no route…) and the integration's.
      error: '$context.error.message',
      integrationError: '$context.integrationErrorMessage',
    });
  });
});
