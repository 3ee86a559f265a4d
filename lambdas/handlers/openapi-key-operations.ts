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
      tags: ['admin'],
      auth: 'admin',
      parameters: [pathParameter('id', 'tenant id')],
      responses: { ...adminOk('200', KEY_LIST), '404': errorResponse('Unknown tenant'), '409': TOO_MANY_KEYS },
    },
    'GET /v1/admin/keys': {
      summary: 'The admin keys, revoked ones included (ids and dates, never a key)',
      tags: ['admin'],
      auth: 'admin',
      responses: { ...adminOk('200', KEY_LIST), '409': TOO_MANY_KEYS },
    },
    'POST /v1/admin/keys': {
      summary: 'Issue an admin key (answered once); `revokeKeyId` rotates in one call',
      tags: ['admin'],
      auth: 'admin',
      body: jsonSchemaOf(issueKeySchema),
      bodyOptional: true,
      responses: { ...adminOk('201', ISSUED_KEY), '404': errorResponse('`revokeKeyId` names no admin key'), '409': TOO_MANY_KEYS },
    },
    'DELETE /v1/admin/keys/{keyId}': {
      summary: 'Revoke an admin key; never the last live one',
      tags: ['admin'],
      auth: 'admin',
      parameters: [pathParameter('keyId', 'SHA-256 of the admin key, hex')],
      responses: {
        ...adminOk('200', {
          type: 'object',
          properties: { revokedKeyId: { type: 'string' }, revokedAt: { type: 'string', format: 'date-time' } },
          required: ['revokedKeyId', 'revokedAt'],
        }),
        '404': errorResponse("No admin key with this id (a tenant key's id gets the same answer)"),
        '409': errorResponse('`LAST_ADMIN_KEY`: no other live admin key would remain; issue one first'),
      },
    },
  };
}
