/** Building blocks of the OpenAPI document: JSON Schema of zod schemas, responses, parameters. */
import * as z from 'zod';

export type JsonSchema = Record<string, unknown>;
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';

/** Input-side JSON Schema of a zod schema, without the `$schema` key (OpenAPI sets the dialect). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/** A response of `components.responses`: the statuses every route of a kind shares are written once. */
export const sharedResponse = (name: SharedResponse) => ({ $ref: `#/components/responses/${name}` });
export const jsonContent = (schema: JsonSchema) => ({ 'application/json': { schema } });
export const response = (description: string, schema?: JsonSchema, headers?: JsonSchema) => ({
  description,
  ...(schema ? { content: jsonContent(schema) } : {}),
  ...(headers ? { headers } : {}),
});
export const errorResponse = (description: string, headers?: JsonSchema) => response(description, ref('Error'), headers);
export const RETRY_AFTER = { 'retry-after': { description: 'Seconds to wait before the same request may succeed', schema: { type: 'integer' } } };

/** Query parameters from a zod object schema (each property becomes one `in: query` parameter). */
export function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = jsonSchemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}
export const pathParameter = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

export interface Operation {
  /** One line: what the operation does. */
  readonly summary: string;
  /** What it does, who calls it, and what a caller must know (idempotency, shadow mode, limits). */
  readonly description: string;
  readonly tags: string[];
  /** tenant: Bearer tenant key; admin: Bearer admin key; signature: a Supabase hook's Standard Webhooks signature; none: public. */
  readonly auth: 'tenant' | 'admin' | 'signature' | 'none';
  readonly body?: JsonSchema;
  /** The body may be left out. */
  readonly bodyOptional?: boolean;
  readonly parameters?: JsonSchema[];
  /**
   * The answers of this operation. The ones every route of its kind shares are added by the
   * document (`standardResponses` in openapi.ts): 400/413/415 with a body, 401 and 503 with a
   * key, 403 with an admin key, 429 of the API Gateway throttle; a status given here wins.
   */
  readonly responses: Record<string, unknown>;
  /** Served by `npm start` only, not by the Lambda function: in the local document only. */
  readonly localOnly?: boolean;
}

/** The shared responses (`components.responses`), by name. */
export type SharedResponse = 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'PayloadTooLarge' | 'UnsupportedMediaType' | 'StoreUnavailable' | 'Throttled';

const SEND_429 =
  'Blocked by velocity (a verdict with `retryAfterSeconds`); or the tenant used its verdicts for this minute (`TENANT_USAGE_LIMIT`, an error body, nothing judged); ' +
  'in AWS also API Gateway\'s throttle (`{"message":"Too Many Requests"}`). Retry after `Retry-After`';

/** The answers of a protected send (`/v1/sms/send`, `/v1/otp/send`). */
export const SEND_RESPONSES = {
  '200': response('Allowed and sent', ref('SendResponse')),
  '403': response(
    'Blocked (`decision: block`); nothing was sent. In shadow mode only a number that is not a valid number is refused (`INVALID_NUMBER`, `shadow: true`)',
    ref('RefusedSendResponse'),
  ),
  '409': errorResponse(
    '`IDEMPOTENCY_IN_PROGRESS`: a request with this `idempotencyKey` is still being processed; retry after `Retry-After` (1 s) to get its answer',
    RETRY_AFTER,
  ),
  '422': errorResponse('`IDEMPOTENCY_KEY_REUSED`: this `idempotencyKey` was used with another body. After a 428, send the solved request with a new key'),
  '428': response(
    'Challenge required (`decision: challenge`): solve a proof-of-work challenge (`GET /v1/challenge`, at `verdict.challengeLevel` when given) and retry with `challenge` and a new `idempotencyKey`',
    ref('RefusedSendResponse'),
  ),
  '429': response(SEND_429, { oneOf: [ref('RefusedSendResponse'), ref('Error'), ref('GatewayThrottled')] }, RETRY_AFTER),
  '502': response('The SMS provider failed (`SEND_FAILED`): nothing was sent, the quota was given back, a retry is safe', ref('RefusedSendResponse')),
  '503': errorResponse(
    '`STORE_UNAVAILABLE`: the store cannot be reached and the scenario fails closed (`onStoreError: closed`, the default of `reset_password` and `transfer`), ' +
      'a key of this attempt is too busy to be counted (throttled while the store serves the rest: a number under attack, whatever `onStoreError` says), ' +
      'or the API key or `idempotencyKey` cannot be checked; nothing was sent. Retry after `Retry-After`',
    RETRY_AFTER,
  ),
  '504': response(
    'The SMS provider did not answer in time (`SEND_OUTCOME_UNKNOWN`): the SMS may have been sent, `sent` is null, the quota stays taken, and a retry with the same `idempotencyKey` gets this answer again',
    ref('OutcomeUnknownSendResponse'),
  ),
};
/** A success answer with `schema` as its body. */
export const ok = (schema?: JsonSchema, status = '200', description = 'OK') => ({ [status]: response(description, schema) });
/** The success answer of an admin route (the shared 401/403/503 are added from `auth: 'admin'`). */
export const adminOk = (status: string, schema?: JsonSchema) => ok(schema, status);
export const listScope = {
  name: 'scope',
  in: 'query',
  required: true,
  description: '`global` or `t:<tenant id>`',
  schema: { type: 'string', pattern: '^(?:global|t:[a-z0-9][a-z0-9-]{1,62})$' },
};
export const LIST_FULL = errorResponse('`LIST_FULL`: the scope holds its maximum of live entries (5,000 by default); remove some first');
export const TENANT_NOT_FOUND = errorResponse('`NOT_FOUND`: no tenant has this id');

/** The 400 of the public edge: only the Lambda function behind CloudFront answers it. */
const VIEWER_ADDRESS_INVALID = 'behind the public edge, a request without one valid `CloudFront-Viewer-Address` (`VIEWER_ADDRESS_INVALID`)';
/** The 403 of a public route in AWS: the edge's origin check, or the web ACL. */
export const PUBLIC_EDGE_403 = errorResponse(
  'AWS with the public edge on: the request did not come through CloudFront (`PUBLIC_EDGE_REQUIRED`), or the web ACL blocked the address (AWS IP reputation list)',
);
export const publicBadRequest = (what: string) => errorResponse(`${what}; ${VIEWER_ADDRESS_INVALID}`);
export const preflight = (path: string): Operation => ({
  summary: 'CORS preflight',
  description: `The browser's preflight before calling \`${path}\` from a page of another origin: any origin, no credentials.`,
  tags: ['public'],
  auth: 'none',
  responses: {
    '204': response('CORS headers'),
    '400': errorResponse(`Only ${VIEWER_ADDRESS_INVALID}`),
    '403': PUBLIC_EDGE_403,
  },
});
