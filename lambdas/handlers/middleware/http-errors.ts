import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { storeUnavailable } from '../../domain/errors';
import { asHttpError, toHttpError } from '../error-status';
import type { ServiceLogger } from '../../service/shield-service';

/**
 * The one place errors become responses. Client errors (< 500) show their message; a store
 * or AWS dependency that is throttling, timing out or unreachable becomes 503 with
 * `Retry-After` (the request may succeed shortly); anything else becomes a generic 500 so
 * internals never leak, and is logged.
 */
export function httpErrors(logger: ServiceLogger): MiddlewareObj<unknown, APIGatewayProxyResultV2> {
  return {
    onError: async (request) => {
      const error = request.error as (Error & { statusCode?: number; expose?: boolean }) | null;
      // Edge errors and domain errors (their status from the one table in error-status.ts).
      const known = asHttpError(error);
      if (known) {
        request.response = errorResponse(known.statusCode, known.code, known.message, known.details, known.headers);
        return;
      }
      const status = error?.statusCode;
      if (status !== undefined && status >= 400 && status < 500) {
        // middy's own errors (e.g. the router's 404) carry a status and a safe message.
        request.response = errorResponse(status, codeFor(status), error?.message ?? 'Bad request');
        return;
      }
      if (error && isTransient(error)) {
        logger.warn('Dependency unavailable', { error: `${error.name}: ${error.message}` });
        const unavailable = toHttpError(storeUnavailable(error, 'A backing service is unavailable right now. Retry shortly.'));
        request.response = errorResponse(unavailable.statusCode, unavailable.code, unavailable.message, undefined, unavailable.headers);
        return;
      }
      logger.error('Unhandled error', { error: error ? `${error.name}: ${error.message}` : 'unknown', stack: error?.stack });
      request.response = errorResponse(500, 'INTERNAL_ERROR', 'Internal error');
    },
  };
}

/** Error names of throttling and transient faults of AWS services (and the SDK's own timeout). */
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'LimitExceededException',
]);
/** Network failures: the dependency could not be reached or dropped the connection. */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH']);

/**
 * A fault that says "try again shortly", not "this request is wrong": an AWS SDK error the SDK
 * itself calls retryable or a server fault, a throttling or timeout error, a network error.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const sdk = error as Error & { $retryable?: unknown; $fault?: unknown; code?: unknown };
  if (sdk.$retryable || sdk.$fault === 'server') return true;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  return typeof sdk.code === 'string' && TRANSIENT_CODES.has(sdk.code);
}

function codeFor(status: number): string {
  if (status === 404) return 'NOT_FOUND';
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  return 'BAD_REQUEST';
}

export function errorResponse(
  statusCode: number,
  code: string,
  message: string,
  details?: Record<string, unknown>,
  headers?: Record<string, string>,
): APIGatewayProxyResultV2 {
  return json(statusCode, { error: { code, message, ...(details ? { details } : {}) } }, headers);
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}
