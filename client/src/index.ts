/**
 * `@sms-shield/client`: typed clients for the SMS Shield HTTP API v1. `ShieldClient` for a
 * tenant's backend (sends, verdicts, OTPs, its lists), `ShieldAdminClient` for the admin routes,
 * `ShieldPublicClient` for the routes without a key. The SNS drop-in is `@sms-shield/client/sns`.
 */
export {
  type AdminKeys,
  type AdminLists,
  type AdminReputation,
  type AdminTenants,
  ShieldAdminClient,
  type ShieldAdminClientOptions,
  type TenantKeys,
} from './admin.js';
export { ShieldBase } from './base.js';
export { ShieldClient, type ShieldClientOptions, type TenantLists } from './client.js';
export {
  ShieldBlockedError,
  ShieldClientError,
  type ShieldErrorCode,
  ShieldHttpError,
  ShieldNetworkError,
  ShieldOutcomeUnknownError,
  ShieldTimeoutError,
} from './errors.js';
export { ShieldPublicClient } from './public.js';
export type { ShieldConnectionOptions } from './transport.js';
export type * from './types.js';
