import { challengeQuerySchema, deviceRequestSchema } from '../challenge/man-machine';
import { policyOverridesSchema } from '../engine/policy-schema';
import { listEntryInputSchema, listKeyInputSchema, listPageQuerySchema } from '../service/list-admin';
import { reputationImportSchema } from '../service/reputation-admin';
import { otpSendRequestSchema, otpVerifyRequestSchema, sendRequestSchema, verdictRequestSchema, verificationEventSchema } from '../service/schemas';
import { createTenantSchema, issueKeySchema } from '../service/tenant-admin';
import { keyOperations } from './openapi-key-operations';

import {
  adminOk,
  errorResponse,
  jsonSchemaOf,
  LIST_FULL,
  listScope,
  ok,
  type Operation,
  pathParameter,
  preflight,
  queryParameters,
  ref,
  response,
  RETRY_AFTER,
  SEND_RESPONSES,
} from './openapi-parts';

/**
 * Every operation of the API, keyed `METHOD path` (the router's path syntax). Built on first
 * request, not at module load, so the schema conversion adds nothing to a Lambda cold start.
 */
export function operations(): Readonly<Record<string, Operation>> {
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
    ...keyOperations(),
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
