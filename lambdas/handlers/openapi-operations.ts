import { challengeQuerySchema, deviceRequestSchema } from '../challenge/man-machine';
import { policyOverridesSchema } from '../engine/policy-schema';
import { listEntryInputSchema, listKeyInputSchema, listPageQuerySchema } from '../service/list-admin';
import { reputationImportSchema } from '../service/reputation-admin';
import { otpSendRequestSchema, otpVerifyRequestSchema, sendRequestSchema, verdictRequestSchema, verificationEventSchema } from '../service/schemas';
import { createTenantSchema, issueKeySchema, supabaseHookInputSchema } from '../service/tenant-admin';
import { sendSmsHookSchema } from './supabase-sms-hook';
import { keyOperations } from './openapi-key-operations';

import {
  adminOk,
  errorResponse,
  jsonSchemaOf,
  LIST_FULL,
  listScope,
  ok,
  type Operation,
  PUBLIC_EDGE_403,
  pathParameter,
  preflight,
  publicBadRequest,
  queryParameters,
  RETRY_AFTER,
  ref,
  response,
  SEND_RESPONSES,
  TENANT_NOT_FOUND,
} from './openapi-parts';

const LIST_PAGE_400 = errorResponse('Invalid `limit` (1–500) or `cursor` (not a `nextCursor` of this list), or an unknown query parameter');
const LIST_KEY_400 = errorResponse('Invalid or missing `kind` or `value` (a value of its kind, e.g. a phone number), or an unknown query parameter');
const TENANT_ID_400 = errorResponse('`id` is not a tenant id');
const ADMIN_SCOPE = "Admins pass `scope`: `t:<tenant id>` for a tenant's lists, `global` for the lists every tenant's verdicts read.";
const TENANT_SCOPE = 'The tenant comes from the API key only; a request naming another tenant or a scope is refused (400).';
const IDEMPOTENCY =
  'Idempotent with `idempotencyKey` (per tenant and route, kept 24 h): a retry with the same key and body gets the first answer (200, 403, 428, 429 or 504) and never sends twice; ' +
  'while the first is in flight, 409 `IDEMPOTENCY_IN_PROGRESS`; the same key with another body, 422 `IDEMPOTENCY_KEY_REUSED`. A 502 frees the key (nothing was sent); a 504 is kept.';
const SHADOW =
  'In shadow mode (`mode: shadow`) every verdict is made and recorded but the SMS is sent whatever the decision (`verdict.shadow: true`), except to a number that is not a valid number.';

/**
 * Every operation of the API, keyed `METHOD path` (the router's path syntax). Built on first
 * request, not at module load, so the schema conversion adds nothing to a Lambda cold start.
 * The answers every route of a kind shares (bad body, bad key, store down, throttle) are added
 * by the document from `auth` and `body`; the ones given here are this operation's own.
 */
