import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ApiHandler } from '../../lambdas/handlers/http-api';

/** An API Gateway HTTP API (v2) event, as the Lambda function receives it. */
export function apiEvent(method: string, path: string, options: { key?: string; body?: unknown; query?: Record<string, string> } = {}): APIGatewayProxyEventV2 {
  const query = options.query ?? {};
  const rawQueryString = new URLSearchParams(query).toString();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString,
    headers: {
      'content-type': 'application/json',
      ...(options.key !== undefined && { authorization: `Bearer ${options.key}` }),
    },
    queryStringParameters: rawQueryString ? query : undefined,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'test',
      routeKey: '$default',
      stage: '$default',
      time: new Date(0).toISOString(),
      timeEpoch: 0,
    },
  };
}

const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

/** Call the HTTP handler in process; the body comes back parsed. */
export async function invoke(
  handler: ApiHandler,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; query?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string>; body: any }> {
  const result = (await handler(apiEvent(method, path, options), context)) as APIGatewayProxyStructuredResultV2;
  return {
    status: result.statusCode ?? 200,
    headers: (result.headers ?? {}) as Record<string, string>,
    body: result.body ? JSON.parse(result.body) : undefined,
  };
}
