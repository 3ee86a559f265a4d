/**
 * An error that is HTTP from the start: authentication, body parsing and validation at the
 * edge. The service and the engine throw `ShieldError`s instead (`domain/errors.ts`).
 */
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
