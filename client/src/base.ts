import { type Call, invalidArgument, type ShieldConnectionOptions, Transport } from './transport.js';
import type { Health, OpenApiDocument, SendResult } from './types.js';

/** What every client shares: the connection and the two unauthenticated reads. */
export abstract class ShieldBase {
  readonly #transport: Transport;

  protected constructor(owner: string, options: ShieldConnectionOptions, key?: { readonly name: string; readonly value: string | undefined }) {
    this.#transport = new Transport(owner, options, key);
  }

  /** `GET /health`. */
  health(): Promise<Health> {
    return this.call({ method: 'GET', path: '/health' }, false);
  }

  /** `GET /openapi.json`: the deployment's OpenAPI document. */
  openApi(): Promise<OpenApiDocument> {
    return this.call({ method: 'GET', path: '/openapi.json' }, false);
  }

  /** A call answered with JSON; `auth` sends the client's key. */
  protected call<T>(call: Call, auth = true): Promise<T> {
    return this.#transport.json<T>(call, auth);
  }

  /** A send route: see `Transport.send`. */
  protected sendCall(path: string, body: { readonly idempotencyKey?: string }): Promise<SendResult> {
    return this.#transport.send({ method: 'POST', path, body });
  }
}

/** A tenant id as a path segment: checked first, so no value can change which route is called. */
export function tenantSegment(id: string): string {
  if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9-]{1,62}$/.test(id)) throw invalidArgument('A tenant id is 2–63 lowercase letters, digits or dashes');
  return id;
}

/** A key id (SHA-256 of the key, hex) as a path segment. */
export function keyIdSegment(keyId: string): string {
  if (typeof keyId !== 'string' || !/^[0-9a-f]{64}$/.test(keyId))
    throw invalidArgument('A key id is 64 lowercase hex characters (the keyId the key was issued with)');
  return keyId;
}
