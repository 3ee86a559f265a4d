/**
 * Typed Node client for the SMS Shield HTTP API v1. Self-contained (only `fetch`), so it can
 * be copied into a backend as is. Non-2xx answers become a `ShieldHttpError`; a send that was
 * blocked or challenged (403 / 428 / 429) becomes a `ShieldBlockedError` carrying the verdict,
 * one whose outcome is unknown (504: the SMS may have been sent) a `ShieldOutcomeUnknownError`.
 */

export type Scenario = 'register' | 'login' | 'reset_password' | 'transfer' | 'other';
export type Decision = 'allow' | 'challenge' | 'block';

export interface Verdict {
  readonly decision: Decision;
  readonly score: number;
  readonly level: 'low' | 'medium' | 'high';
  readonly reasons: string[];
  readonly retryAfterSeconds?: number;
  readonly shadow?: boolean;
}

/** The end user's context, as your backend saw it. */
export interface AttemptInput {
  readonly phone: string;
  readonly country?: string;
  readonly scenario: Scenario;
  readonly ip: string;
  readonly userAgent?: string;
  readonly device?: string;
  readonly challenge?: string;
  readonly account?: string;
  readonly idempotencyKey?: string;
}

export interface SendInput extends AttemptInput {
  readonly message: string;
}

export interface OtpSendInput extends AttemptInput {
  /** Message text with a `{code}` placeholder. */
  readonly template?: string;
  readonly codeLength?: number;
}

export interface SendResult {
  readonly decision: 'allow';
  readonly sent: true;
  readonly messageId: string;
  readonly verdict: Verdict;
}

export type OtpVerifyResult =
  | { readonly verified: true }
  | { readonly verified: false; readonly reason: 'NO_PENDING_CODE' | 'WRONG_CODE' | 'TOO_MANY_ATTEMPTS'; readonly remainingAttempts?: number };

export type ListKind = 'number' | 'prefix' | 'ip' | 'cidr' | 'device' | 'asn' | 'country';

export interface ListEntryInput {
  readonly kind: ListKind;
  readonly value: string;
  readonly action: 'block' | 'allow';
  readonly reason?: string;
  readonly ttlSeconds?: number;
}

export interface ListEntry {
  readonly scope: string;
  readonly kind: ListKind;
  readonly value: string;
  readonly action: 'block' | 'allow';
  readonly reason?: string;
  readonly createdAt: string;
  readonly expiresAt?: string;
}

