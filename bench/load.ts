import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
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
const EXPECTED = [200, 403, 428, 429];

interface ClientResult {
  readonly latencies: number[];
  readonly statuses: Record<number, number>;
  readonly refusalReasons: Record<string, number>;
  readonly errors: number;
  readonly answered: number;
  readonly elapsedMs: number;
}

/** Run the load generator in a worker thread (its own event loop) and wait for its figures. */
function runClient(job: Record<string, unknown>): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-client.mjs', import.meta.url), { workerData: job });
    worker.once('message', (result: ClientResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`load client exited with code ${code} before reporting`)));
  });
}
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
  const requests = people.map((person, i) => {
    const send = i % 5 === 4;
    const body = JSON.stringify({
      phone: person.phone,
      scenario: i % 10 === 0 ? 'register' : 'login',
      ip: person.ip,
      device: `load-device-${i}`,
      userAgent: BROWSER_UA,
      ...(send && { message: `Your code is ${String(i % 1_000_000).padStart(6, '0')}` }),
    });
    return { path: send ? '/v1/sms/send' : '/v1/verdicts', body };
  });
  let run: ClientResult;
  try {
    run = await runClient({
      url: server.url,
      key,
      requests,
      warmup,
      concurrency: opts.concurrency,
      deadline: Date.now() + opts.maxSeconds * 1000,
      expected: [...EXPECTED],
    });
  } finally {
    await server.close();
  }
  const { latencies, statuses, refusalReasons, errors, answered } = run;
  const elapsed = run.elapsedMs / 1000;
  const sent = server.outbox.list('demo').length;
  await rm(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    store,
    requests: answered,
    timed: latencies.length,
    perSecond: latencies.length / Math.max(elapsed, 1e-9),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors,
    statuses,
    refusalReasons,
    serverErrors,
    sent,
  };
}
