import { ShieldBlockedError, ShieldClientError, ShieldHttpError, ShieldNetworkError, ShieldOutcomeUnknownError, ShieldTimeoutError } from './errors.js';
import type { SendResult, Verdict } from './types.js';

/** How to reach a deployment; every client takes these. */
export interface ShieldConnectionOptions {
  /**
   * Base URL of the deployment, e.g. the stack's `ApiUrl` output (a path prefix is kept).
   * `https:`; `http:` only for a loopback host (local mode) unless `allowInsecureHttp`.
   */
  readonly baseUrl: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * Milliseconds to wait for a whole answer. A send that times out throws
   * `ShieldOutcomeUnknownError` (the SMS may have gone out); any other call `ShieldTimeoutError`.
   * @default 10_000
   */
  readonly timeoutMs?: number;
  /** Allow `http:` to a host other than loopback: the key then crosses the network in clear text. @default false */
  readonly allowInsecureHttp?: boolean;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Call {
  readonly method: Method;
  /** The path, its parameters already encoded; never a query string (`query` holds it, and it stays out of errors). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  /** Set when the body was not JSON. */
  readonly text?: string;
}

/** Status codes with which a send was refused and nothing went out; the body carries the verdict. */
const SEND_REFUSALS = new Set([403, 428, 429, 502]);

/**
 * Connection errors raised before any byte of the request could reach the shield: a send that
 * fails with one of these surely sent nothing. Any other failure of a send leaves its outcome unknown.
 */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

const DEFAULT_TIMEOUT_MS = 10_000;
/** Largest delay a timer takes (2^31 - 1 ms); beyond, Node fires at once. */
const MAX_TIMEOUT_MS = 2_147_483_647;
/** What a bearer token may hold: visible ASCII, so it can never break or extend a header. */
const KEY_SHAPE = /^[\x21-\x7e]{1,512}$/;

export function invalidArgument(message: string): ShieldClientError {
  return new ShieldClientError('INVALID_ARGUMENT', message);
}

/**
 * The one place requests are made: URL, headers, timeout, redirects and the mapping of answers
 * and failures to the errors of `errors.ts`. The key lives in a private field, so logging a
 * client (`console.log`, `util.inspect`, `JSON.stringify`) never shows it.
 */
export class Transport {
  readonly #base: URL;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #key: string | undefined;

