import middy from '@middy/core';
import type { APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ManMachine } from '../../lambdas/challenge/man-machine';
import { httpErrors } from '../../lambdas/handlers/middleware/http-errors';
import type { JsonEvent } from '../../lambdas/handlers/middleware/json-body';
import { publicErrorCors, publicRoutes } from '../../lambdas/handlers/public-routes';
import { ShieldError } from '../../lambdas/domain/errors';
import { HttpError } from '../../lambdas/handlers/http-error';
import type { ServiceLogger } from '../../lambdas/service/shield-service';

const logged: string[] = [];
const logger: ServiceLogger = { info: () => undefined, warn: (m) => void logged.push(m), error: (m) => void logged.push(m) };

/** A man-machine whose every call fails with `error`. */
const failing = (error: unknown) =>
  ({
    challenge: async () => {
      throw error;
    },
    device: async () => {
      throw error;
    },
  }) as unknown as ManMachine;

const event = (method: string, path: string, extra: Partial<JsonEvent> = {}): JsonEvent =>
  ({
    rawPath: path,
    headers: {},
    queryStringParameters: { tenant: 'shop' },
    requestContext: { http: { method, path, sourceIp: '81.2.69.142' } },
    ...extra,
  }) as unknown as JsonEvent;

/** Runs one public route behind the real error middleware, as the API does. */
async function answer(manMachine: ManMachine, method: string, path: string, extra: Partial<JsonEvent> = {}) {
  const route = publicRoutes(manMachine, logger).find((r) => r.method === method && r.path === path)!;
  const handler = middy<JsonEvent, APIGatewayProxyResultV2>()
    .use(httpErrors(logger))
    .handler((e: JsonEvent) => route.handler(e, {} as never, {} as never) as Promise<APIGatewayProxyResultV2>);
  return (await handler(event(method, path, extra), {} as never)) as APIGatewayProxyStructuredResultV2;
}

const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: { throttling: true } });

describe('public routes: every answer readable by a browser', () => {
  it.each([
    ['a validation error', 'GET', '/v1/challenge', failing(new Error('unused')), { queryStringParameters: {} }, 400],
    ['a missing body', 'POST', '/v1/device', failing(new Error('unused')), {}, 400],
    ['an unknown tenant', 'GET', '/v1/challenge', failing(new ShieldError('UNKNOWN_TENANT', 'No tenant has this id')), {}, 404],
    [
      'a rate limit',
      'POST',
      '/v1/device',
      failing(new ShieldError('DEVICE_MINT_LIMITED', 'slow down', undefined, 60)),
      { parsedBody: { fingerprint: 'abcdefgh12345678' } },
      429,
    ],
    ['a store outage', 'GET', '/v1/challenge', failing(throttled), {}, 503],
  ])('%s carries the public CORS headers', async (_name, method, path, manMachine, extra, status) => {
    const res = await answer(manMachine, method, path, extra as Partial<JsonEvent>);
    expect(res.statusCode).toBe(status);
    expect(res.headers?.['access-control-allow-origin']).toBe('*');
    if (status === 429) expect(res.headers?.['retry-after']).toBe('60');
    if (status === 503) expect(res.headers?.['retry-after']).toBe('5');
  });

  it('still logs a store outage, and leaves a real bug a 500 that is logged as one', async () => {
    logged.length = 0;
    await answer(failing(throttled), 'GET', '/v1/challenge');
    expect(logged).toEqual(['Dependency unavailable']);
    const bug = await answer(failing(new TypeError('x is undefined')), 'GET', '/v1/challenge');
    expect(bug.statusCode).toBe(500);
    expect(logged).toContain('Unhandled error');
  });

  it('adds CORS to errors raised before routing (body parsing) on the public paths only', async () => {
    const handler = middy<JsonEvent, APIGatewayProxyResultV2>()
      .use(publicErrorCors())
      .use(httpErrors(logger))
      .before(() => {
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
      })
      .handler(async () => ({ statusCode: 200 }));
    const run = async (path: string) => (await handler(event('POST', path), {} as never)) as APIGatewayProxyStructuredResultV2;
    expect((await run('/v1/device')).headers?.['access-control-allow-origin']).toBe('*');
    expect((await run('/v1/challenge')).headers?.['access-control-allow-origin']).toBe('*');
    expect((await run('/v1/sms/send')).headers?.['access-control-allow-origin']).toBeUndefined();
    expect((await run('/v1/device/x')).headers?.['access-control-allow-origin']).toBeUndefined();
  });
});
