/**
 * The OpenAPI 3.1 document of HTTP API v1, served at `GET /openapi.json`. Request schemas
 * are derived from the zod schemas the handlers validate with (`z.toJSONSchema`, input side,
 * JSON Schema 2020-12 — the dialect OpenAPI 3.1 uses), so the spec cannot drift from the
 * validation. A test checks the document against the routes the router actually serves.
 */
import * as z from 'zod';
import { challengeQuerySchema, deviceRequestSchema } from '../challenge/man-machine';
import { policyOverridesSchema } from '../engine/policy-schema';
import { listEntryInputSchema, listKeyInputSchema, listPageQuerySchema } from '../service/list-admin';
import { reputationImportSchema } from '../service/reputation-admin';
import { otpSendRequestSchema, otpVerifyRequestSchema, sendRequestSchema, verdictRequestSchema, verificationEventSchema } from '../service/schemas';
import { createTenantSchema, issueKeySchema } from '../service/tenant-admin';

type JsonSchema = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';

/** Input-side JSON Schema of a zod schema, without the `$schema` key (OpenAPI sets the dialect). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (schema: JsonSchema) => ({ 'application/json': { schema } });
const response = (description: string, schema?: JsonSchema, headers?: JsonSchema) => ({
  description,
  ...(schema ? { content: jsonContent(schema) } : {}),
  ...(headers ? { headers } : {}),
});
const errorResponse = (description: string) => response(description, ref('Error'));
const RETRY_AFTER = { 'retry-after': { description: 'Seconds until the limiting window frees up', schema: { type: 'integer' } } };

/** Query parameters from a zod object schema (each property becomes one `in: query` parameter). */
function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = jsonSchemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}
const pathParameter = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

