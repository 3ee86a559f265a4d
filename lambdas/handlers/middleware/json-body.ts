import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpError } from '../http-error';

export interface JsonBodyOptions {
  /** Largest accepted body in bytes. @default 16_384 */
  readonly maxBytes?: number;
}

/** Default body limit: a send request is well under 2 KB; 16 KB leaves room for challenge and device tokens. */
export const DEFAULT_MAX_BODY_BYTES = 16_384;

/** Event whose body was parsed by `jsonBody`: `parsedBody` is undefined when there was none. */
export type JsonEvent = APIGatewayProxyEventV2 & { parsedBody?: unknown };

/**
 * Decodes and parses a JSON body with a size limit: 413 over the limit, 415 for another
 * content type, 400 for malformed JSON. Requests without a body pass untouched.
 */
export function jsonBody(opts: JsonBodyOptions = {}): MiddlewareObj<JsonEvent> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  return {
    before: async (request) => {
      const event = request.event;
      if (event.body === undefined || event.body === null || event.body === '') return;
      const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
      if (raw.byteLength > maxBytes) {
        throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${maxBytes} bytes`);
      }
      const contentType = event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '';
      if (contentType && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
      }
      try {
        event.parsedBody = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new HttpError(400, 'MALFORMED_JSON', 'Request body is not valid JSON');
      }
    },
  };
}
