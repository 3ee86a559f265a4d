/** The shared schemas, responses and security schemes of the OpenAPI document. */
import { errorResponse, RETRY_AFTER, ref, response, type SharedResponse } from './openapi-parts';

/**
 * The answers many routes share, referenced from each operation (`#/components/responses/…`).
 * Which operations get which is decided in one place, from the operation's auth and body
 * (`standardResponses` in openapi.ts), the way the middleware gives them to every route.
 */
const RESPONSES: Record<SharedResponse, unknown> = {
  BadRequest: errorResponse(
    'Invalid input: `INVALID_REQUEST` with a message per field in `error.details.fields` (unknown fields included), or `MALFORMED_JSON`',
  ),
  Unauthorized: errorResponse('`UNAUTHORIZED`: no API key, or an unknown, revoked or malformed one (an admin key is no tenant key)', {
    'www-authenticate': { description: '`Bearer`', schema: { type: 'string' } },
  }),
  Forbidden: errorResponse('`FORBIDDEN`: a tenant key on an admin route'),
  PayloadTooLarge: errorResponse('`PAYLOAD_TOO_LARGE`: the body exceeds 16 KB (16,384 bytes)'),
  UnsupportedMediaType: errorResponse(
    '`UNSUPPORTED_MEDIA_TYPE`: a body with a `Content-Type` other than `application/json` (or `application/*+json`); a body without one is read as JSON',
  ),
  StoreUnavailable: errorResponse(
    '`STORE_UNAVAILABLE`: the store (DynamoDB) is throttling or cannot be reached, e.g. to check the API key; nothing was done. Retry after `Retry-After`',
    RETRY_AFTER,
  ),
  Throttled: response(
    "AWS only, answered before the function runs: API Gateway's throttle (the stage's limits, shared by every tenant and admin call; " +
      'the public routes have limits of their own) with `{"message":"Too Many Requests"}`; behind the public edge, the web ACL\'s limit per address on the public routes, with `RATE_LIMITED`',
    { oneOf: [ref('GatewayThrottled'), ref('Error')] },
    RETRY_AFTER,
  ),
};

export const COMPONENTS = {
  responses: RESPONSES,
  securitySchemes: {
    tenantKey: { type: 'http', scheme: 'bearer', description: 'Tenant API key (`ssk_…`)' },
    adminKey: { type: 'http', scheme: 'bearer', description: 'Admin API key' },
    supabaseHookSignature: {
      type: 'apiKey',
      in: 'header',
      name: 'webhook-signature',
      description:
        'Standard Webhooks signature (`webhook-id`, `webhook-timestamp`, `webhook-signature`) made with the secret set for the tenant by `PUT /v1/admin/tenants/{id}/hooks/supabase`',
    },
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
    SupabaseHook: {
      type: 'object',
      description: "A tenant's Supabase Send SMS hook: whether a secret is set, never the secret",
      properties: {
        configured: { type: 'boolean' },
        rotating: { type: 'boolean', description: 'Two secrets are accepted: the current one and the one it replaced' },
        codeTemplate: { type: 'string' },
        updatedAt: { type: 'string', format: 'date-time' },
      },
      required: ['configured', 'rotating'],
    },
    SupabaseHookAnswer: {
      type: 'object',
      description: 'What Supabase Auth reads: `{}` when the code was sent; otherwise `error`, whose status and message Supabase hands its client',
      properties: {
        error: {
          type: 'object',
          properties: { http_code: { type: 'integer' }, message: { type: 'string', description: '`SHIELD_…: ` and a message for the end user' } },
          required: ['http_code', 'message'],
        },
      },
    },
    GatewayThrottled: {
      type: 'object',
      description: "API Gateway's own answer when its throttle applies",
      properties: { message: { const: 'Too Many Requests' } },
      required: ['message'],
    },
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
