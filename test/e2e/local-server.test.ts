import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import type { ServiceLogger } from '../../lambdas/service/shield-service';
import { T0 } from '../support/engine';

const logs: string[] = [];
const logger: ServiceLogger = {
  info: (m, ...e) => void logs.push(JSON.stringify([m, ...e])),
  warn: (m, ...e) => void logs.push(JSON.stringify([m, ...e])),
  error: (m, ...e) => void logs.push(JSON.stringify([m, ...e])),
};

let server: LocalServer;
let dir: string;
let key: string;
const clock = new ManualClock(T0);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-e2e-'));
  server = await startLocalServer({ port: 0, dataDir: dir, logger, clock });
  key = server.demoApiKey ?? '';
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const send = (over: Record<string, unknown> = {}) =>
  post('/v1/sms/send', {
    phone: '+44 7400 123456',
    scenario: 'login',
    ip: '81.2.69.142',
    userAgent: browser,
    device: 'e2e-device',
    message: 'Your code is 123456',
    ...over,
  });

describe('local server, end to end', () => {
  it('answers the health check without a key', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('sends to a valid mobile number, lands it in the outbox, then rate-limits the 6th send in an hour whatever the spelling', async () => {
    const spellings = ['+44 7400 123456', '447400123456', '07400 123456', '0044 7400 123456', '+44 (0)7400-123-456', '+44.7400.123.456'];
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof send>> | undefined;
    for (const phone of spellings) {
      last = await send({ phone, country: 'GB', scenario: 'register' });
      statuses.push(last.status);
      // A real user types the code in; the tenant reports it.
      if (last.status === 200) expect((await post('/v1/events/verification', { phone, country: 'GB', success: true })).status).toBe(202);
      clock.advance(61_000);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last?.body).toMatchObject({ decision: 'block', sent: false, verdict: { reasons: ['NUMBER_VELOCITY'] } });
    expect(last?.body.verdict.retryAfterSeconds).toBeGreaterThan(0);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);

    const outbox = (await readFile(join(dir, 'outbox.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(outbox).toHaveLength(5);
    expect(outbox[0]).toMatchObject({ tenant: 'demo', to: '+44 74** ***456', body: 'Your code is 123456' });
    expect(JSON.stringify(outbox)).not.toContain('7400123456');
  });

  it('answers 200 with messageId and verdict for an allowed send', async () => {
    const res = await send({ phone: '+44 7400 654321' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ decision: 'allow', sent: true, verdict: { decision: 'allow', reasons: [] } });
    expect(typeof res.body.messageId).toBe('string');
  });

  it('blocks a premium-rate number with 403 and its reason', async () => {
    const res = await send({ phone: '+44 909 879 0000' });
    expect(res.status).toBe(403);
    expect(res.body.verdict).toMatchObject({ decision: 'block' });
    expect(res.body.verdict.reasons[0]).toBe('PREMIUM_RATE_NUMBER');
  });

  it('blocks an invalid number with 403 INVALID_NUMBER', async () => {
    const res = await send({ phone: '+44 7700 900123' });
    expect(res.status).toBe(403);
    expect(res.body.verdict.reasons[0]).toBe('INVALID_NUMBER');
  });

  it('returns a verdict without sending on /v1/verdicts', async () => {
    const res = await post('/v1/verdicts', { phone: '+44 7400 111222', scenario: 'register', ip: '2a00:23c5::1', device: 'd2', userAgent: browser });
    expect(res.status).toBe(200);
    expect(res.body.verdict).toMatchObject({ decision: 'allow' });
  });

  it('sends a code the shield generated, checks it once, and burns it after too many wrong tries', async () => {
    const phone = '+44 7400 222333';
    const sent = await post('/v1/otp/send', {
      phone,
      scenario: 'login',
      ip: '81.2.69.142',
      device: 'otp-device',
      userAgent: browser,
      template: 'Shop code: {code}',
    });
    expect(sent.status).toBe(200);
    expect(JSON.stringify(sent.body)).not.toMatch(/Shop code/);
    const outbox = (await (await fetch(`${server.url}/v1/outbox`, { headers: { authorization: `Bearer ${key}` } })).json()) as { messages: { body: string }[] };
    const code = /Shop code: (\d{6})/.exec(outbox.messages.at(-1)?.body ?? '')?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await post('/v1/otp/verify', { phone, code: wrong })).body).toEqual({ verified: false, reason: 'WRONG_CODE', remainingAttempts: 4 });
    expect((await post('/v1/otp/verify', { phone: '07400 222333', country: 'GB', code })).body).toEqual({ verified: true });
    expect((await post('/v1/otp/verify', { phone, code })).body).toEqual({ verified: false, reason: 'NO_PENDING_CODE' });

    clock.advance(61_000);
    const again = await post('/v1/otp/send', { phone, scenario: 'login', ip: '81.2.69.142', device: 'otp-device', userAgent: browser });
    expect(again.status).toBe(200);
    const results = [];
    for (let i = 0; i < 6; i++) results.push((await post('/v1/otp/verify', { phone, code: i % 2 ? '999999' : '888888' })).body.reason);
    expect(results).toEqual(['WRONG_CODE', 'WRONG_CODE', 'WRONG_CODE', 'WRONG_CODE', 'TOO_MANY_ATTEMPTS', 'TOO_MANY_ATTEMPTS']);
  });

  it('refuses a missing or wrong key with 401', async () => {
    expect((await post('/v1/sms/send', {}, { authorization: 'Bearer ssk_wrong_key_123' })).status).toBe(401);
    const res = await fetch(`${server.url}/v1/sms/send`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers malformed JSON with 400', async () => {
    const res = await post('/v1/sms/send', '{"phone": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  it('names every invalid field in a 400', async () => {
    const res = await post('/v1/sms/send', { phone: 44, scenario: 'signup', ip: '999.1.1.1', message: '', extra: true });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.details.fields).sort()).toEqual(['extra', 'ip', 'message', 'phone', 'scenario']);
  });

  it('refuses an oversized body with 413 without reading all of it', async () => {
    const res = await post('/v1/sms/send', JSON.stringify({ message: 'x'.repeat(200_000) }));
    expect(res.status).toBe(413);
  });

  it('answers unknown routes with 404 JSON', async () => {
    const res = await fetch(`${server.url}/v1/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('shows a tenant its own outbox only', async () => {
    const res = await fetch(`${server.url}/v1/outbox`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { messages: { tenant: string }[] };
    expect(res.status).toBe(200);
    expect(body.messages.length).toBeGreaterThan(0);
    expect(body.messages.every((m) => m.tenant === 'demo')).toBe(true);
  });

  it('never wrote a plain phone number to the logs', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toMatch(/7400\s?123\s?456|9098790000/);
  });
});

describe('local server stores', () => {
  it('refuses an unknown store and persisting the memory store, with the reason', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sms-shield-stores-'));
    try {
      await expect(startLocalServer({ port: 0, dataDir, logger, store: 'redis' as never })).rejects.toThrow(/store must be one of dynalite, memory/);
      await expect(startLocalServer({ port: 0, dataDir, logger, store: 'memory', persist: true })).rejects.toThrow(/persist needs the dynalite store/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('runs the same API on the memory store: send, outbox, rate limit', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sms-shield-stores-'));
    const server = await startLocalServer({ port: 0, dataDir, logger, store: 'memory', jointDefenseEveryMs: 0, print: () => undefined });
    try {
      const send = () =>
        fetch(`${server.url}/v1/sms/send`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.demoApiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ phone: '+44 7400 123456', scenario: 'login', ip: '81.2.69.142', message: 'Your code is 123456' }),
        });
      expect((await send()).status).toBe(200);
      expect(server.outbox.list('demo')).toHaveLength(1);
      expect((await send()).status).toBe(429);
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
