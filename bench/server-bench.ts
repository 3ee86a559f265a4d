import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../lambdas/local/server';
import type { ServiceLogger } from '../lambdas/service/shield-service';

export interface ServerBenchResult {
  readonly requests: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

const quiet: ServiceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** `POST /v1/verdicts` against the local server (dynalite) on 127.0.0.1, bounded in count and time. */
export async function benchLocalServer(opts: { requests: number; concurrency: number; maxSeconds: number }): Promise<ServerBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'sms-shield-server-bench-'));
  const server = await startLocalServer({ port: 0, dataDir: dir, logger: quiet });
  const key = server.demoApiKey ?? '';
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const deadline = Date.now() + opts.maxSeconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (next < opts.requests && Date.now() < deadline) {
      const i = next++;
      const body = JSON.stringify({
        phone: `+44 7400 ${String(100_000 + i).slice(-6)}`,
        scenario: i % 5 === 0 ? 'register' : 'login',
        ip: `81.2.${(i >> 8) & 255}.${i & 255}`,
        device: `bench-device-${i % 1_000}`,
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      });
      const t = performance.now();
      try {
        const res = await fetch(`${server.url}/v1/verdicts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
        });
        await res.arrayBuffer();
        if (res.status !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await server.close();
  await rm(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, perSecond: latencies.length / elapsed, p50Ms: at(0.5), p99Ms: at(0.99), errors };
}
