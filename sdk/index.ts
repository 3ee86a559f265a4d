/**
 * SMS Shield browser SDK. One call before the page asks its backend to send a code:
 *
 *   const { challenge, device } = await SmsShield.protect({ endpoint: 'https://shield.example.com', tenant: 'shop' });
 *   await fetch('/api/send-code', { method: 'POST', body: JSON.stringify({ phone, challenge, device }) });
 *
 * It fetches a proof-of-work challenge and solves it in Web Workers, and, at the same time,
 * computes a browser fingerprint plus automation markers and exchanges them for a signed
 * device token. The backend passes both values on to `/v1/sms/send` (or `/v1/verdicts`).
 */
import FingerprintJS from '@fingerprintjs/fingerprintjs';
import { collectMarkers } from './markers';
import { encodeSolution, searchRange, type PowChallenge } from './pow';

/** The worker's bundled source, injected by `sdk/build.ts`. */
declare const __SMS_SHIELD_WORKER__: string;

export interface ProtectOptions {
  /** Base URL of the shield's API (its public routes `/v1/challenge` and `/v1/device`). */
  readonly endpoint: string;
  /** The tenant id the challenge is for (public; not the API key). */
  readonly tenant: string;
  /** Ask for a harder challenge than the shield would pick, e.g. after a risky verdict. */
  readonly level?: number;
  /** Give up after this long. @default 30_000 ms */
  readonly timeoutMs?: number;
  /** Web Workers to solve with. @default min(4, navigator.hardwareConcurrency) */
  readonly workers?: number;
}

export interface Protection {
  /** The solved challenge: pass it as `challenge`. */
  readonly challenge: string;
  /**
   * The signed device token: pass it as `device`. When the shield could not issue one (busy
   * network, outage), the token this browser already holds, or undefined: the send still goes
   * ahead, judged without a verified device.
   */
  readonly device: string | undefined;
  /** Difficulty level of the solved challenge. */
  readonly level: number;
  /** Milliseconds spent solving. */
  readonly solveMs: number;
}

export const version = '1';

const STORAGE_KEY = 'sms-shield-device';
const SLICE = 50_000;

export async function protect(options: ProtectOptions): Promise<Protection> {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const [solved, device] = await Promise.all([solveChallenge(endpoint, options, deadline), deviceToken(endpoint, deadline)]);
  return { ...solved, device };
}

async function solveChallenge(endpoint: string, options: ProtectOptions, deadline: number) {
  const query = new URLSearchParams({ tenant: options.tenant });
  if (options.level !== undefined) query.set('level', String(options.level));
  const challenge = (await getJson(`${endpoint}/v1/challenge?${query}`, undefined, deadline)) as PowChallenge & { level: number };
  const started = performance.now();
  const workers = Math.max(1, Math.min(8, Math.floor(options.workers ?? Math.min(4, navigator.hardwareConcurrency || 2))));
  const number = await solve(challenge, workers, deadline);
  return { challenge: encodeSolution(challenge, number), level: challenge.level, solveMs: Math.round(performance.now() - started) };
}

/** Solve with `count` workers sharing the range by stride; on the main thread if workers are unavailable (CSP). */
function solve(challenge: PowChallenge, count: number, deadline: number): Promise<number> {
  let url: string;
  const workers: Worker[] = [];
  try {
    url = URL.createObjectURL(new Blob([__SMS_SHIELD_WORKER__], { type: 'text/javascript' }));
    for (let i = 0; i < count; i++) workers.push(new Worker(url));
  } catch {
    for (const worker of workers) worker.terminate();
    return solveOnMainThread(challenge, deadline);
  }
  return new Promise<number>((resolve, reject) => {
    let pending = count;
    const finish = (error: Error | undefined, number?: number) => {
      clearTimeout(timer);
      for (const worker of workers) worker.terminate();
      URL.revokeObjectURL(url);
      if (error) reject(error);
      else resolve(number as number);
    };
    const timer = setTimeout(() => finish(new Error('SmsShield: the challenge took too long to solve')), Math.max(0, deadline - Date.now()));
    workers.forEach((worker, i) => {
      worker.onmessage = (event: MessageEvent<{ number: number | null }>) => {
        if (event.data.number !== null) finish(undefined, event.data.number);
        else if (--pending === 0) finish(new Error('SmsShield: the challenge has no solution'));
      };
      worker.onerror = () => finish(new Error('SmsShield: the solver worker failed'));
      worker.postMessage({ challenge: challenge.challenge, salt: challenge.salt, start: i, end: challenge.maxnumber, step: count });
    });
  });
}

/** Fallback: slices of the search between yields to the event loop, so the page still paints. */
async function solveOnMainThread(challenge: PowChallenge, deadline: number): Promise<number> {
  for (let start = 0; start <= challenge.maxnumber; start += SLICE) {
    if (Date.now() > deadline) throw new Error('SmsShield: the challenge took too long to solve');
    const end = Math.min(challenge.maxnumber, start + SLICE - 1);
    const number = searchRange({ challenge: challenge.challenge, salt: challenge.salt, start, end });
    if (number !== null) return number;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new Error('SmsShield: the challenge has no solution');
}

let fingerprint: Promise<string> | undefined;

/**
 * A device token for this browser; the previous one is sent along so the device keeps its
 * first-seen time. A refusal (429 when the network mints devices in a burst, 503) or a network
 * error never fails `protect()`: a person behind a busy carrier NAT still gets their code.
 */
async function deviceToken(endpoint: string, deadline: number): Promise<string | undefined> {
  try {
    return await freshDeviceToken(endpoint, deadline);
  } catch {
    return readStored();
  }
}

async function freshDeviceToken(endpoint: string, deadline: number): Promise<string> {
  fingerprint ??= FingerprintJS.load({ monitoring: false })
    .then((agent) => agent.get())
    .then((result) => result.visitorId);
  const previous = readStored();
  const body = { fingerprint: await fingerprint, markers: collectMarkers(), ...(previous ? { token: previous } : {}) };
  const issued = (await getJson(`${endpoint}/v1/device`, body, deadline)) as { token: string };
  try {
    localStorage.setItem(STORAGE_KEY, issued.token);
  } catch {
    // Storage may be off (private mode, policies): the device id still follows the fingerprint.
  }
  return issued.token;
}

function readStored(): string | undefined {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

async function getJson(url: string, body: unknown, deadline: number): Promise<unknown> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(0, deadline - Date.now()));
  try {
    const res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      credentials: 'omit',
    });
    if (!res.ok) throw new Error(`SmsShield: ${new URL(url).pathname} answered ${res.status}`);
    return await res.json();
  } finally {
    clearTimeout(timer);
  }
}
