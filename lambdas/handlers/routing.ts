import type { Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { HttpError } from './http-error';
import type { JsonEvent } from './middleware/json-body';

/** A Lambda handler of API Gateway HTTP API (payload 2.0) events. */
export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export type ApiRoute = Route<JsonEvent, APIGatewayProxyResultV2>;

/** A typed route: the handler gets the event with its parsed JSON body. */
export function route(
  method: Route<JsonEvent, APIGatewayProxyResultV2>['method'],
  path: string,
  handler: (event: JsonEvent) => Promise<APIGatewayProxyResultV2>,
): ApiRoute {
  return { method, path, handler: (event: JsonEvent) => handler(event) };
}

/** Validate with zod; a failure becomes a 400 naming every offending field. */
export function validate<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (body === undefined) throw new HttpError(400, 'INVALID_REQUEST', 'A JSON body is required');
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(body)';
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[key] = 'is not a known field';
      continue;
    }
    fields[path] ??= issue.message;
  }
  throw new HttpError(400, 'INVALID_REQUEST', 'Request body failed validation', { fields });
}