export interface ListEntryPage {
  readonly entries: ListEntry[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

export interface ShieldClientOptions {
  /** Base URL of the deployment, e.g. the stack's `ApiUrl` output. */
  readonly baseUrl: string;
  /** The tenant API key (`ssk_…`). */
  readonly apiKey: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Per-request timeout in milliseconds. @default 10_000 */
  readonly timeoutMs?: number;
}

/** The API answered with an error status; `code` and `details` come from its error body. */
export class ShieldHttpError extends Error {
  override readonly name: string = 'ShieldHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The shield did not send: blocked (403, 429 with `retryAfterSeconds`), challenge required (428) or provider failure (502). */
export class ShieldBlockedError extends ShieldHttpError {
  override readonly name = 'ShieldBlockedError';
  readonly decision: Decision;
  readonly reasons: readonly string[];
  readonly retryAfterSeconds: number | undefined;
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
    );
    this.decision = verdict.decision;
    this.reasons = verdict.reasons;
    this.retryAfterSeconds = retryAfterSeconds ?? verdict.retryAfterSeconds;
  }
}

/**
 * The SMS may have been sent: the provider (or the gateway) did not answer in time (504,
 * `SEND_OUTCOME_UNKNOWN`). Do not resend blindly: a retry with the same `idempotencyKey` gets
 * this answer again; a new key may deliver a second SMS. For a code, let the user enter it if
 * it arrives, or ask for a new one.
 */
export class ShieldOutcomeUnknownError extends ShieldHttpError {
  override readonly name = 'ShieldOutcomeUnknownError';
  constructor(
    code: string,
    message: string,
    /** The verdict, when the shield got as far as one (absent for a gateway timeout). */
    readonly verdict: Verdict | undefined,
    body: unknown,
  ) {
    super(504, code, message, body);
  }
}

const SEND_REFUSALS = new Set([403, 428, 429, 502]);

export class ShieldClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: ShieldClientOptions) {
    if (!options.baseUrl) throw new Error('ShieldClient: baseUrl is required');
    if (!options.apiKey) throw new Error('ShieldClient: apiKey is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** `POST /v1/sms/send`: verdict, then the SMS on allow; throws `ShieldBlockedError` otherwise. */
  send(input: SendInput): Promise<SendResult> {
    return this.sendLike('/v1/sms/send', input);
  }

  /** `POST /v1/verdicts`: the verdict only (counted as an attempt); never throws for a block. */
  async verdict(input: AttemptInput): Promise<Verdict> {
    const body = await this.request<{ verdict: Verdict }>('POST', '/v1/verdicts', input);
    return body.verdict;
  }

  /** `POST /v1/otp/send`: the shield generates and sends the code. */
  otpSend(input: OtpSendInput): Promise<SendResult> {
    return this.sendLike('/v1/otp/send', input);
  }

  /** `POST /v1/otp/verify`. */
  otpVerify(input: { phone: string; country?: string; code: string }): Promise<OtpVerifyResult> {
    return this.request('POST', '/v1/otp/verify', input);
  }

  /** `POST /v1/events/verification`: report the outcome when you check codes yourself. */
  reportVerification(input: { phone: string; country?: string; success: boolean }): Promise<{ credited: boolean }> {
    return this.request('POST', '/v1/events/verification', input);
  }

  /** The tenant's own block and allow lists. */
  readonly lists = {
    /** Every entry, page after page. */
    list: async (): Promise<ListEntry[]> => {
      const entries: ListEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.lists.page({ limit: 500, cursor });
        entries.push(...page.entries);
        cursor = page.nextCursor;
      } while (cursor);
      return entries;
    },
    /** One page (`limit` 1–500, default 100); pass `nextCursor` back as `cursor` for the next. */
    page: (options: { limit?: number; cursor?: string } = {}): Promise<ListEntryPage> => {
      const query = new URLSearchParams();
      if (options.limit !== undefined) query.set('limit', String(options.limit));
      if (options.cursor !== undefined) query.set('cursor', options.cursor);
      const text = query.toString();
      return this.request('GET', text ? `/v1/lists?${text}` : '/v1/lists');
    },
    add: (entry: ListEntryInput): Promise<ListEntry> => this.request('POST', '/v1/lists', entry),
    remove: (kind: ListKind, value: string): Promise<{ removed: boolean }> =>
      this.request('DELETE', `/v1/lists?${new URLSearchParams({ kind, value }).toString()}`),
  };

  private async sendLike(path: string, input: unknown): Promise<SendResult> {
    const { status, body, headers } = await this.raw('POST', path, input);
    if (status === 200) return body as SendResult;
    const verdict = (body as { verdict?: Verdict } | undefined)?.verdict;
    if (status === 504) {
      const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ShieldOutcomeUnknownError(
        error?.code ?? 'SEND_OUTCOME_UNKNOWN',
        error?.message ?? 'The SMS may have been sent: no answer in time',
        verdict,
        body,
      );
    }
    if (SEND_REFUSALS.has(status) && verdict) {
      const retryAfter = Number(headers.get('retry-after'));
      throw new ShieldBlockedError(status, verdict, body, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
    }
    throw toHttpError(status, body);
  }

  private async request<T>(method: string, path: string, input?: unknown): Promise<T> {
    const { status, body } = await this.raw(method, path, input);
    if (status >= 200 && status < 300) return body as T;
    throw toHttpError(status, body);
  }

  private async raw(method: string, path: string, input?: unknown): Promise<{ status: number; body: unknown; headers: Headers }> {
    const res = await this.fetch(this.baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${this.options.apiKey}`,
        ...(input === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: input === undefined ? undefined : JSON.stringify(input),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch (cause) {
      throw new ShieldHttpError(res.status, 'INVALID_RESPONSE', `Shield answered ${res.status} with a non-JSON body`, text, { cause });
    }
    return { status: res.status, body, headers: res.headers };
  }
}

function toHttpError(status: number, body: unknown): ShieldHttpError {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return new ShieldHttpError(status, error?.code ?? `HTTP_${status}`, error?.message ?? `Shield answered ${status}`, body);
}
