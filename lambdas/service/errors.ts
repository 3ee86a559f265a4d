/** A client-facing error: its status, a stable code and a message safe to show. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

/**
 * 503 `STORE_UNAVAILABLE` with `Retry-After: 5`: the store could not be reached, so the request
 * was refused before anything was sent.
 */
export function storeUnavailable(cause?: unknown, message = 'Risk checks are unavailable right now; nothing was sent. Retry shortly.'): HttpError {
  return new HttpError(503, 'STORE_UNAVAILABLE', message, undefined, { 'retry-after': '5' }, { cause });
}

/** 429 `TENANT_USAGE_LIMIT`: the tenant asked for more verdicts this minute than its policy allows. */
export function tenantUsageLimit(retryAfterSeconds: number): HttpError {
  return new HttpError(
    429,
    'TENANT_USAGE_LIMIT',
    'This tenant has used its verdicts for this minute; nothing was sent. Retry after the Retry-After delay.',
    undefined,
    { 'retry-after': String(retryAfterSeconds) },
  );
}
