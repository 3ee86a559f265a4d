import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalStore } from '../lambdas/local/server';
import type { ServiceLogger } from '../lambdas/service/shield-service';
import { addressOf, mobileNumber } from '../lambdas/sim/profiles';
import { Rng } from '../lambdas/sim/rng';

export interface LoadOptions {
  /** Requests to send at most. */
  readonly requests: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Stop sending after this many seconds, whatever the count. */
  readonly maxSeconds: number;
  /** The first this many requests are checked but not timed. @default 0 */
  readonly warmup?: number;
  /** Local server store. @default 'dynalite' */
  readonly store?: LocalStore;
}

export interface LoadResult {
  readonly store: LocalStore;
  /** Requests answered (or failed), warm-up included. */
  readonly requests: number;
  /** Requests timed (after the warm-up). */
  readonly timed: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Network failures, 5xx, and any status a client of the API does not expect. */
  readonly errors: number;
  /** Responses by HTTP status. */
  readonly statuses: Record<number, number>;
  /** Reason codes of refused answers, with counts. */
  readonly refusalReasons: Record<string, number>;
  /** Server log lines at error level. */
  readonly serverErrors: string[];
  /** SMS the outbox received. */
  readonly sent: number;
}

/** Answers a tenant's backend is built to handle: allowed, blocked, challenged, rate-limited. */
const EXPECTED = new Set([200, 403, 428, 429]);
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const COUNTRIES = ['GB', 'GB', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL'] as const;

/** One person per request: a mobile number and a home IP of the same country (the simulator's pools). */
function population(count: number): { phone: string; ip: string }[] {
  const rng = Rng.seeded(7);
  return Array.from({ length: count }, (_, i) => {
    const country = COUNTRIES[i % COUNTRIES.length]!;
    return { phone: mobileNumber(rng, country).e164, ip: addressOf(rng, 'residential', country) };
  });
}

/**
 * A bounded load test (count and time) against the local server on 127.0.0.1: four verdicts
 * (`POST /v1/verdicts`) for every send (`POST /v1/sms/send`), each from a different person
 * (number and home IP of one country, a device of their own) — clean traffic, so the sends
 * should reach the outbox. Requests are built before the clock starts.
 */
export async function loadLocalServer(opts: LoadOptions): Promise<LoadResult> {
  const store = opts.store ?? 'dynalite';
  const dir = await mkdtemp(join(tmpdir(), 'sms-shield-load-'));
  const serverErrors: string[] = [];
  const logger: ServiceLogger = { info: () => undefined, warn: () => undefined, error: (m, ...e) => void serverErrors.push(JSON.stringify([m, ...e])) };
  const server = await startLocalServer({ port: 0, dataDir: dir, logger, store, jointDefenseEveryMs: 0, print: () => undefined });
  const key = server.demoApiKey ?? '';
  const people = population(opts.requests);
  const warmup = Math.min(opts.warmup ?? 0, opts.requests);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const refusalReasons: Record<string, number> = {};
  let errors = 0;
  let answered = 0;
  const deadline = Date.now() + opts.maxSeconds * 1000;

  const one = async (i: number, timed: boolean) => {
    const send = i % 5 === 4;
    const body = JSON.stringify({
      phone: people[i]!.phone,
      scenario: i % 10 === 0 ? 'register' : 'login',
      ip: people[i]!.ip,
      device: `load-device-${i}`,
      userAgent: BROWSER_UA,
      ...(send && { message: `Your code is ${String(i % 1_000_000).padStart(6, '0')}` }),
    });
    const t = performance.now();
    try {
      const res = await fetch(`${server.url}${send ? '/v1/sms/send' : '/v1/verdicts'}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      const answer = (await res.json().catch(() => undefined)) as { verdict?: { reasons?: string[] } } | undefined;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (!EXPECTED.has(res.status)) errors++;
      if (res.status !== 200) {
        for (const reason of answer?.verdict?.reasons ?? []) refusalReasons[reason] = (refusalReasons[reason] ?? 0) + 1;
      }
    } catch {
      errors++;
    }
    answered++;
    if (timed) latencies.push(performance.now() - t);
  };
  /** `concurrency` workers take the next index until `end` or the deadline. */
  const phase = async (start: number, end: number, timed: boolean) => {
    let next = start;
    const worker = async () => {
      while (next < end && Date.now() < deadline) await one(next++, timed);
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
  };

  let elapsed = 0;
  try {
    // The first requests load lazily imported code and fill caches: answered and checked, not timed.
    await phase(0, warmup, false);
    const started = performance.now();
    await phase(warmup, opts.requests, true);
    elapsed = (performance.now() - started) / 1000;
  } finally {
    await server.close();
  }
  const sent = server.outbox.list('demo').length;
  await rm(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { store, requests: answered, timed: latencies.length, perSecond: latencies.length / Math.max(elapsed, 1e-9), p50Ms: at(0.5), p99Ms: at(0.99), errors, statuses, refusalReasons, serverErrors, sent };
}
