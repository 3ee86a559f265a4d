/**
 * The OpenAPI 3.1 document of HTTP API v1, served at `GET /openapi.json`. Request schemas
 * are derived from the zod schemas the handlers validate with (`z.toJSONSchema`, input side,
 * JSON Schema 2020-12 — the dialect OpenAPI 3.1 uses), so the spec cannot drift from the
 * validation. A test checks the document against the routes the router actually serves.
 */
import { COMPONENTS } from './openapi-components';
import { operations } from './openapi-operations';
import { jsonContent, type JsonSchema, type Method } from './openapi-parts';

export { jsonSchemaOf } from './openapi-parts';

let cached: JsonSchema | undefined;

/** The OpenAPI 3.1 document (built once). */
export function openApiDocument(): JsonSchema {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [key, op] of Object.entries(operations())) {
    const [method, path] = key.split(' ') as [Method, string];
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      operationId: `${method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: op.summary,
      tags: op.tags,
      security: op.auth === 'none' ? [] : [{ [op.auth === 'admin' ? 'adminKey' : 'tenantKey']: [] }],
      ...(op.parameters ? { parameters: op.parameters } : {}),
      ...(op.body ? { requestBody: { required: !op.bodyOptional, content: jsonContent(op.body) } } : {}),
      responses: op.responses,
      ...(op.localOnly ? { 'x-sms-shield-local-only': true } : {}),
    };
  }
  cached = {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'SMS Shield HTTP API',
      version: '1',
      description:
        'Verdict-first SMS sending: every request gets allow, challenge or block with a score and reason codes; an SMS goes out only after a clean verdict.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    paths,
    components: COMPONENTS,
  };
  return cached;
}
