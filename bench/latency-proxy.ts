import { createHash } from 'node:crypto';
import { Agent, createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/**
 * A latency model for DynamoDB: an HTTP proxy on 127.0.0.1 in front of DynamoDB Local that
 * answers each request after a latency drawn from a seeded log-normal distribution, handling
 * concurrent requests in parallel, as DynamoDB in AWS does.
 *
 * Why not just delay and forward: DynamoDB Local serves requests largely one after another
 * (≈ 1 ms each here), so a verdict's wave of ~20 calls takes ~20 × that however they are sent,
 * and any added delay only hides behind that queue or adds to it. In AWS the round trip is the
 * network plus a service that runs the calls of a wave side by side. So the proxy offers:
 *
 * - `live` (default): forwards at once, answers at max(DynamoDB Local's answer, arrival + drawn
 *   latency). Local time only shows when it exceeds the draw — which, for a wave, it does.
 * - `recorded`: answers from a recording of an earlier `live` run of the same requests (same
 *   method, path, target and body, in the same order per request), at arrival + drawn latency,
 *   without touching DynamoDB Local. The answers are DynamoDB Local's own; only their timing is
 *   the model's. Run the same deterministic workload twice (a `ManualClock`, fresh tables and
 *   engine) — first `live`, then `recorded` — and the second run's latency is what the model
 *   says AWS would give. A request with no recorded answer gets a 599 and counts as a miss.
 */
export interface LatencyProxyOptions {
  /** DynamoDB Local, `http://127.0.0.1:<port>`. */
  readonly target: string;
  /** Median latency, ms. @default 4 */
  readonly p50Ms?: number;
  /** 99th percentile latency, ms (log-normal: sigma = ln(p99 / p50) / 2.326). @default 12 */
  readonly p99Ms?: number;
  /** Seed of the latency draws. @default 1 */
  readonly seed?: number;
  /** No draw exceeds this (a bound on every request's time in the proxy), ms. @default 10 × p99 */
  readonly maxMs?: number;
}

export type ProxyMode = 'live' | 'recorded';

export interface ProxyStats {
  /** Requests answered. */
  readonly requests: number;
  /** Requests with no recorded answer (`recorded` mode). */
  readonly misses: number;
  /** Requests DynamoDB Local did not answer (`live` mode). */
  readonly upstreamErrors: number;
}

export interface LatencyProxy {
  /** `http://127.0.0.1:<port>`: the endpoint to give the SDK client. */
  readonly endpoint: string;
  /** Switch between forwarding (and recording) and answering from the recording. */
  setMode(mode: ProxyMode): Promise<void>;
  /** Restart the latency draws from the seed (so two runs see the same latencies). */
  reseed(): Promise<void>;
  stats(): Promise<ProxyStats>;
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Headers that describe one connection, not the message: never copied across. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-connection', 'upgrade', 'te', 'trailer']);
/** A request or response larger than this is refused (DynamoDB's own limit is 16 MB). */
const MAX_BODY_BYTES = 32 * 2 ** 20;
const UPSTREAM_TIMEOUT_MS = 30_000;
/** Answers kept for `recorded` mode at most; past it, requests are forwarded but not recorded. */
const MAX_RECORDED = 1_000_000;

const Z99 = 2.326;

export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  const target = new URL(options.target);
  if (target.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) {
    throw new Error(`latency proxy: target must be http on 127.0.0.1, not ${options.target}`);
  }
  let draw = latencyDraws(options);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const recording = new Map<string, Answer[]>();
  let recorded = 0;
  const stats = { requests: 0, misses: 0, upstreamErrors: 0 };
  const proxy = { mode: 'live' as ProxyMode };

  const server = createServer((req, res) => {
    const arrival = performance.now();
    const latency = draw();
    const chunks: Buffer[] = [];
    let size = 0;
    // A client that goes away mid-request (aborts, resets) ends that request, not the proxy.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const key = createHash('sha256')
        .update(`${req.method} ${req.url} ${req.headers['x-amz-target'] ?? ''}\n`)
        .update(body)
        .digest('base64');
      const answer =
        proxy.mode === 'recorded'
          ? Promise.resolve(recording.get(key)?.shift())
          : forward(agent, target, req.method ?? 'POST', req.url ?? '/', req.headers, body).then(
              (a) => {
                if (recorded < MAX_RECORDED) {
                  recorded++;
                  const list = recording.get(key);
                  if (list) list.push(a);
                  else recording.set(key, [a]);
                }
                return a;
              },
              (error: Error) => {
                stats.upstreamErrors++;
                return { status: 502, headers: { 'content-type': 'text/plain' }, body: Buffer.from(`latency proxy: upstream failed: ${error.message}`) };
              },
            );
      const due = new Promise((resolve) => setTimeout(resolve, Math.max(0, arrival + latency - performance.now())));
      void Promise.all([answer, due]).then(([a]) => {
        stats.requests++;
        if (a === undefined) {
          stats.misses++;
          res.writeHead(599, { 'content-type': 'text/plain' }).end('latency proxy: no recorded answer for this request');
          return;
        }
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(a.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
        headers['content-length'] = String(a.body.length);
        res.writeHead(a.status, headers).end(a.body);
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    setMode: async (mode) => {
      proxy.mode = mode;
    },
    reseed: async () => {
      draw = latencyDraws(options);
    },
    stats: async () => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The proxy's latencies, ms: seeded log-normal draws with the given median and 99th percentile
 * (sigma = ln(p99 / p50) / 2.326), none above `maxMs`. Throws on a nonsensical distribution.
 */
export function latencyDraws(options: Omit<LatencyProxyOptions, 'target'>): () => number {
  const p50 = options.p50Ms ?? 4;
  const p99 = options.p99Ms ?? 12;
  if (!(p50 > 0 && p99 >= p50)) throw new Error(`latency proxy: need 0 < p50 ≤ p99, got p50 ${p50}, p99 ${p99}`);
  const sigma = Math.log(p99 / p50) / Z99;
  const maxMs = options.maxMs ?? 10 * p99;
  const normal = normals(options.seed ?? 1);
  return () => Math.min(maxMs, p50 * Math.exp(sigma * normal()));
}

/**
 * Seeded standard normal draws (mulberry32, Box-Muller). Self-contained: this file also runs as
 * a worker's entry, loaded with no TypeScript resolver, so it imports nothing of the project.
 */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = 1 - uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/** One request upstream, its whole answer read; bounded in time and size. */
function forward(agent: Agent, target: URL, method: string, path: string, incoming: IncomingHttpHeaders, body: Buffer): Promise<Answer> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const up = request({ agent, host: target.hostname, port: target.port, method, path, headers, timeout: UPSTREAM_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) res.destroy(new Error('answer too large'));
        else chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    up.on('timeout', () => up.destroy(new Error(`no answer within ${UPSTREAM_TIMEOUT_MS} ms`)));
    up.on('error', reject);
    up.end(body);
  });
}

/**
 * The same proxy in a worker thread of its own, so its work (HTTP parsing, timers) does not
 * share an event loop — or, with a spare core, a CPU — with the client being measured.
 */
export async function startLatencyProxyThread(options: LatencyProxyOptions): Promise<LatencyProxy> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { latencyProxy: options } });
  let next = 0;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('message', (m: { id: number; value?: unknown; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error !== undefined) w?.reject(new Error(m.error));
    else w?.resolve(m.value);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`latency proxy thread exited (code ${code})`)));
  const call = <T>(op: string, arg?: unknown): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = next++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, op, arg });
    });
  };
  let endpoint: string;
  try {
    endpoint = await call<string>('endpoint');
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return {
    endpoint,
    setMode: (mode) => call('setMode', mode),
    reseed: () => call('reseed'),
    stats: () => call('stats'),
    close: async () => {
      await call('close');
      await worker.terminate();
    },
  };
}

// Inside the worker of `startLatencyProxyThread`.
if (!isMainThread && parentPort && (workerData as { latencyProxy?: unknown } | undefined)?.latencyProxy) {
  const port = parentPort;
  const started = startLatencyProxy((workerData as { latencyProxy: LatencyProxyOptions }).latencyProxy);
  port.on('message', async (m: { id: number; op: string; arg?: unknown }) => {
    try {
      const proxy = await started;
      const ops: Record<string, () => Promise<unknown>> = {
        endpoint: async () => proxy.endpoint,
        setMode: () => proxy.setMode(m.arg as ProxyMode),
        reseed: () => proxy.reseed(),
        stats: () => proxy.stats(),
        close: () => proxy.close(),
      };
      const op = ops[m.op];
      if (!op) throw new Error(`unknown operation ${m.op}`);
      port.postMessage({ id: m.id, value: await op() });
    } catch (error) {
      port.postMessage({ id: m.id, error: (error as Error).message });
    }
  });
}
