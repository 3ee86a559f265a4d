/**
 * Errors of the service and the engine, free of HTTP: a stable code, a message safe to show, the
 * fields at fault and, when a retry can succeed, how long to wait. Only `handlers/` knows which
 * HTTP status each code is (`handlers/error-status.ts`), as Powertools keeps its idempotency
 * errors apart from its event handler.
 */
export const ERROR_CODES = [
  /** Input that failed validation; `details.fields` names each field at fault. */
  'INVALID_REQUEST',
  /** A tenant or key that does not exist. */
  'NOT_FOUND',
  /** A public route asked about a tenant id that does not exist. */
  'UNKNOWN_TENANT',
  'TENANT_EXISTS',
  /** Partner indicators hashed with another key than this deployment's. */
  'KEY_MISMATCH',
  /** A list holds the most live entries a list may hold. */
  'LIST_FULL',
  /** A tenant (or the admin) holds the most key records it may hold, live and revoked. */
  'TOO_MANY_KEYS',
  /** Revoking this admin key would leave no live admin key, and nobody could administer the shield. */
  'LAST_ADMIN_KEY',
  /** A request with this idempotency key is still running. */
  'IDEMPOTENCY_IN_PROGRESS',
  /** An idempotency key reused with another request body. */
  'IDEMPOTENCY_KEY_REUSED',
  /** The tenant used its verdicts for this minute. */
  'TENANT_USAGE_LIMIT',
  /** Too many new device tokens from one address or network. */
  'DEVICE_MINT_LIMITED',
  /** The store cannot be reached; nothing was done. */
  'STORE_UNAVAILABLE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ShieldErrorDetails {
  /** Field → what is wrong with it. */
  readonly fields?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

/** A domain error: what went wrong, in terms a client can act on, and no HTTP status. */
export class ShieldError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ShieldErrorDetails,
    /** Seconds after which the same request may succeed (rate limits, outages). */
    readonly retryAfterSeconds?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ShieldError';
  }
}

/** Input that failed validation, naming the field and what is wrong with it. */
export function invalidInput(summary: string, fields: Readonly<Record<string, string>>): ShieldError {
  return new ShieldError('INVALID_REQUEST', summary, { fields });
}

/** The store could not be reached, so the request was refused before anything was sent. */
export function storeUnavailable(cause?: unknown, message = 'Risk checks are unavailable right now; nothing was sent. Retry shortly.'): ShieldError {
  return new ShieldError('STORE_UNAVAILABLE', message, undefined, 5, { cause });
}

/** The tenant asked for more verdicts this minute than its policy allows. */
export function tenantUsageLimit(retryAfterSeconds: number): ShieldError {
  return new ShieldError(
    'TENANT_USAGE_LIMIT',
    'This tenant has used its verdicts for this minute; nothing was sent. Retry after the Retry-After delay.',
    undefined,
    retryAfterSeconds,
  );
}

/** The tenant (or the admin) holds as many key records as it may: no more can be issued, and beyond it none listed. */
export function tooManyKeys(tenantId: string, max: number): ShieldError {
  return new ShieldError('TOO_MANY_KEYS', `"${tenantId}" holds the most API key records allowed (${max}, revoked ones counted)`, { max });
}
