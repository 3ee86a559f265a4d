import { setTimeout as sleep } from 'node:timers/promises';
import { fillTemplate, type AuditConfig } from './config';
import { AuditError } from './numbers';

/** The checks an audit can run. */
export type CheckId =
  | 'number-limit'
  | 'number-aliases'
  | 'bot-check'
  | 'premium-numbers'
  | 'invalid-numbers'
  | 'foreign-numbers'
  | 'error-leaks'
  | 'per-client-limit';

/** One request a check wants sent. */
export interface RequestSpec {
  /** What the request tests, in a few words ("same number, send 2 of 3"). */
  readonly purpose: string;
  /** The number as written in the request; absent for the malformed-body probe. */
  readonly phone?: string;
  /** The user's own number (or a spelling of it): this request can deliver an SMS to their phone. */
  readonly ownNumber: boolean;
  /** Sent with a bot's user agent instead of a browser's. */
  readonly bot?: boolean;
  /** A body that is not valid JSON. */
  readonly malformed?: boolean;
  /** Requests of one group stop at the first one that is not accepted: no more sends than needed. */
  readonly stopGroup?: string;
}

export interface PlannedRequest extends RequestSpec {
  /** 1-based position in the run. */
  readonly seq: number;
  readonly check: CheckId;
}

/** A check's requests, as planning sees them. */
export interface CheckRequests {
  readonly id: CheckId;
  readonly requests: readonly RequestSpec[];
  /** Runs only if this other check runs too (its result is what this one compares with). */
  readonly requires?: CheckId;
}

export interface AuditPlan {
  /** In the order they are sent; never more than the budget. */
  readonly requests: readonly PlannedRequest[];
  /** Checks left out because the budget (`--max-requests`) had no room for them. */
  readonly skipped: readonly CheckId[];
}

/**
 * Fit checks into the budget in priority order (`byPriority`), whole checks only, skipping a
 * check that does not fit and trying the smaller ones after it; then order the requests for
 * sending (`executionOrder`).
 */
export function planRequests(byPriority: readonly CheckRequests[], executionOrder: readonly CheckId[], maxRequests: number): AuditPlan {
  const chosen = new Set<CheckId>();
  const skipped: CheckId[] = [];
  let used = 0;
  for (const check of byPriority) {
    const fits = used + check.requests.length <= maxRequests;
    if (check.requests.length > 0 && fits && (!check.requires || chosen.has(check.requires))) {
      chosen.add(check.id);
      used += check.requests.length;
    } else if (check.requests.length > 0) {
      skipped.push(check.id);
    }
  }
  const requests: PlannedRequest[] = [];
  for (const id of executionOrder) {
    if (!chosen.has(id)) continue;
    for (const spec of byPriority.find((c) => c.id === id)!.requests) requests.push({ ...spec, seq: requests.length + 1, check: id });
  }
  return { requests, skipped };
}

/** How the endpoint treated a request, judged from the HTTP status (and challenge wording). */
export type Outcome = 'accepted' | 'challenged' | 'refused' | 'error';

export interface ProbeResult {
  readonly request: PlannedRequest;
  /** False when the request was not needed: an earlier one of its group was already refused. */
  readonly sent: boolean;
  readonly status?: number;
  readonly outcome?: Outcome;
  /** The response body as received (up to 64 KiB). Raw: reports only show redacted excerpts. */
  readonly body: string;
  /** Response headers that can leak a framework or say when to retry. */
  readonly headers: Readonly<Record<string, string>>;
  /** Network failure or timeout. */
  readonly error?: string;
  /** When it was sent (epoch ms) and how long the answer took. */
  readonly at: number;
  readonly ms: number;
}

/** What a normal person's browser sends, so that only the bot probe looks like a bot. */
export const BROWSER_USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/** An HTTP library: nobody types a code into this. */
export const BOT_USER_AGENT = 'python-requests/2.32.3';
/** Every probe carries this header, so the requests can be found in the endpoint's logs. */
export const AUDIT_HEADER = 'x-sms-shield-audit';

