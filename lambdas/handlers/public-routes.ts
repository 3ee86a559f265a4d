import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { challengeQuerySchema, deviceRequestSchema, type ManMachine } from '../challenge/man-machine';
import { storeUnavailable } from '../domain/errors';
import { asHttpError, toHttpError } from './error-status';
import { HttpError } from './http-error';
import type { ServiceLogger } from '../service/shield-service';
import { errorResponse, isTransient, json } from './middleware/http-errors';
import type { JsonEvent } from './middleware/json-body';
import { type ApiHandler, route, validate, type ApiRoute } from './routing';
import { ORIGIN_SECRET_HEADER, PUBLIC_ROUTES, VIEWER_ADDRESS_HEADER } from '../shared/public-edge';

/**
 * CORS for the public routes the browser SDK calls from the tenant's own pages. Any origin:
 * these routes take no credentials and reveal nothing; what they hand out is only worth
 * something together with the tenant's backend, which holds the API key.
 */
const PUBLIC_CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  // Not a CORS-safelisted response header: without this a page cannot read a 429's Retry-After.
  'access-control-expose-headers': 'retry-after',
  'access-control-max-age': '86400',
};

/** Paths of the public routes: their answers, errors included, carry `PUBLIC_CORS`. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(PUBLIC_ROUTES.map((r) => r.path));

/**
 * Whether `path` reaches a public route. The router serves every static path with and without
 * one trailing slash (`/v1/challenge/` is the challenge route too), so both count here: a check
 * keyed on the exact path alone could be walked around with a slash.
 */
export function isPublicPath(path: string | undefined): boolean {
  if (path === undefined) return false;
  return PUBLIC_PATHS.has(path) || (path.endsWith('/') && PUBLIC_PATHS.has(path.slice(0, -1)));
}

/** How the public routes learn who is calling. */
export interface PublicOriginOptions {
  /**
   * The origin secret of the public edge. Set (the edge is on): the public routes answer only
   * requests that carry it (anything else gets `403 PUBLIC_EDGE_REQUIRED`, so nobody skips the
   * edge's web ACL), and count the viewer's address from `CloudFront-Viewer-Address` instead of
   * CloudFront's own. Unset: no edge; the connection's address counts and the header is ignored.
   */
  readonly secret?: string;
  /**
   * With a secret: still answer direct calls (no or another secret), counted by their connection
   * address with `CloudFront-Viewer-Address` ignored, instead of refusing them. For the move of
   * pages from the API's URL to the edge's; direct calls skip the web ACL meanwhile. @default false
   */
  readonly allowDirect?: boolean;
  readonly logger?: ServiceLogger;
}

/**
 * Wraps the API handler with the public edge's origin check (see {@link PublicOriginOptions}).
 * Both headers are taken off every event before the handler sees it, on every route, so neither
 * the secret nor an unchecked viewer address can reach a log line or a rule. Tenant and admin
 * routes pass through untouched otherwise: their callers are servers that call the API directly.
 */
export function guardPublicOrigin(handler: ApiHandler, options: PublicOriginOptions = {}): ApiHandler {
  const expected = options.secret === undefined ? undefined : sha256(options.secret);
  return async (event, context) => {
    const headers = { ...event.headers };
    const presented = takeHeader(headers, ORIGIN_SECRET_HEADER);
    const viewerAddress = takeHeader(headers, VIEWER_ADDRESS_HEADER);
    const stripped: APIGatewayProxyEventV2 = { ...event, headers };
    if (expected === undefined || !isPublicPath(event.requestContext?.http?.path ?? event.rawPath)) return handler(stripped, context);

    // Equal-length digests, compared in constant time: the answer's timing says nothing about the secret.
    if (presented === undefined || !timingSafeEqual(sha256(presented), expected)) {
      if (options.allowDirect) return handler(stripped, context);
      return errorResponse(403, 'PUBLIC_EDGE_REQUIRED', 'This route answers only through the public endpoint of this deployment', undefined, PUBLIC_CORS);
    }
    const viewer = viewerIp(viewerAddress);
    if (viewer === undefined) {
      // CloudFront always sends it when the origin request policy asks for it: a missing or
      // double value is a misconfigured edge, or a request CloudFront did not shape.
      options.logger?.warn('Public edge request without one valid CloudFront-Viewer-Address', { present: viewerAddress !== undefined });
      return errorResponse(400, 'VIEWER_ADDRESS_INVALID', 'The public endpoint did not say who is calling', undefined, PUBLIC_CORS);
    }
    const http = { ...stripped.requestContext.http, sourceIp: viewer };
    return handler({ ...stripped, requestContext: { ...stripped.requestContext, http } }, context);
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Removes every spelling of header `name` from `headers`; their values joined as API Gateway joins repeats. */
function takeHeader(headers: Record<string, string | undefined>, name: string): string | undefined {
  const values: string[] = [];
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== name) continue;
    const value = headers[key];
    if (value !== undefined) values.push(value);
    delete headers[key];
  }
  return values.length === 0 ? undefined : values.join(',');
}

/**
 * The address in one `CloudFront-Viewer-Address` value: `address:port`, IPv6 unbracketed (the
 * port follows the last colon) or bracketed. Anything else, two values included, is undefined.
 */
function viewerIp(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(?:\[([0-9A-Fa-f:.]+)\]|([0-9A-Fa-f:.]+)):([0-9]{1,5})\s*$/.exec(value);
  if (!match || Number(match[3]) > 65_535) return undefined;
  const address = match[1] ?? match[2]!;
  return isIP(address) === 0 ? undefined : address;
}

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
      const known = asHttpError(error);
      if (known) throw withPublicCors(known);
      if (isTransient(error)) {
        const e = error as Error;
        logger?.warn('Dependency unavailable', { error: `${e.name}: ${e.message}` });
        throw withPublicCors(toHttpError(storeUnavailable(error, 'A backing service is unavailable right now. Retry shortly.')));
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
      if (!isPublicPath(path) || typeof response !== 'object' || response === null) return;
      response.headers = { ...response.headers, ...PUBLIC_CORS };
    },
  };
}
