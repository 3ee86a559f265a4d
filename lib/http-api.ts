import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type CfnStage, HttpApi, HttpMethod, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PUBLIC_ROUTES } from '../lambdas/shared/public-edge.js';
import type { SmsShieldThrottle } from './sms-shield-props.js';

/** Settings of {@link buildHttpApi}. */
export interface HttpApiProps {
  /** The function behind every route. */
  readonly apiFunction: IFunction;
  /** The stage default: the `$default` route, i.e. every tenant together. */
  readonly throttle: SmsShieldThrottle;
  /** Each public route's own limit. */
  readonly publicRouteThrottle: SmsShieldThrottle;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** The HTTP API, its public routes (in the order of `PUBLIC_ROUTES`) and its one stage. */
export interface HttpApiParts {
  readonly api: HttpApi;
  readonly publicRoutes: readonly HttpRoute[];
  readonly stage: HttpStage;
  /** The stage's access logs (JSON, one line per request). */
  readonly accessLogs: LogGroup;
}

/**
 * The access log line, one JSON object per request. `apiId` keys the throttling metric the
 * monitoring derives from these lines; `integrationStatus` is "-" when API Gateway answered
 * without calling the function (its throttles); `error` and `integrationError` say why a
 * request failed, which the status alone does not.
 */
export const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  apiId: '$context.apiId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  error: '$context.error.message',
  integrationError: '$context.integrationErrorMessage',
  userAgent: '$context.identity.userAgent',
} as const;

/**
 * The HTTP API: `$default` (tenants and admin) and the public routes, all to the one function;
 * the `$default` stage with access logs, the stage throttle for `$default` and a route throttle
 * for each public route.
 */
export function buildHttpApi(scope: Construct, props: HttpApiProps): HttpApiParts {
  const integration = new HttpLambdaIntegration('ApiIntegration', props.apiFunction);
  const api = new HttpApi(scope, 'Api', {
    // Named after the stack, so the console lists the API beside the stack that owns it.
    apiName: Stack.of(scope).stackName,
    description: 'SMS Shield API',
    createDefaultStage: false,
    defaultIntegration: integration,
  });
  // The public routes get routes of their own, to the same function, only so that the stage can
  // throttle them apart from $default (the tenants). The wire format is unchanged.
  const publicRoutes = PUBLIC_ROUTES.map(
    ({ method, path }) =>
      new HttpRoute(api, `PublicRoute${method}${path.replaceAll('/', '-')}`, {
        httpApi: api,
        routeKey: HttpRouteKey.with(path, HttpMethod[method]),
        integration,
      }),
  );

  const accessLogs = new LogGroup(scope, 'ApiAccessLogs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
  const { throttle, publicRouteThrottle } = props;
  const stage = new HttpStage(scope, 'DefaultStage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    throttle: { rateLimit: throttle.rateLimit, burstLimit: throttle.burstLimit },
    accessLogSettings: {
      destination: new LogGroupLogDestination(accessLogs),
      format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
    },
  });
  const cfnStage = stage.node.defaultChild as CfnStage;
  cfnStage.routeSettings = Object.fromEntries(
    PUBLIC_ROUTES.map(({ method, path }) => [
      `${method} ${path}`,
      { ThrottlingRateLimit: publicRouteThrottle.rateLimit, ThrottlingBurstLimit: publicRouteThrottle.burstLimit },
    ]),
  );
  // Route settings name routes by key: the routes must exist before the stage that throttles them.
  for (const route of publicRoutes) cfnStage.node.addDependency(route);
  return { api, publicRoutes, stage, accessLogs };
}
