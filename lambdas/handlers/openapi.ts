/**
 * The OpenAPI 3.1 document of HTTP API v1, served at `GET /openapi.json`. Request schemas
 * are derived from the zod schemas the handlers validate with (`z.toJSONSchema`, input side,
 * JSON Schema 2020-12 — the dialect OpenAPI 3.1 uses), so the spec cannot drift from the
 * validation. Tests check the document against the routes the router serves, and every
 * documented status against the statuses the handler answers.
 */
import { COMPONENTS } from './openapi-components';
import { operations } from './openapi-operations';
import { jsonContent, type JsonSchema, type Method, type Operation, sharedResponse } from './openapi-parts';

export { jsonSchemaOf } from './openapi-parts';

/**
 * The answers every operation of a kind gets, as the middleware gives them to every route: a
 * body can be malformed, too large or not JSON (the body parser runs before routing); a key can
 * be missing or wrong, or the store that checks it down; an admin route refuses tenant keys; and
 * in AWS, API Gateway's throttle answers 429 before the function runs. An operation's own answer
 * for a status replaces the shared one.
 */
function standardResponses(op: Operation): Record<string, unknown> {
  return {
    ...(op.body && { '400': sharedResponse('BadRequest'), '413': sharedResponse('PayloadTooLarge'), '415': sharedResponse('UnsupportedMediaType') }),
    ...((op.auth === 'tenant' || op.auth === 'admin') && { '401': sharedResponse('Unauthorized'), '503': sharedResponse('StoreUnavailable') }),
    ...(op.auth === 'admin' && { '403': sharedResponse('Forbidden') }),
    ...(!op.localOnly && { '429': sharedResponse('Throttled') }),
  };
}

const SECURITY_SCHEME = { tenant: 'tenantKey', admin: 'adminKey', signature: 'supabaseHookSignature' } as const;

/** Responses in status order, so the document reads the same whatever order they were written in. */
function byStatus(responses: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}

export interface OpenApiOptions {
  /**
   * The operations (`METHOD path`) the server serves: a local-only operation is documented only
   * when served, so the Lambda function's document leaves out what only `npm start` serves.
   * @default none of the local-only operations
   */
  readonly served?: Iterable<string>;
}

/** Documents built so far, by the local-only operations they include. */
const built = new Map<string, JsonSchema>();

/** The OpenAPI 3.1 document: every operation but the local-only ones not served (built once per set). */
export function openApiDocument(options: OpenApiOptions = {}): JsonSchema {
  const served = new Set(options.served ?? []);
  const included = Object.entries(operations()).filter(([key, op]) => !op.localOnly || served.has(key));
  const cacheKey = included
    .filter(([, op]) => op.localOnly)
    .map(([key]) => key)
    .join('\n');
  const cached = built.get(cacheKey);
  if (cached) return cached;

  const paths: Record<string, Record<string, unknown>> = {};
  for (const [key, op] of included) {
    const [method, path] = key.split(' ') as [Method, string];
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      operationId: `${method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: op.summary,
      description: op.description,
      tags: op.tags,
      security: op.auth === 'none' ? [] : [{ [SECURITY_SCHEME[op.auth]]: [] }],
      ...(op.parameters ? { parameters: op.parameters } : {}),
      ...(op.body ? { requestBody: { required: !op.bodyOptional, content: jsonContent(op.body) } } : {}),
      responses: byStatus({ ...standardResponses(op), ...op.responses }),
      ...(op.localOnly ? { 'x-sms-shield-local-only': true } : {}),
    };
  }
  const document = {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'SMS Shield HTTP API',
      version: '1',
      description:
        'Verdict-first SMS sending: every request gets allow, challenge or block with a score and reason codes; an SMS goes out only after a clean verdict. ' +
        'Errors answer `{"error":{"code","message","details?"}}`. A path or method the API does not serve answers 404 `NOT_FOUND`; ' +
        'a body is read as JSON before routing, so on a route that takes none a body that is malformed, over 16 KB or not JSON still answers 400, 413 or 415; ' +
        'a fault that is a bug answers 500 `INTERNAL_ERROR` (logged; the answer says nothing more).',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    paths,
    components: COMPONENTS,
  };
  built.set(cacheKey, document);
  return document;
}