interface Operation {
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

const SEND_RESPONSES = {
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
const ok = (schema?: JsonSchema) => ({
  '200': response('OK', schema),
  '400': errorResponse('Invalid input'),
  '401': errorResponse('Missing or invalid API key'),
});
const adminOk = (status: string, schema?: JsonSchema) => ({
  [status]: response('OK', schema),
  '400': errorResponse('Invalid input'),
  '401': errorResponse('Missing or invalid API key'),
  '403': errorResponse('Not an admin key'),
});
const listScope = {
  name: 'scope',
  in: 'query',
  required: true,
  description: '`global` or `t:<tenant id>`',
  schema: { type: 'string', pattern: '^(?:global|t:[a-z0-9][a-z0-9-]{1,62})$' },
};
const LIST_FULL = errorResponse('`LIST_FULL`: the scope holds its maximum of live entries (5,000 by default); remove some first');
const preflight: Operation = { summary: 'CORS preflight', tags: ['public'], auth: 'none', responses: { '204': response('CORS headers') } };

/**
 * Every operation of the API, keyed `METHOD path` (the router's path syntax). Built on first
 * request, not at module load, so the schema conversion adds nothing to a Lambda cold start.
 */
function operations(): Readonly<Record<string, Operation>> {
  return {
    'GET /health': {
      summary: 'Liveness',
      tags: ['meta'],
      auth: 'none',
      responses: { '200': response('Up', { type: 'object', properties: { status: { const: 'ok' } } }) },
    },
    'GET /openapi.json': { summary: 'This document', tags: ['meta'], auth: 'none', responses: { '200': response('OpenAPI 3.1 document', { type: 'object' }) } },
    'POST /v1/sms/send': {
      summary: 'Verdict, then the SMS through SNS on allow',
      tags: ['sms'],
      auth: 'tenant',
      body: jsonSchemaOf(sendRequestSchema),
      responses: SEND_RESPONSES,
    },
    'POST /v1/verdicts': {
      summary: 'The verdict without sending (counted as an attempt)',
      tags: ['sms'],
      auth: 'tenant',
      body: jsonSchemaOf(verdictRequestSchema),
      responses: {
        ...ok({ type: 'object', properties: { verdict: ref('Verdict') }, required: ['verdict'] }),
        '429': response('The tenant used its verdicts for this minute (`TENANT_USAGE_LIMIT`)', ref('Error'), RETRY_AFTER),
      },
    },
    'POST /v1/otp/send': {
      summary: 'Like /v1/sms/send, with a code the shield generates and stores hashed',
      tags: ['otp'],
      auth: 'tenant',
      body: jsonSchemaOf(otpSendRequestSchema),
      responses: SEND_RESPONSES,
    },
    'POST /v1/otp/verify': {
      summary: 'Check a code sent with /v1/otp/send',
      tags: ['otp'],
      auth: 'tenant',
      body: jsonSchemaOf(otpVerifyRequestSchema),
      responses: ok(ref('OtpVerifyResult')),
    },
    'POST /v1/events/verification': {
      summary: 'Report a verification outcome (when you check codes yourself)',
      tags: ['otp'],
      auth: 'tenant',
      body: jsonSchemaOf(verificationEventSchema),
      responses: { ...ok(), '202': response('Recorded', { type: 'object', properties: { credited: { type: 'boolean' } }, required: ['credited'] }) },
    },
    'GET /v1/lists': {
      summary: "One page of the tenant's block and allow lists",
      tags: ['lists'],
      auth: 'tenant',
      parameters: queryParameters(listPageQuerySchema),
      responses: ok(ref('ListEntries')),
    },
    'POST /v1/lists': {
      summary: 'Add a list entry',
      tags: ['lists'],
      auth: 'tenant',
      body: jsonSchemaOf(listEntryInputSchema),
      responses: { ...ok(), '201': response('Added', ref('ListEntry')), '409': LIST_FULL },
    },
    'DELETE /v1/lists': {
      summary: 'Remove a list entry',
      tags: ['lists'],
      auth: 'tenant',
      parameters: queryParameters(listKeyInputSchema),
      responses: ok(ref('Removed')),
    },
    'GET /v1/admin/lists': {
      summary: "One page of any tenant's or the global lists",
      tags: ['admin'],
      auth: 'admin',
      parameters: [listScope, ...queryParameters(listPageQuerySchema)],
      responses: adminOk('200', ref('ListEntries')),
    },
    'POST /v1/admin/lists': {
      summary: "Add an entry to any tenant's or the global lists",
      tags: ['admin'],
      auth: 'admin',
      body: { allOf: [jsonSchemaOf(listEntryInputSchema)], properties: { scope: listScope.schema }, required: ['scope'] },
      responses: { ...adminOk('201', ref('ListEntry')), '409': LIST_FULL },
    },
    'DELETE /v1/admin/lists': {
      summary: 'Remove an entry',
      tags: ['admin'],
      auth: 'admin',
      parameters: [listScope, ...queryParameters(listKeyInputSchema)],
      responses: adminOk('200', ref('Removed')),
    },
    'POST /v1/admin/tenants': {
      summary: 'Create a tenant (answers its first API key once)',
      tags: ['admin'],
      auth: 'admin',
      body: jsonSchemaOf(createTenantSchema),
      responses: adminOk('201', { type: 'object' }),
    },
    'GET /v1/admin/tenants/{id}': {
      summary: 'A tenant (never its keys)',
      tags: ['admin'],
      auth: 'admin',
      parameters: [pathParameter('id', 'tenant id')],
      responses: adminOk('200', { type: 'object' }),
    },
    'POST /v1/admin/tenants/{id}/keys': {
      summary: 'Issue a key; `revokeKeyId` rotates in one call',
      tags: ['admin'],
      auth: 'admin',
      parameters: [pathParameter('id', 'tenant id')],
      body: jsonSchemaOf(issueKeySchema),
      bodyOptional: true,
      responses: adminOk('201', { type: 'object' }),
    },
    'DELETE /v1/admin/tenants/{id}/keys/{keyId}': {
      summary: 'Revoke a key',
      tags: ['admin'],
      auth: 'admin',
      parameters: [pathParameter('id', 'tenant id'), pathParameter('keyId', 'SHA-256 of the key, hex')],
      responses: adminOk('200', { type: 'object' }),
    },
    'PUT /v1/admin/tenants/{id}/policy': {
      summary: "Set a tenant's policy overrides",
      tags: ['admin'],
      auth: 'admin',
      parameters: [pathParameter('id', 'tenant id')],
      body: jsonSchemaOf(policyOverridesSchema),
      responses: adminOk('200', { type: 'object' }),
    },
    'GET /v1/admin/reputation': {
      summary: 'Shared reputation: promoted locally (`source=local`) or all',
      tags: ['admin'],
      auth: 'admin',
      parameters: [{ name: 'source', in: 'query', required: false, schema: { type: 'string', enum: ['local', 'all'] } }],
      responses: adminOk('200', { type: 'object' }),
    },
    'POST /v1/admin/reputation': {
      summary: "Merge a partner's signed reputation feed",
      tags: ['admin'],
      auth: 'admin',
      body: jsonSchemaOf(reputationImportSchema),
      responses: adminOk('200', { type: 'object' }),
    },
    'GET /v1/challenge': {
      summary: 'A proof-of-work challenge (public, CORS on every answer)',
      tags: ['public'],
      auth: 'none',
      parameters: queryParameters(challengeQuerySchema),
      responses: {
        '200': response('Challenge', { type: 'object' }),
        '400': errorResponse('Invalid input; behind the public edge, a request without one valid viewer address (`VIEWER_ADDRESS_INVALID`)'),
        '403': errorResponse('The public edge is on and the request did not come through it (`PUBLIC_EDGE_REQUIRED`)'),
        '404': errorResponse('Unknown tenant (`UNKNOWN_TENANT`)'),
        '429': response('Throttled by API Gateway (`{"message":"Too Many Requests"}`) or by the edge\'s web ACL', { type: 'object' }, RETRY_AFTER),
        '503': response('A backing service is unavailable (`STORE_UNAVAILABLE`)', ref('Error'), RETRY_AFTER),
      },
    },
    'OPTIONS /v1/challenge': preflight,
    'POST /v1/device': {
      summary: 'A signed device token (public, CORS on every answer)',
      tags: ['public'],
      auth: 'none',
      body: jsonSchemaOf(deviceRequestSchema),
      responses: {
        '200': response('Device token', {
          type: 'object',
          properties: {
            token: { type: 'string', maxLength: 128 },
            deviceId: { type: 'string' },
            firstSeen: { type: 'integer' },
            expiresAt: { type: 'integer' },
            markers: { type: 'array', items: { type: 'string' } },
          },
          required: ['token', 'deviceId', 'firstSeen', 'expiresAt', 'markers'],
        }),
        '400': errorResponse('Invalid input; behind the public edge, a request without one valid viewer address (`VIEWER_ADDRESS_INVALID`)'),
        '403': errorResponse('The public edge is on and the request did not come through it (`PUBLIC_EDGE_REQUIRED`)'),
        '429': response(
          "Too many new devices from this address or network (`DEVICE_MINT_LIMITED`); or throttled by API Gateway or the edge's web ACL",
          { oneOf: [ref('Error'), { type: 'object' }] },
          RETRY_AFTER,
        ),
        '503': response('A backing service is unavailable (`STORE_UNAVAILABLE`)', ref('Error'), RETRY_AFTER),
      },
    },
    'OPTIONS /v1/device': preflight,
    'GET /v1/outbox': {
      summary: "Local mode only: the tenant's outbox",
      tags: ['local'],
      auth: 'tenant',
      localOnly: true,
      responses: ok({ type: 'object', properties: { messages: { type: 'array', items: { type: 'object' } } } }),
    },
    'GET /v1/sdk.js': {
      summary: 'Local mode only: the browser SDK',
      tags: ['local'],
      auth: 'none',
      localOnly: true,
      responses: { '200': { description: 'JavaScript', content: { 'text/javascript': { schema: { type: 'string' } } } } },
    },
    'GET /demo': {
      summary: 'Local mode only: the demo page',
      tags: ['local'],
      auth: 'none',
      localOnly: true,
      responses: { '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } },
    },
    'POST /demo/send': {
      summary: "Local mode only: the demo page's stand-in backend",
      tags: ['local'],
      auth: 'none',
      localOnly: true,
      body: { type: 'object', properties: { phone: { type: 'string' }, device: { type: 'string' }, challenge: { type: 'string' } }, required: ['phone'] },
      responses: SEND_RESPONSES,
    },
  };
}

const COMPONENTS = {
  securitySchemes: {
    tenantKey: { type: 'http', scheme: 'bearer', description: 'Tenant API key (`ssk_…`)' },
    adminKey: { type: 'http', scheme: 'bearer', description: 'Admin API key' },
  },
  schemas: {
    Verdict: {
      type: 'object',
      properties: {
        decision: { type: 'string', enum: ['allow', 'challenge', 'block'] },
        score: { type: 'integer', minimum: 0, maximum: 100 },
        level: { type: 'string', enum: ['low', 'medium', 'high'] },
        reasons: { type: 'array', items: { type: 'string' }, description: 'Stable reason codes; a block lists the hard reason first' },
        retryAfterSeconds: { type: 'integer' },
        shadow: { type: 'boolean' },
        challengeLevel: {
          type: 'integer',
          minimum: 2,
          description:
            'With `challenge`: fetch the proof-of-work challenge at this level (`GET /v1/challenge?level=`); absent means the level the challenge route picks',
        },
      },
      required: ['decision', 'score', 'level', 'reasons'],
    },
    SendResponse: {
      type: 'object',
      properties: { decision: { const: 'allow' }, sent: { const: true }, messageId: { type: 'string' }, verdict: ref('Verdict') },
      required: ['decision', 'sent', 'messageId', 'verdict'],
    },
    RefusedSendResponse: {
      type: 'object',
      properties: {
        decision: { type: 'string' },
        sent: { const: false },
        verdict: ref('Verdict'),
        error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
      },
      required: ['decision', 'sent', 'verdict'],
    },
    OutcomeUnknownSendResponse: {
      type: 'object',
      properties: {
        decision: { type: 'string' },
        sent: { type: 'null', description: 'Unknown: the SMS may or may not have been sent' },
        verdict: ref('Verdict'),
        error: { type: 'object', properties: { code: { const: 'SEND_OUTCOME_UNKNOWN' }, message: { type: 'string' } }, required: ['code', 'message'] },
      },
      required: ['decision', 'sent', 'verdict', 'error'],
    },
    OtpVerifyResult: {
      oneOf: [
        { type: 'object', properties: { verified: { const: true } }, required: ['verified'] },
        {
          type: 'object',
          properties: {
            verified: { const: false },
            reason: { type: 'string', enum: ['NO_PENDING_CODE', 'WRONG_CODE', 'TOO_MANY_ATTEMPTS'] },
            remainingAttempts: { type: 'integer' },
          },
          required: ['verified', 'reason'],
        },
      ],
    },
    ListEntry: {
      type: 'object',
      properties: {
        scope: { type: 'string' },
        kind: { type: 'string' },
        value: { type: 'string' },
        action: { type: 'string', enum: ['block', 'allow'] },
        reason: { type: 'string' },
        createdAt: { type: 'string', format: 'date-time' },
        expiresAt: { type: 'string', format: 'date-time' },
      },
      required: ['scope', 'kind', 'value', 'action', 'createdAt'],
    },
    ListEntries: {
      type: 'object',
      properties: {
        entries: { type: 'array', items: ref('ListEntry') },
        nextCursor: { type: 'string', description: 'Pass as `cursor` for the next page; absent on the last page' },
      },
      required: ['entries'],
    },
    Removed: { type: 'object', properties: { removed: { const: true } }, required: ['removed'] },
    Error: {
      type: 'object',
      properties: {
        error: {
          type: 'object',
          properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
          required: ['code', 'message'],
        },
      },
      required: ['error'],
    },
  },
};

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