export function operations(): Readonly<Record<string, Operation>> {
  return {
    'GET /health': {
      summary: 'Liveness',
      description: 'Answers 200 while the function runs; checks no dependency. For load balancers and uptime checks; no key.',
      tags: ['meta'],
      auth: 'none',
      responses: ok({ type: 'object', properties: { status: { const: 'ok' } } }, '200', 'Up'),
    },
    'GET /openapi.json': {
      summary: 'This document',
      description:
        'The OpenAPI 3.1 document of the routes this server serves, no key: the Lambda function leaves out the local-only routes that `npm start` adds (`x-sms-shield-local-only`).',
      tags: ['meta'],
      auth: 'none',
      responses: ok({ type: 'object' }, '200', 'OpenAPI 3.1 document'),
    },
    'POST /v1/sms/send': {
      summary: 'Verdict, then the SMS through SNS on allow',
      description:
        "Called by the tenant's backend in place of its own SMS call, with the end user's IP (and user agent, device token, challenge solution when it has them). " +
        'The verdict comes first; only an allow sends, and `sent` always tells the truth. ' +
        `${IDEMPOTENCY} ${SHADOW}`,
      tags: ['sms'],
      auth: 'tenant',
      body: jsonSchemaOf(sendRequestSchema),
      responses: SEND_RESPONSES,
    },
    'POST /v1/verdicts': {
      summary: 'The verdict without sending (counted as an attempt)',
      description:
        'For a tenant that sends through another provider: the same verdict as `/v1/sms/send`, and the tenant sends on allow. Counted as an attempt (an allow counts as sent), ' +
        'but it neither takes nor reads the cross-tenant per-number quota. A block or challenge is a 200 too: act on `verdict.decision`. When the store cannot be reached, ' +
        'a scenario that fails open judges on stateless signals (`STORE_UNAVAILABLE` in the reasons); one that fails closed answers 503.',
      tags: ['sms'],
      auth: 'tenant',
      body: jsonSchemaOf(verdictRequestSchema),
      responses: {
        ...ok({ type: 'object', properties: { verdict: ref('Verdict') }, required: ['verdict'] }),
        '429': response(
          'The tenant used its verdicts for this minute (`TENANT_USAGE_LIMIT`); in AWS also API Gateway\'s throttle (`{"message":"Too Many Requests"}`)',
          { oneOf: [ref('Error'), ref('GatewayThrottled')] },
          RETRY_AFTER,
        ),
        '503': errorResponse(
          '`STORE_UNAVAILABLE`: the store cannot be reached and the scenario fails closed (`onStoreError: closed`), a key of this attempt is too busy to be counted ' +
            '(throttled while the store serves the rest: a number under attack, whatever `onStoreError` says), or the API key cannot be checked',
          RETRY_AFTER,
        ),
      },
    },
    'POST /v1/otp/send': {
      summary: 'Like /v1/sms/send, with a code the shield generates and stores hashed',
      description:
        "Called by the tenant's backend to send a one-time code: the shield generates it (`codeLength` 4–10), puts it in `template` at `{code}`, stores only its salted HMAC " +
        'and sends after the same verdict as `/v1/sms/send`. Check it with `/v1/otp/verify`. ' +
        `${IDEMPOTENCY} ${SHADOW}`,
      tags: ['otp'],
      auth: 'tenant',
      body: jsonSchemaOf(otpSendRequestSchema),
      responses: SEND_RESPONSES,
    },
    'POST /v1/otp/verify': {
      summary: 'Check a code sent with /v1/otp/send',
      description:
        "Called by the tenant's backend with the code the end user typed. A code is good once, for 30 minutes and 5 tries, compared in constant time; " +
        'a wrong code is a 200 with `verified: false` and a reason. Each outcome feeds the conversion signals against pumping and bombing.',
      tags: ['otp'],
      auth: 'tenant',
      body: jsonSchemaOf(otpVerifyRequestSchema),
      responses: {
        ...ok(ref('OtpVerifyResult')),
        '503': errorResponse(
          '`STORE_UNAVAILABLE`: codes (or the API key) cannot be checked right now; no try was counted. Retry after `Retry-After`',
          RETRY_AFTER,
        ),
      },
    },
    'POST /v1/events/verification': {
      summary: 'Report a verification outcome (when you check codes yourself)',
      description:
        'For a tenant that generates and checks its own codes: report whether the end user proved the number, so the conversion signals against pumping and bombing see it. ' +
        '`credited` is false when no SMS to that number is pending.',
      tags: ['otp'],
      auth: 'tenant',
      body: jsonSchemaOf(verificationEventSchema),
      responses: ok({ type: 'object', properties: { credited: { type: 'boolean' } }, required: ['credited'] }, '202', 'Recorded'),
    },
    'GET /v1/lists': {
      summary: "One page of the tenant's block and allow lists",
      description: `The tenant's own list entries in key order, \`limit\` per page (default 100); pass \`nextCursor\` as \`cursor\` for the next page. ${TENANT_SCOPE}`,
      tags: ['lists'],
      auth: 'tenant',
      parameters: queryParameters(listPageQuerySchema),
      responses: { ...ok(ref('ListEntries')), '400': LIST_PAGE_400 },
    },
    'POST /v1/lists': {
      summary: 'Add a list entry',
      description:
        "Block or allow a number, prefix, device, IP, CIDR range, ASN or country in this tenant's verdicts, for good or for `ttlSeconds`. " +
        `Adding an entry the list holds replaces it. ${TENANT_SCOPE}`,
      tags: ['lists'],
      auth: 'tenant',
      body: jsonSchemaOf(listEntryInputSchema),
      responses: { ...ok(ref('ListEntry'), '201', 'Added'), '409': LIST_FULL },
    },
    'DELETE /v1/lists': {
      summary: 'Remove a list entry',
      description: `Removes the tenant's entry of this \`kind\` and \`value\` (written in any form its kind accepts); removing an absent entry also answers 200. ${TENANT_SCOPE}`,
      tags: ['lists'],
      auth: 'tenant',
      parameters: queryParameters(listKeyInputSchema),
      responses: { ...ok(ref('Removed')), '400': LIST_KEY_400 },
    },
    'GET /v1/admin/lists': {
      summary: "One page of any tenant's or the global lists",
      description: `Like \`GET /v1/lists\`, for operators. ${ADMIN_SCOPE}`,
      tags: ['admin'],
      auth: 'admin',
      parameters: [listScope, ...queryParameters(listPageQuerySchema)],
      responses: {
        ...adminOk('200', ref('ListEntries')),
        '400': errorResponse('Invalid or missing `scope`, invalid `limit` or `cursor`, or an unknown query parameter'),
      },
    },
    'POST /v1/admin/lists': {
      summary: "Add an entry to any tenant's or the global lists",
      description: `Like \`POST /v1/lists\`, for operators; a global entry counts in every tenant's verdicts. ${ADMIN_SCOPE}`,
      tags: ['admin'],
      auth: 'admin',
      body: { allOf: [jsonSchemaOf(listEntryInputSchema)], properties: { scope: listScope.schema }, required: ['scope'] },
      responses: { ...adminOk('201', ref('ListEntry')), '409': LIST_FULL },
    },
    'DELETE /v1/admin/lists': {
      summary: 'Remove an entry',
      description: `Like \`DELETE /v1/lists\`, for operators. ${ADMIN_SCOPE}`,
      tags: ['admin'],
      auth: 'admin',
      parameters: [listScope, ...queryParameters(listKeyInputSchema)],
      responses: { ...adminOk('200', ref('Removed')), '400': errorResponse('Invalid or missing `scope`, `kind` or `value`') },
    },
    'POST /v1/admin/tenants': {
      summary: 'Create a tenant (answers its first API key once)',
      description: 'Creates a tenant with its policy overrides and its first API key. The key is in this answer only, and is stored as its SHA-256 (`keyId`).',
      tags: ['admin'],
      auth: 'admin',
      body: jsonSchemaOf(createTenantSchema),
      responses: { ...adminOk('201', { type: 'object' }), '409': errorResponse('`TENANT_EXISTS`: a tenant has this id') },
    },
    'GET /v1/admin/tenants/{id}': {
      summary: 'A tenant (never its keys)',
      description: 'The tenant, its name and its policy overrides. Keys are never shown after they are issued.',
      tags: ['admin'],
      auth: 'admin',
      parameters: [pathParameter('id', 'tenant id')],
      responses: { ...adminOk('200', { type: 'object' }), '400': TENANT_ID_400, '404': TENANT_NOT_FOUND },
    },
    'POST /v1/admin/tenants/{id}/keys': {
      summary: 'Issue a key; `revokeKeyId` rotates in one call',
      description:
        'A new API key for the tenant, in this answer only. With `revokeKeyId`, that key of the same tenant is revoked once the new one is stored. A revoked key stops working within 30 s.',
      tags: ['admin'],
      auth: 'admin',
      parameters: [pathParameter('id', 'tenant id')],
      body: jsonSchemaOf(issueKeySchema),
      bodyOptional: true,
      responses: { ...adminOk('201', { type: 'object' }), '404': errorResponse('`NOT_FOUND`: no tenant has this id, or `revokeKeyId` is no key of it') },
    },
    'DELETE /v1/admin/tenants/{id}/keys/{keyId}': {
      summary: 'Revoke a key',
      description:
        "Revokes one of the tenant's keys by its id (SHA-256); it stops working within 30 s. A key of another tenant, or an admin key, answers 404 like an unknown one.",
      tags: ['admin'],
      auth: 'admin',
      parameters: [pathParameter('id', 'tenant id'), pathParameter('keyId', 'SHA-256 of the key, hex')],
      responses: {
        ...adminOk('200', { type: 'object' }),
        '400': errorResponse('`id` is not a tenant id, or `keyId` not 64 hex characters'),
        '404': errorResponse('`NOT_FOUND`: the tenant has no key with this id'),
      },
    },
    ...keyOperations(),
    'PUT /v1/admin/tenants/{id}/policy': {
      summary: "Set a tenant's policy overrides",
      description:
        "Replaces the tenant's policy overrides (mode, thresholds, rules, limits), checked field by field and against the defaults before anything is written. Takes effect within 30 s.",
      tags: ['admin'],
      auth: 'admin',
      parameters: [pathParameter('id', 'tenant id')],
      body: jsonSchemaOf(policyOverridesSchema),
      responses: { ...adminOk('200', { type: 'object' }), '404': TENANT_NOT_FOUND },
    },
    'PUT /v1/admin/tenants/{id}/hooks/supabase': {
      summary: "Set or rotate the secret of a tenant's Supabase Send SMS hook",
      description:
        'The secret Supabase shows for the hook (`v1,whsec_<base64>`), with which every delivery to `POST /v1/hooks/supabase/{tenantId}/send-sms` must be signed. ' +
        'With `keepPrevious: true` the secret it replaces stays accepted until the next set or clear (rotation). `codeTemplate`: the SMS text, with `{code}`. ' +
        'The answer, like `GET /v1/admin/tenants/{id}`, says only whether a secret is set: it is never shown again, nor logged.',
      tags: ['admin'],
      auth: 'admin',
      parameters: [pathParameter('id', 'tenant id')],
      body: jsonSchemaOf(supabaseHookInputSchema),
      responses: { ...adminOk('200', ref('SupabaseHook')), '404': TENANT_NOT_FOUND },
    },
    'DELETE /v1/admin/tenants/{id}/hooks/supabase': {
      summary: "Clear the secret of a tenant's Supabase Send SMS hook",
      description: 'Every delivery is refused (401) until a secret is set again.',
      tags: ['admin'],
      auth: 'admin',
      parameters: [pathParameter('id', 'tenant id')],
      responses: { ...adminOk('200', ref('SupabaseHook')), '404': TENANT_NOT_FOUND },
    },
    'POST /v1/hooks/supabase/{tenantId}/send-sms': {
      summary: 'Supabase Auth Send SMS hook: verdict, then the code through SNS on allow',
      description:
        "The URL to give Supabase (Authentication > Hooks > Send SMS, type HTTPS). No API key: the request must carry a valid Standard Webhooks signature by the tenant's hook secret, " +
        'made within 5 minutes, with a `webhook-id` not seen before (Supabase signs each attempt with a new one). ' +
        'The code is judged as `POST /v1/sms/send` judges a send (`register` for a number never confirmed, `other` for a new number, else `login`) and sent on allow; ' +
        "a Supabase retry of the same code (the same user, number and code) never sends twice. Supabase reads only a 200's body: a refusal is a 200 with " +
        '`error: { http_code, message }`, which Supabase hands its client (`SHIELD_BLOCKED`, `SHIELD_CHALLENGE`, `SHIELD_RATE_LIMITED`, `SHIELD_INVALID_REQUEST`, `SHIELD_SEND_FAILED`, `SHIELD_UNAVAILABLE`).',
      tags: ['sms'],
      auth: 'signature',
      parameters: [pathParameter('tenantId', 'tenant id')],
      body: jsonSchemaOf(sendSmsHookSchema),
      responses: {
        '200': response('Sent (`{}`), or refused (`{ "error": { "http_code", "message" } }`, nothing sent)', ref('SupabaseHookAnswer')),
        '401': response(
          'An unknown tenant, no hook secret set, a missing, wrong or stale signature, or a `webhook-id` already used (a replay): one answer for all, nothing judged',
          ref('SupabaseHookAnswer'),
        ),
      },
    },
    'GET /v1/admin/reputation': {
      summary: 'Shared reputation: promoted locally (`source=local`) or all',
      description:
        "The live reputation entries, hashed with the alliance key: by default only the ones this deployment's joint-defense job promoted (what a feed exports), with `source=all` the partners' too.",
      tags: ['admin'],
      auth: 'admin',
      parameters: [{ name: 'source', in: 'query', required: false, schema: { type: 'string', enum: ['local', 'all'] } }],
      responses: { ...adminOk('200', { type: 'object' }), '400': errorResponse('`source` is neither `local` nor `all`, or an unknown query parameter') },
    },
    'POST /v1/admin/reputation': {
      summary: "Merge a partner's signed reputation feed",
      description:
        "What `feed import` posts, in chunks of at most 100 indicators, after checking the feed's signature: per key the more confident entry wins, TTLs are capped at 7 days, expired indicators are skipped.",
      tags: ['admin'],
      auth: 'admin',
      body: jsonSchemaOf(reputationImportSchema),
      responses: {
        ...adminOk('200', { type: 'object' }),
        '409': errorResponse("`KEY_MISMATCH`: the indicators are hashed with another key than this deployment's"),
      },
    },
    'GET /v1/challenge': {
      summary: 'A proof-of-work challenge (public, CORS on every answer)',
      description:
        "Called by the browser SDK from the tenant's pages, no key. The difficulty rises with the caller's risk (hosting network, automation user agent, many challenges from one address); " +
        "`level` asks for at least that level. The solution goes to the tenant's backend, which passes it as `challenge`; it is accepted once.",
      tags: ['public'],
      auth: 'none',
      parameters: queryParameters(challengeQuerySchema),
      responses: {
        '200': response('Challenge', { type: 'object' }),
        '400': publicBadRequest('Invalid `tenant` or `level`, or an unknown query parameter'),
        '403': PUBLIC_EDGE_403,
        '404': errorResponse('`UNKNOWN_TENANT`: no tenant has this id'),
        '503': errorResponse('`STORE_UNAVAILABLE`: a backing service is unavailable', RETRY_AFTER),
      },
    },
    'OPTIONS /v1/challenge': preflight('/v1/challenge'),
    'POST /v1/device': {
      summary: 'A signed device token (public, CORS on every answer)',
      description:
        "Called by the browser SDK with the device's fingerprint and markers, no key; with `token`, renews it (free). A new device counts against the caller's address and network: " +
        'bursts mark the token `mint-burst`, floods answer 429.',
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
        '400': publicBadRequest('Invalid input (`INVALID_REQUEST`, `MALFORMED_JSON`)'),
        '403': PUBLIC_EDGE_403,
        '429': response(
          "Too many new devices from this address or network (`DEVICE_MINT_LIMITED`); in AWS also API Gateway's throttle or the edge's web ACL (`RATE_LIMITED`)",
          { oneOf: [ref('Error'), ref('GatewayThrottled')] },
          RETRY_AFTER,
        ),
        '503': errorResponse('`STORE_UNAVAILABLE`: a backing service is unavailable', RETRY_AFTER),
      },
    },
    'OPTIONS /v1/device': preflight('/v1/device'),
    'GET /v1/outbox': {
      summary: "Local mode only: the tenant's outbox",
      description: 'The SMS local mode would have sent for this tenant (numbers masked), oldest first; local mode sends none.',
      tags: ['local'],
      auth: 'tenant',
      localOnly: true,
      responses: ok({ type: 'object', properties: { messages: { type: 'array', items: { type: 'object' } } } }),
    },
    'GET /v1/sdk.js': {
      summary: 'Local mode only: the browser SDK',
      description: 'The browser SDK as one script, for the demo page and for trying the SDK on your own pages.',
      tags: ['local'],
      auth: 'none',
      localOnly: true,
      responses: { '200': { description: 'JavaScript', content: { 'text/javascript': { schema: { type: 'string' } } } } },
    },
    'GET /demo': {
      summary: 'Local mode only: the demo page',
      description: 'A sign-up page of the demo tenant that uses the SDK (device token, proof of work on 428) and sends through `/demo/send`.',
      tags: ['local'],
      auth: 'none',
      localOnly: true,
      responses: { '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } },
    },
    'POST /demo/send': {
      summary: "Local mode only: the demo page's stand-in backend",
      description:
        "Does what a tenant's backend does: adds the caller's IP and user agent and the demo tenant's key, and calls `POST /v1/sms/send` " +
        '(scenario `register`, no `idempotencyKey`) through the same handler; answers what it answers.',
      tags: ['local'],
      auth: 'none',
      localOnly: true,
      body: {
        type: 'object',
        properties: { phone: { type: 'string' }, device: { type: 'string' }, challenge: { type: 'string' } },
        required: ['phone'],
        additionalProperties: false,
      },
      responses: {
        '200': SEND_RESPONSES['200'],
        '401': errorResponse("`UNAUTHORIZED`: the demo tenant's key was revoked"),
        '403': SEND_RESPONSES['403'],
        '428': SEND_RESPONSES['428'],
        '429': response(
          'Blocked by velocity (a verdict with `retryAfterSeconds`), or the demo tenant used its verdicts for this minute (`TENANT_USAGE_LIMIT`)',
          { oneOf: [ref('RefusedSendResponse'), ref('Error')] },
          RETRY_AFTER,
        ),
        '502': response('The outbox file could not be written (`SEND_FAILED`): nothing was sent', ref('RefusedSendResponse')),
        '503': errorResponse("`STORE_UNAVAILABLE`: the demo tenant's key cannot be checked, or the store is down and the scenario fails closed", RETRY_AFTER),
      },
    },
  };
}
