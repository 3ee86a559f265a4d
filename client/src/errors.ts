import type { Decision, Verdict } from './types.js';

/**
 * Error codes the API answers with (`error.code` of an error body), and the client's own
 * (`CLIENT_TIMEOUT`, `NETWORK_ERROR`, `INVALID_RESPONSE`, `INVALID_ARGUMENT`, `MISSING_CONTEXT`, and `HTTP_<status>` for an error body without a code).
 * Open-ended: a newer server may answer a code this list does not know yet.
 */
export type ShieldErrorCode =
  | 'INVALID_REQUEST'
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNKNOWN_TENANT'
  | 'TENANT_EXISTS'
  | 'KEY_MISMATCH'
  | 'LIST_FULL'
  | 'LAST_ADMIN_KEY'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TENANT_USAGE_LIMIT'
  | 'DEVICE_MINT_LIMITED'
  | 'PUBLIC_EDGE_REQUIRED'
  | 'VIEWER_ADDRESS_INVALID'
  | 'STORE_UNAVAILABLE'
  | 'INTERNAL_ERROR'
  | 'BLOCKED'
  | 'CHALLENGE_REQUIRED'
  | 'PROVIDER_FAILED'
  | 'SEND_OUTCOME_UNKNOWN'
  | 'CLIENT_TIMEOUT'
  | 'NETWORK_ERROR'
  | 'INVALID_RESPONSE'
  | 'INVALID_ARGUMENT'
  | 'MISSING_CONTEXT'
  | (string & {});

/** Base of every error this package throws: `code` says what happened, `message` is safe to log (no key, no phone number). */
export class ShieldClientError extends Error {
  override readonly name: string = 'ShieldClientError';
  constructor(
    readonly code: ShieldErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The API answered with an error status; `code`, `message` and `details` come from its error body. */
export class ShieldHttpError extends ShieldClientError {
  override readonly name: string = 'ShieldHttpError';
  /** Seconds to wait before the same request may succeed (`Retry-After`), when the API said so. */
  readonly retryAfterSeconds: number | undefined;
  /** `error.details` of the body, e.g. `fields` (field → what is wrong with it) for a 400. */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(
    /** The HTTP status; 0 when no answer reached the client (see `ShieldOutcomeUnknownError`). */
    readonly status: number,
    code: ShieldErrorCode,
    message: string,
    /** The parsed body of the answer (its text when it was not JSON). */
    readonly body: unknown,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(code, message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
    const details = (body as { error?: { details?: unknown } } | undefined)?.error?.details;
    this.details = typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : undefined;
  }
}

/** The shield did not send: blocked (403, 429 with `retryAfterSeconds`), challenge required (428) or provider failure (502). */
export class ShieldBlockedError extends ShieldHttpError {
  override readonly name = 'ShieldBlockedError';
  readonly decision: Decision;
  readonly reasons: readonly string[];
  constructor(
    status: number,
    readonly verdict: Verdict,
    body: unknown,
    retryAfterSeconds?: number,
  ) {
    super(
      status,
      status === 502 ? 'PROVIDER_FAILED' : verdict.decision === 'challenge' ? 'CHALLENGE_REQUIRED' : 'BLOCKED',
      `SMS not sent: ${verdict.decision} (${verdict.reasons.join(', ') || 'no reasons'})`,
      body,
      { retryAfterSeconds: retryAfterSeconds ?? verdict.retryAfterSeconds },
    );
    this.decision = verdict.decision;
    this.reasons = verdict.reasons;
  }
}

/**
 * The SMS may have been sent. Either the shield said so (504 `SEND_OUTCOME_UNKNOWN`: the
 * provider's answer was lost), a gateway timed out (504 without a shield body), or no complete
 * answer reached the client: it timed out (`CLIENT_TIMEOUT`, `status` 0) or the connection
 * failed after the request could have reached the shield (`NETWORK_ERROR`, `status` 0).
 *
 * Do not resend blindly: a retry with the same `idempotencyKey` is safe (the shield answers it
 * from its record, or sends once if the first request never arrived); a new key, or none, may
 * deliver a second SMS. For a code, let the user enter it if it arrives, or ask for a new one.
 */
export class ShieldOutcomeUnknownError extends ShieldHttpError {
  override readonly name = 'ShieldOutcomeUnknownError';
  constructor(
    status: number,
    code: ShieldErrorCode,
    message: string,
    /** The verdict, when the shield got as far as one (absent for a gateway or client timeout). */
    readonly verdict: Verdict | undefined,
    body: unknown,
    /** The request's `idempotencyKey`, if it had one: retry with it. */
    readonly idempotencyKey: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(status, code, message, body, options);
  }
}

/** A call other than a send got no answer within `timeoutMs`. Nothing says whether the shield acted on it. */
export class ShieldTimeoutError extends ShieldClientError {
  override readonly name = 'ShieldTimeoutError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super('CLIENT_TIMEOUT', `SMS Shield did not answer ${method} ${path} within ${timeoutMs} ms`, options);
  }
}

/**
 * The shield could not be reached (connection refused, name not resolved…), or, on a call other
 * than a send, the connection failed. `cause` holds the underlying error.
 */
export class ShieldNetworkError extends ShieldClientError {
  override readonly name = 'ShieldNetworkError';
  constructor(
    readonly method: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super('NETWORK_ERROR', `Could not reach SMS Shield for ${method} ${path}`, options);
  }
}
