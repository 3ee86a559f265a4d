/** The OpenAPI operations of API keys: a tenant's key list, and the admin keys themselves. */
import { issueKeySchema } from '../service/tenant-admin';
import { adminOk, errorResponse, type JsonSchema, jsonSchemaOf, type Operation, pathParameter } from './openapi-parts';

/** An API key as listed: its id and dates, never the key. */
const KEY_VIEW: JsonSchema = {
  type: 'object',
  properties: {
    keyId: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the key, hex' },
    createdAt: { type: 'string', format: 'date-time' },
    revokedAt: { type: 'string', format: 'date-time', description: 'Absent while the key is live' },
  },
  required: ['keyId', 'createdAt'],
};
const KEY_LIST: JsonSchema = { type: 'object', properties: { keys: { type: 'array', items: KEY_VIEW } }, required: ['keys'] };
const ISSUED_KEY: JsonSchema = {
  type: 'object',
  properties: {
    apiKey: { type: 'string', description: 'The key, shown this once (stored only hashed)' },
    keyId: { type: 'string' },
    revokedKeyId: { type: 'string' },
  },
  required: ['apiKey', 'keyId'],
};
const TOO_MANY_KEYS = errorResponse('`TOO_MANY_KEYS`: more than 1,000 key records (live and revoked)');

/** Listing a tenant's keys, and the admin keys themselves (list, issue or rotate, revoke). */
export function keyOperations(): Record<string, Operation> {
  return {
    'GET /v1/admin/tenants/{id}/keys': {
      summary: "A tenant's API keys, revoked ones included (ids and dates, never a key)",
      description:
        'Lists every key record of the tenant: its id (the SHA-256 of the key), when it was issued and, once revoked, when. Used to find the id to revoke after a rotation. A key is never returned after the answer that issued it.',
      tags: ['admin'],
      auth: 'admin',
      parameters: [pathParameter('id', 'tenant id')],
      responses: { ...adminOk('200', KEY_LIST), '400': errorResponse('Invalid tenant id'), '404': errorResponse('Unknown tenant'), '409': TOO_MANY_KEYS },
    },
    'GET /v1/admin/keys': {
      summary: 'The admin keys, revoked ones included (ids and dates, never a key)',
      description:
        'Lists every admin key record: id, issue date and revocation date. The deployment issues the first one (Secrets Manager secret `AdminKeySecretArn`).',
      tags: ['admin'],
      auth: 'admin',
      responses: { ...adminOk('200', KEY_LIST), '409': TOO_MANY_KEYS },
    },
    'POST /v1/admin/keys': {
      summary: 'Issue an admin key (answered once); `revokeKeyId` rotates in one call',
      description:
        'Issues a new admin key and answers it once; only its hash is stored. With `revokeKeyId`, the old admin key is revoked after the new one is stored, so a rotation never leaves no live admin key.',
      tags: ['admin'],
      auth: 'admin',
      body: jsonSchemaOf(issueKeySchema),
      bodyOptional: true,
      responses: { ...adminOk('201', ISSUED_KEY), '404': errorResponse('`revokeKeyId` names no admin key'), '409': TOO_MANY_KEYS },
    },
    'DELETE /v1/admin/keys/{keyId}': {
      summary: 'Revoke an admin key; never the last live one',
      description:
        'Revokes an admin key at once in this instance and within the key cache time (30 s) elsewhere. Refused with `409 LAST_ADMIN_KEY` when no other live admin key would remain, so a leaked key cannot lock the operator out.',
      tags: ['admin'],
      auth: 'admin',
      parameters: [pathParameter('keyId', 'SHA-256 of the admin key, hex')],
      responses: {
        ...adminOk('200', {
          type: 'object',
          properties: { revokedKeyId: { type: 'string' }, revokedAt: { type: 'string', format: 'date-time' } },
          required: ['revokedKeyId', 'revokedAt'],
        }),
        '400': errorResponse('`keyId` is not a key id (64 hex characters)'),
        '404': errorResponse("No admin key with this id (a tenant key's id gets the same answer)"),
        '409': errorResponse('`LAST_ADMIN_KEY`: no other live admin key would remain; issue one first'),
      },
    },
  };
}
