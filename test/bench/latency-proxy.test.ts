import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LatencyProxy, latencyDraws, startLatencyProxy, startLatencyProxyThread } from '../../bench/latency-proxy';

/** What the upstream saw of one request, and when. */
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

/**
 * The upstream: echoes what it received as JSON, after `x-upstream-delay` ms, with a header of
 * its own; records every request.
 */
let upstream: Server;
let upstreamUrl: string;
const seen: Seen[] = [];
beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString(), at: performance.now() };
      seen.push(entry);
      setTimeout(
        () => {
          res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' }).end(JSON.stringify(entry));
        },
        Number(req.headers['x-upstream-delay'] ?? 0),
      );
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

async function withProxy(options: { p50Ms: number; p99Ms: number; maxMs?: number }, fn: (proxy: LatencyProxy) => Promise<void>): Promise<void> {
  const proxy = await startLatencyProxy({ target: upstreamUrl, ...options });
  try {
    await fn(proxy);
  } finally {
    await proxy.close();
  }
}

async function post(endpoint: string, body: string, headers: Record<string, string> = {}) {
  const start = performance.now();
  const res = await fetch(`${endpoint}/some/path?q=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.UpdateItem', ...headers },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, start, end: performance.now() };
}

describe('latency proxy in front of DynamoDB Local', () => {
  it('draws log-normal latencies with the given median and 99th percentile, capped, from a seed', () => {
    const draw = latencyDraws({ p50Ms: 4, p99Ms: 12, seed: 7 });
    const xs = Array.from({ length: 20_000 }, draw).sort((a, b) => a - b);
    expect(xs[10_000]).toBeGreaterThan(3.8);
    expect(xs[10_000]).toBeLessThan(4.2);
    expect(xs[19_800]).toBeGreaterThan(11);
    expect(xs[19_800]).toBeLessThan(13);
    expect(xs.at(-1)).toBeLessThanOrEqual(120);
    const five = (seed: number) => Array.from({ length: 5 }, latencyDraws({ p50Ms: 4, p99Ms: 12, seed }));
    expect(five(7)).toEqual(five(7));
    expect(five(7)).not.toEqual(five(8));
    expect(Array.from({ length: 100 }, latencyDraws({ p50Ms: 1e6, p99Ms: 1e6, maxMs: 30 })).every((x) => x === 30)).toBe(true);
  });

  it('forwards method, path, headers and body intact, and the answer back', async () => {
    await withProxy({ p50Ms: 1, p99Ms: 1 }, async (proxy) => {
      const body = JSON.stringify({ TableName: 't', Key: { pk: { S: 'é ü 🙂' } } });
      const res = await post(proxy.endpoint, body, { authorization: 'AWS4-HMAC-SHA256 Credential=x/y', 'x-amz-date': '20261203T100000Z' });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-upstream')).toBe('yes');
      const got = JSON.parse(res.text) as Seen;
      expect(got.method).toBe('POST');
      expect(got.url).toBe('/some/path?q=1');
      expect(got.body).toBe(body);
      expect(got.headers.authorization).toBe('AWS4-HMAC-SHA256 Credential=x/y');
      expect(got.headers['x-amz-date']).toBe('20261203T100000Z');
      expect(got.headers['x-amz-target']).toBe('DynamoDB_20120810.UpdateItem');
      // The Host the client signed is the one upstream sees.
      expect(got.headers.host).toBe(new URL(proxy.endpoint).host);
      expect(await proxy.stats()).toEqual({ requests: 1, misses: 0, upstreamErrors: 0 });
    });
  });

  it('answers no sooner than the drawn latency, and no sooner than upstream', async () => {
    // p50 = p99: every draw is exactly 40 ms.
    await withProxy({ p50Ms: 40, p99Ms: 40 }, async (proxy) => {
      const fast = await post(proxy.endpoint, '{}');
      expect(fast.end - fast.start).toBeGreaterThanOrEqual(39);
      const slowUpstream = await post(proxy.endpoint, '{}', { 'x-upstream-delay': '120' });
      expect(slowUpstream.end - slowUpstream.start).toBeGreaterThanOrEqual(119);
    });
    // The cap bounds every draw.
    await withProxy({ p50Ms: 5_000, p99Ms: 5_000, maxMs: 30 }, async (proxy) => {
      const capped = await post(proxy.endpoint, '{}');
      expect(capped.end - capped.start).toBeLessThan(4_000);
    });
  });

  it('handles concurrent requests in parallel: the second is upstream before the first is answered', async () => {
    await withProxy({ p50Ms: 50, p99Ms: 50 }, async (proxy) => {
      const before = seen.length;
      const [a, b] = await Promise.all([post(proxy.endpoint, '{"n":1}'), post(proxy.endpoint, '{"n":2}')]);
      const [upA, upB] = seen.slice(before);
      expect(upA && upB).toBeTruthy();
      // Both were forwarded before either answer came back: they overlapped, not queued.
      expect(Math.max(upA!.at, upB!.at)).toBeLessThan(Math.min(a.end, b.end));
      // And the two answers overlap in time too (each took ≥ 50 ms, both began before either ended).
      expect(Math.max(a.start, b.start)).toBeLessThan(Math.min(a.end, b.end));
    });
  });

  it('keeps serving after a client gives up mid-request', async () => {
    await withProxy({ p50Ms: 200, p99Ms: 200 }, async (proxy) => {
      await expect(fetch(`${proxy.endpoint}/`, { method: 'POST', body: '{"gone":true}', signal: AbortSignal.timeout(20) })).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await post(proxy.endpoint, '{"after":true}')).status).toBe(201);
    });
  });

  it('replays recorded answers without upstream, in order per request, and counts a miss', async () => {
    await withProxy({ p50Ms: 1, p99Ms: 1 }, async (proxy) => {
      const first = await post(proxy.endpoint, '{"same":true}');
      const second = await post(proxy.endpoint, '{"same":true}');
      await proxy.setMode('recorded');
      const before = seen.length;
      const replayedFirst = await post(proxy.endpoint, '{"same":true}');
      const replayedSecond = await post(proxy.endpoint, '{"same":true}');
      expect(seen.length).toBe(before);
      expect(replayedFirst.text).toBe(first.text);
      expect(replayedSecond.text).toBe(second.text);
      expect(replayedFirst.text).not.toBe(replayedSecond.text);
      const miss = await post(proxy.endpoint, '{"same":true}');
      expect(miss.status).toBe(599);
      expect((await proxy.stats()).misses).toBe(1);
    });
  });

  it('runs in a worker thread of its own, with the same behaviour', async () => {
    const proxy = await startLatencyProxyThread({ target: upstreamUrl, p50Ms: 1, p99Ms: 1 });
    try {
      const res = await post(proxy.endpoint, '{"thread":true}');
      expect(res.status).toBe(201);
      expect((JSON.parse(res.text) as Seen).body).toBe('{"thread":true}');
      await proxy.setMode('recorded');
      expect((await post(proxy.endpoint, '{"thread":true}')).text).toBe(res.text);
      expect(await proxy.stats()).toEqual({ requests: 2, misses: 0, upstreamErrors: 0 });
    } finally {
      await proxy.close();
    }
    await expect(startLatencyProxyThread({ target: 'http://example.com:8000' })).rejects.toThrow(/127\.0\.0\.1/);
  });

  it('refuses a target that is not http on 127.0.0.1', async () => {
    await expect(startLatencyProxy({ target: 'http://example.com:8000' })).rejects.toThrow(/127\.0\.0\.1/);
    await expect(startLatencyProxy({ target: upstreamUrl, p50Ms: 10, p99Ms: 5 })).rejects.toThrow(/p50/);
  });
});