  constructor(owner: string, options: ShieldConnectionOptions, key?: { readonly name: string; readonly value: string | undefined }) {
    if (typeof options?.baseUrl !== 'string' || options.baseUrl === '') throw invalidArgument(`${owner}: baseUrl is required`);
    this.#base = parseBaseUrl(owner, options.baseUrl, options.allowInsecureHttp === true);
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') throw invalidArgument(`${owner}: no global fetch: pass one in the options`);
    this.#fetch = fetchImpl;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
      throw invalidArgument(`${owner}: timeoutMs must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
    }
    this.#timeoutMs = timeoutMs;
    if (key) {
      // Never quote the value: it is a secret, or something pasted in its place.
      if (typeof key.value !== 'string' || key.value === '') throw invalidArgument(`${owner}: ${key.name} is required`);
      if (!KEY_SHAPE.test(key.value)) throw invalidArgument(`${owner}: ${key.name} must be the key as issued (visible ASCII, no spaces or line breaks)`);
      this.#key = key.value;
    }
  }

  /** A call whose 2xx body is the answer; any other status throws `ShieldHttpError`. */
  async json<T>(call: Call, auth: boolean): Promise<T> {
    const answer = await this.exchange(call, auth);
    if (answer.status >= 200 && answer.status < 300) {
      if (answer.text !== undefined) throw invalidResponse(answer);
      return answer.body as T;
    }
    throw httpError(answer);
  }

  /**
   * `POST /v1/sms/send` or `/v1/otp/send`: the result when the SMS went out, `ShieldBlockedError`
   * when the shield refused, `ShieldOutcomeUnknownError` whenever it may have gone out without
   * the client learning so (504, a timeout, a dropped connection, an unreadable 2xx).
   */
  async send(call: Call & { readonly body: { readonly idempotencyKey?: string } }): Promise<SendResult> {
    const idempotencyKey = call.body.idempotencyKey;
    const answer = await this.exchange(call, true, { idempotencyKey });
    const { status, body } = answer;
    const verdict = verdictOf(body);
    if (status === 504) {
      const error = errorOf(body);
      throw new ShieldOutcomeUnknownError(
        504,
        error.code ?? 'SEND_OUTCOME_UNKNOWN',
        error.message ?? 'The SMS may have been sent: no answer in time',
        verdict,
        body ?? answer.text,
        idempotencyKey,
      );
    }
    if (status >= 200 && status < 300) {
      const result = body as Partial<SendResult> | undefined;
      if (answer.text === undefined && result?.sent === true && typeof result.messageId === 'string') return result as SendResult;
      throw new ShieldOutcomeUnknownError(
        status,
        'INVALID_RESPONSE',
        `SMS Shield answered ${status} with a body that is not a send result: the SMS may have been sent`,
        verdict,
        body ?? answer.text,
        idempotencyKey,
      );
    }
    if (SEND_REFUSALS.has(status) && verdict) throw new ShieldBlockedError(status, verdict, body, retryAfter(answer.headers));
    throw httpError(answer);
  }

  async exchange(call: Call, auth: boolean, send?: { readonly idempotencyKey: string | undefined }): Promise<Answer> {
    // Origin and prefix as text: a base path such as `//host` must not turn into another origin.
    const url = new URL(this.#base.origin + this.#base.pathname.replace(/\/+$/, '') + call.path);
    for (const [name, value] of Object.entries(call.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (auth && this.#key !== undefined) headers.authorization = `Bearer ${this.#key}`;
    let payload: string | undefined;
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(call.body);
    }
    const signal = AbortSignal.timeout(this.#timeoutMs);
    let status: number;
    let responseHeaders: Headers;
    let text: string;
    try {
      // `manual`: a redirect is answered as an error, never followed, so the key goes nowhere else.
      const response = await this.#fetch(url, { method: call.method, headers, body: payload, signal, redirect: 'manual' });
      status = response.status;
      responseHeaders = response.headers;
      text = await response.text();
    } catch (cause) {
      throw this.#failure(call, cause, signal.aborted, send);
    }
    if (text === '') return { status, headers: responseHeaders, body: undefined };
    try {
      return { status, headers: responseHeaders, body: JSON.parse(text) as unknown };
    } catch {
      return { status, headers: responseHeaders, body: undefined, text };
    }
  }

  #failure(call: Call, cause: unknown, timedOut: boolean, send: { readonly idempotencyKey: string | undefined } | undefined): ShieldClientError {
    if (send && timedOut) {
      return new ShieldOutcomeUnknownError(
        0,
        'CLIENT_TIMEOUT',
        `No answer from SMS Shield within ${this.#timeoutMs} ms: the SMS may have been sent. Retry only with the same idempotencyKey.`,
        undefined,
        undefined,
        send.idempotencyKey,
        { cause },
      );
    }
    if (timedOut) return new ShieldTimeoutError(call.method, call.path, this.#timeoutMs, { cause });
    if (send && !neverConnected(cause)) {
      return new ShieldOutcomeUnknownError(
        0,
        'NETWORK_ERROR',
        'The connection to SMS Shield failed before its answer: the SMS may have been sent. Retry only with the same idempotencyKey.',
        undefined,
        undefined,
        send.idempotencyKey,
        { cause },
      );
    }
    return new ShieldNetworkError(call.method, call.path, { cause });
  }
}

function parseBaseUrl(owner: string, raw: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidArgument(`${owner}: baseUrl must be an absolute URL such as https://abc123.execute-api.eu-west-1.amazonaws.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidArgument(`${owner}: baseUrl must be an https: URL`);
  if (url.username || url.password || url.search || url.hash) throw invalidArgument(`${owner}: baseUrl must not hold credentials, a query or a fragment`);
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw invalidArgument(`${owner}: baseUrl must be https: (http: is for a loopback host; set allowInsecureHttp to send the key in clear text anyway)`);
  }
  return url;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Whether the failure surely happened before the request left: connection refused, name not resolved, no route. */
function neverConnected(cause: unknown): boolean {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const walk = (error: unknown): void => {
    if (typeof error !== 'object' || error === null || seen.has(error)) return;
    seen.add(error);
    const { code, cause: inner, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (Array.isArray(errors)) for (const e of errors) walk(e);
    walk(inner);
  };
  walk(cause);
  return codes.length > 0 && codes.every((code) => NOT_CONNECTED.has(code));
}

/** `error.code` and `error.message` of an error body, each only when it is a string. */
function errorOf(body: unknown): { code?: string; message?: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (typeof error !== 'object' || error === null) return {};
  return {
    ...(typeof error.code === 'string' && { code: error.code }),
    ...(typeof error.message === 'string' && { message: error.message }),
  };
}

/** The verdict of a send answer, when it has the shape of one. */
function verdictOf(body: unknown): Verdict | undefined {
  const verdict = (body as { verdict?: Partial<Verdict> } | undefined)?.verdict;
  if (typeof verdict !== 'object' || verdict === null) return undefined;
  return typeof verdict.decision === 'string' && Array.isArray(verdict.reasons) ? (verdict as Verdict) : undefined;
}

function retryAfter(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim();
  return value && /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : undefined;
}

function invalidResponse(answer: Answer): ShieldHttpError {
  return new ShieldHttpError(answer.status, 'INVALID_RESPONSE', `SMS Shield answered ${answer.status} with a body that is not JSON`, answer.text);
}

function httpError(answer: Answer): ShieldHttpError {
  if (answer.text !== undefined) return invalidResponse(answer);
  const error = errorOf(answer.body);
  return new ShieldHttpError(answer.status, error.code ?? `HTTP_${answer.status}`, error.message ?? `SMS Shield answered ${answer.status}`, answer.body, {
    retryAfterSeconds: retryAfter(answer.headers),
  });
}