const MAX_BODY_BYTES = 64 * 1024;
const KEPT_HEADERS = ['server', 'x-powered-by', 'x-aspnet-version', 'x-runtime', 'retry-after', 'content-type'];
const CHALLENGE_WORDS = /challenge|captcha|turnstile|proof[ -]of[ -]work/i;

/** 2xx accepted; 428 or challenge wording challenged; 5xx an error; any other status refused. */
export function classify(status: number, body: string): Outcome {
  if (status === 428 || CHALLENGE_WORDS.test(body)) return 'challenged';
  if (status >= 200 && status < 300) return 'accepted';
  if (status >= 500) return 'error';
  return 'refused';
}

export interface ProbeDeps {
  readonly fetch?: typeof fetch;
  /** Called after each planned request, sent or not. */
  readonly onResult?: (result: ProbeResult, total: number) => void;
}

/**
 * Send the plan, one request at a time with `delayMs` between them. Redirects are not
 * followed (a probe never goes to another host), bodies are read up to 64 KiB, and each
 * request has its own timeout. When the very first request cannot reach the endpoint the run
 * stops with an error instead of reporting on nothing.
 */
export async function runProbe(config: AuditConfig, plan: AuditPlan, deps: ProbeDeps = {}): Promise<ProbeResult[]> {
  const doFetch = deps.fetch ?? fetch;
  const results: ProbeResult[] = [];
  const stopped = new Set<string>();
  let sentAny = false;
  for (const request of plan.requests) {
    if (request.stopGroup && stopped.has(request.stopGroup)) {
      const result: ProbeResult = { request, sent: false, body: '', headers: {}, at: Date.now(), ms: 0 };
      results.push(result);
      deps.onResult?.(result, plan.requests.length);
      continue;
    }
    if (sentAny && config.delayMs > 0) await sleep(config.delayMs);
    const result = await send(config, request, doFetch);
    if (result.error && !results.some((r) => r.status !== undefined)) {
      throw new AuditError(`cannot reach ${config.url.origin}: ${result.error}`);
    }
    sentAny = true;
    results.push(result);
    deps.onResult?.(result, plan.requests.length);
    if (request.stopGroup && result.outcome !== 'accepted') stopped.add(request.stopGroup);
  }
  return results;
}

async function send(config: AuditConfig, request: PlannedRequest, doFetch: typeof fetch): Promise<ProbeResult> {
  const at = Date.now();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await doFetch(config.url, {
      method: 'POST',
      headers: requestHeaders(config, request),
      body: requestBody(config, request),
      redirect: 'manual',
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    const body = await readCapped(res);
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = res.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    return { request, sent: true, status: res.status, outcome: classify(res.status, body), body, headers, at, ms: elapsed() };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? `no answer within ${config.timeoutMs} ms` : (e.cause?.code ?? e.message);
    return { request, sent: true, outcome: 'error', body: '', headers: {}, error: reason, at, ms: elapsed() };
  }
}

/** Request headers: JSON, a browser's user agent (or the bot's), the audit marker, then the user's own. */
export function requestHeaders(config: AuditConfig, request: Pick<RequestSpec, 'bot'>): Headers {
  const headers = new Headers({ 'content-type': 'application/json', accept: 'application/json', 'user-agent': BROWSER_USER_AGENT, [AUDIT_HEADER]: '1' });
  for (const [name, value] of config.headers) headers.set(name, value);
  if (request.bot) headers.set('user-agent', BOT_USER_AGENT);
  return headers;
}

/** The JSON body for one request; the malformed probe gets the first half of it (never valid JSON). */
export function requestBody(config: AuditConfig, request: Pick<RequestSpec, 'phone' | 'malformed'>): string {
  const phone = request.phone ?? '';
  const country = config.phone.country ?? '';
  const body = config.bodyTemplate ? fillTemplate(config.bodyTemplate, phone, country) : JSON.stringify({ [config.phoneField]: phone });
  return request.malformed ? body.slice(0, Math.ceil(body.length / 2)) : body;
}

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_BODY_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}
