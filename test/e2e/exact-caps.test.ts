import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import { createTenant } from '../../lambdas/service/tenant-admin';
import { T0, testGeo } from '../support/engine';
import { quiet } from '../support/joint-defense';

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/** One UK mobile number, ten ways. */
const SPELLINGS: readonly { phone: string; country?: string }[] = [
  { phone: '+44 7400 123456' },
  { phone: '+447400123456' },
  { phone: '07400 123456', country: 'GB' },
  { phone: '07400123456', country: 'gb' },
  { phone: '0044 7400 123456' },
  { phone: '447400123456' },
  { phone: '+44 (0) 7400 123456' },
  { phone: '+44-7400-123-456' },
  { phone: '+44.7400.123.456' },
  { phone: '(07400) 123-456', country: 'GB' },
];
const TOTAL = 500;
const CONCURRENCY = 50;
const CAP = 5;

const clock = new ManualClock(T0);
let server: LocalServer;
let dir: string;
let key: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-caps-'));
  server = await startLocalServer({ port: 0, dataDir: dir, logger: quiet, clock, geo: testGeo, jointDefenseEveryMs: 0 });
  const loose = { minute: 100_000, hour: 100_000, day: 100_000 };
  ({ apiKey: key } = await createTenant(
    server.tenantStore,
    {
      id: 'caps',
      policy: {
        // Only the per-number cap may refuse: every other limit is far above the flood.
        numberLimits: { minute: CAP, hour: CAP, day: CAP },
        globalNumberLimits: loose,
        sourceLimits: { ip: loose, subnet: loose, device: loose },
        distinctLimits: { ipNumbers: loose, ipCountries: loose, numberNetworks: loose },
        conversion: { maxUnverifiedPerNumber: 1000, rangeMinSends: 100_000, countryMinSends: 100_000 },
        // The retry backoff paces one number on purpose; here the cap alone is under test.
        rules: { 'number-backoff': { enabled: false } },
      },
    },
    T0,
  ));
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function send(i: number): Promise<number> {
  const res = await fetch(`${server.url}/v1/sms/send`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      ...SPELLINGS[i % SPELLINGS.length],
      scenario: 'login',
      ip: '81.2.69.142',
      userAgent: BROWSER,
      message: `Your code is ${100000 + i}`,
    }),
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('exact caps under concurrency', () => {
  it(`${TOTAL} concurrent sends to one number (10 spellings), cap ${CAP}: exactly ${CAP} SMS, ${TOTAL - CAP} refusals`, async () => {
    const started = Date.now();
    const statuses: number[] = [];
    let next = 0;
    // CONCURRENCY workers, each taking the next request: a bounded number in flight.
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < TOTAL) statuses.push(await send(next++));
      }),
    );
    const elapsed = Date.now() - started;
    const counts: Record<number, number> = {};
    for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
    expect(statuses).toHaveLength(TOTAL);
    expect(counts).toEqual({ 200: CAP, 429: TOTAL - CAP });
    expect(server.outbox.list('caps')).toHaveLength(CAP);
    expect(elapsed).toBeLessThan(30_000);
  }, 40_000);
});

describe('idempotent retries over HTTP', () => {
  const post = (body: Record<string, unknown>) =>
    fetch(`${server.url}/v1/sms/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, any> }));
  const body = {
    phone: '+44 7400 654321',
    scenario: 'login',
    ip: '81.2.69.142',
    userAgent: BROWSER,
    message: 'Your code is 424242',
    idempotencyKey: 'retry-1',
  };

  it('50 concurrent copies of one keyed request send one SMS; each gets the first response or 409', async () => {
    const before = server.outbox.list('caps').length;
    const results = await Promise.all(Array.from({ length: 50 }, () => post(body)));
    const ok = results.filter((r) => r.status === 200);
    const inFlight = results.filter((r) => r.status === 409);
    expect(ok.length + inFlight.length).toBe(50);
    expect(new Set(ok.map((r) => r.body.messageId)).size).toBe(1);
    for (const r of inFlight) expect(r.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    const retry = await post(body);
    expect(retry).toEqual(ok[0]);
    expect(server.outbox.list('caps').length - before).toBe(1);
  });

  it('refuses the key with another body (422), and the same body under another key is judged anew', async () => {
    const reused = await post({ ...body, message: 'Your code is 000000' });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const fresh = await post({ ...body, idempotencyKey: 'retry-2' });
    expect(fresh.status).toBe(200);
  });
});
