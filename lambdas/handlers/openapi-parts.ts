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
export const jsonContent = (schema: JsonSchema) => ({ 'application/json': { schema } });
export const response = (description: string, schema?: JsonSchema, headers?: JsonSchema) => ({
  description,
  ...(schema ? { content: jsonContent(schema) } : {}),
  ...(headers ? { headers } : {}),
});
export const errorResponse = (description: string) => response(description, ref('Error'));
export const RETRY_AFTER = { 'retry-after': { description: 'Seconds until the limiting window frees up', schema: { type: 'integer' } } };

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
  readonly summary: string;
  readonly tags: string[];
  /** tenant: Bearer tenant key; admin: Bearer admin key; none: public. */
  readonly auth: 'tenant' | 'admin' | 'none';
  readonly body?: JsonSchema;
  /** The body may be left out. */
  readonly bodyOptional?: boolean;
  readonly parameters?: JsonSchema[];
  readonly responses: Record<string, unknown>;
  /** Served by `npm start` only, not by the Lambda function. */
  readonly localOnly?: boolean;
}

export const SEND_RESPONSES = {
  '200': response('Allowed and sent', ref('SendResponse')),
  '400': errorResponse('Invalid input, a message per field in `error.details.fields`'),
  '401': errorResponse('Missing or invalid API key'),
  '403': response('Blocked', ref('RefusedSendResponse')),
  '428': response('Challenge required: solve a proof-of-work challenge and retry with `challenge`', ref('RefusedSendResponse')),
  '429': response(
    'Blocked by velocity (a verdict), or the tenant used its verdicts for this minute (`TENANT_USAGE_LIMIT`, an error body, nothing judged)',
    { oneOf: [ref('RefusedSendResponse'), ref('Error')] },
    RETRY_AFTER,
  ),
  '502': response('The SMS provider failed: nothing was sent, the quota was given back, a retry is safe', ref('RefusedSendResponse')),
  '504': response(
    'The SMS provider did not answer in time (`SEND_OUTCOME_UNKNOWN`): the SMS may have been sent, `sent` is null, the quota stays taken, and a retry with the same `idempotencyKey` gets this answer again',
    ref('OutcomeUnknownSendResponse'),
  ),
};
export const ok = (schema?: JsonSchema) => ({
  '200': response('OK', schema),
  '400': errorResponse('Invalid input'),
  '401': errorResponse('Missing or invalid API key'),
});
export const adminOk = (status: string, schema?: JsonSchema) => ({
  [status]: response('OK', schema),
  '400': errorResponse('Invalid input'),
  '401': errorResponse('Missing or invalid API key'),
  '403': errorResponse('Not an admin key'),
});
export const listScope = {
  name: 'scope',
  in: 'query',
  required: true,
  description: '`global` or `t:<tenant id>`',
  schema: { type: 'string', pattern: '^(?:global|t:[a-z0-9][a-z0-9-]{1,62})$' },
};
export const LIST_FULL = errorResponse('`LIST_FULL`: the scope holds its maximum of live entries (5,000 by default); remove some first');
export const preflight: Operation = { summary: 'CORS preflight', tags: ['public'], auth: 'none', responses: { '204': response('CORS headers') } };
