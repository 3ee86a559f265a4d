import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { challengeQuerySchema, deviceRequestSchema, type ManMachine } from '../challenge/man-machine';
import { HttpError, storeUnavailable } from '../service/errors';
import type { ServiceLogger } from '../service/shield-service';
import { isTransient, json } from './middleware/http-errors';
import type { JsonEvent } from './middleware/json-body';
import { route, validate, type ApiRoute } from './routing';

/**
 * CORS for the public routes the browser SDK calls from the tenant's own pages. Any origin:
 * these routes take no credentials and reveal nothing; what they hand out is only worth
 * something together with the tenant's backend, which holds the API key.
 */
const PUBLIC_CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '86400',
};

/**
 * The public routes (method and path): the browser calls them without a key. The CDK construct
 * gives each its own API Gateway route and throttle, so this list is also what it deploys.
 */
export const PUBLIC_ROUTES: readonly { readonly method: 'GET' | 'POST' | 'OPTIONS'; readonly path: string }[] = [
  { method: 'GET', path: '/v1/challenge' },
  { method: 'OPTIONS', path: '/v1/challenge' },
  { method: 'POST', path: '/v1/device' },
  { method: 'OPTIONS', path: '/v1/device' },
];

/** Paths of the public routes: their answers, errors included, carry `PUBLIC_CORS`. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(PUBLIC_ROUTES.map((r) => r.path));

/** Routes the browser calls directly: no API key (a page cannot keep one secret), CORS, preflight. */
export function publicRoutes(manMachine: ManMachine, logger?: ServiceLogger): ApiRoute[] {
  const preflight = async () => ({ statusCode: 204, headers: PUBLIC_CORS, body: '' });
  const withCors = (handler: (event: JsonEvent) => Promise<APIGatewayProxyResultV2>) => corsOnErrors(handler, logger);
  return [
    route('OPTIONS', '/v1/challenge', preflight),
    route('OPTIONS', '/v1/device', preflight),
    route(
      'GET',
      '/v1/challenge',
      withCors(async (event) => {
        const query = validate(challengeQuerySchema, event.queryStringParameters ?? {});
        const challenge = await manMachine.challenge({
          tenant: query.tenant,
          level: query.level,
          ip: event.requestContext?.http?.sourceIp,
          userAgent: event.headers?.['user-agent'],
        });
        return json(200, challenge, PUBLIC_CORS);
      }),
    ),
    route(
      'POST',
      '/v1/device',
      withCors(async (event) => {
        const request = validate(deviceRequestSchema, event.parsedBody);
        return json(200, await manMachine.device(request, event.headers?.['user-agent'], event.requestContext?.http?.sourceIp), PUBLIC_CORS);
      }),
    ),
  ];
}

/**
 * A public route whose errors carry `PUBLIC_CORS` too, so the SDK's page can read a 400, 404,
 * 429 or 503 (and its `Retry-After`) instead of an opaque CORS failure. Client errors and store
 * outages become `HttpError`s with the headers added, for the one error middleware to render;
 * anything else is a bug and goes on to it untouched (a logged, generic 500).
 */
function corsOnErrors(handler: (event: JsonEvent) => Promise<APIGatewayProxyResultV2>, logger: ServiceLogger | undefined) {
  return async (event: JsonEvent): Promise<APIGatewayProxyResultV2> => {
    try {
      return await handler(event);
    } catch (error) {
      if (error instanceof HttpError) throw withPublicCors(error);
      if (isTransient(error)) {
        const e = error as Error;
        logger?.warn('Dependency unavailable', { error: `${e.name}: ${e.message}` });
        throw withPublicCors(storeUnavailable(error, 'A backing service is unavailable right now. Retry shortly.'));
      }
      throw error;
    }
  };
}

function withPublicCors(error: HttpError): HttpError {
  return new HttpError(error.statusCode, error.code, error.message, error.details, { ...error.headers, ...PUBLIC_CORS }, { cause: error });
}

/**
 * For errors raised before routing on the public paths (413, 415 and malformed JSON from the
 * body parser): adds `PUBLIC_CORS` to the response the error middleware made. Register it
 * before `httpErrors` (middy runs `onError` in reverse order, so it runs after it). Other paths
 * are left alone: tenant and admin routes answer without CORS.
 */
export function publicErrorCors(): MiddlewareObj<JsonEvent, APIGatewayProxyResultV2> {
  return {
    onError: async (request) => {
      const path = request.event.requestContext?.http?.path ?? request.event.rawPath;
      const response = request.response;
      if (!PUBLIC_PATHS.has(path) || typeof response !== 'object' || response === null) return;
      response.headers = { ...response.headers, ...PUBLIC_CORS };
    },
  };
}
