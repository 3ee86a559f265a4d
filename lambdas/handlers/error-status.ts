import type { ErrorCode } from '../domain/errors';
import { ShieldError } from '../domain/errors';
import type { SendOutcomeKind } from '../service/send-outcome';
import { HttpError } from './http-error';

/** The one place a domain error code becomes an HTTP status. */
export const STATUS_OF_ERROR: Readonly<Record<ErrorCode, number>> = {
  INVALID_REQUEST: 400,
  NOT_FOUND: 404,
  UNKNOWN_TENANT: 404,
  TENANT_EXISTS: 409,
  KEY_MISMATCH: 409,
  LIST_FULL: 409,
  TOO_MANY_KEYS: 409,
  LAST_ADMIN_KEY: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  TENANT_USAGE_LIMIT: 429,
  DEVICE_MINT_LIMITED: 429,
  STORE_UNAVAILABLE: 503,
};

/** The one place the outcome of a send becomes an HTTP status. */
export const STATUS_OF_SEND: Readonly<Record<SendOutcomeKind, number>> = {
  sent: 200,
  refused: 403,
  challenge: 428,
  'rate-limited': 429,
  'provider-failed': 502,
  'outcome-unknown': 504,
};

/** A domain error as the HTTP error the error middleware renders (status, code, details, Retry-After). */
export function toHttpError(error: ShieldError, headers: Record<string, string> = {}): HttpError {
  const retry: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) };
  return new HttpError(STATUS_OF_ERROR[error.code], error.code, error.message, error.details, { ...retry, ...headers }, { cause: error });
}

/** Any client-facing error (edge or domain) as an `HttpError`; undefined for anything else. */
export function asHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof ShieldError) return toHttpError(error);
  return undefined;
}
