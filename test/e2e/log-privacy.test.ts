import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import type { ServiceLogger } from '../../lambdas/service/shield-service';
import { createTenant } from '../../lambdas/service/tenant-admin';
import { T0, testGeo } from '../support/engine';

/** Everything the service logs, as the logger received it (message and every extra object). */
const captured: string[] = [];
const capture =
  (level: string) =>
  (message: string, ...extra: Record<string, unknown>[]) =>
    void captured.push(JSON.stringify([level, message, ...extra], (_k, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message} ${v.stack}` : v)));
const logger: ServiceLogger = { info: capture('info'), warn: capture('warn'), error: capture('error') };

/** The numbers the run uses: E.164 and the digits a leak could show them as. */
const NUMBERS = [
  { e164: '+447400123456', national: '07400123456', spellings: ['+44 7400 123456', '07400 123456', '0044 7400 123456', '44-7400-123-456'] },
  { e164: '+447911123789', national: '07911123789', spellings: ['+44 7911 123789', '(07911) 123 789'] },
  { e164: '+12025550143', national: '2025550143', spellings: ['+1 (202) 555-0143', '1.202.555.0143'] },
  { e164: '+449098790000', national: '09098790000', spellings: ['+44 909 879 0000'] },
];

/** Why `text` leaks, or undefined: any plain number (with or without separators) or any key. */
function leaks(text: string, secrets: readonly string[]): string | undefined {
  const squeezed = text.replace(/[\s().-]/g, '');
  for (const n of NUMBERS) {
    const nsn = n.e164.startsWith('+1') ? n.e164.slice(2) : n.e164.slice(3);
    for (const form of [n.e164, n.e164.slice(1), n.national, nsn]) if (squeezed.includes(form)) return `number ${form}`;
  }
  for (const secret of secrets) if (secret && text.includes(secret)) return `API key ${secret.slice(0, 6)}…`;
  if (/ssk_[A-Za-z0-9_-]{8,}/.test(text)) return 'something shaped like an API key';
  return undefined;
}

const clock = new ManualClock(T0);
let server: LocalServer;
let dir: string;
const keys: string[] = [];
const printed: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-privacy-'));
  server = await startLocalServer({ port: 0, dataDir: dir, logger, clock, geo: testGeo, jointDefenseEveryMs: 0, print: (line) => void printed.push(line) });
  keys.push(server.demoApiKey ?? '', server.adminApiKey);
  const other = await createTenant(server.tenantStore, { id: 'other' }, T0);
  keys.push(other.apiKey);
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, key: string | undefined, body?: unknown, raw?: string) {
  const res = await fetch(server.url + path, {
    method,
    headers: { ...(key !== undefined && { authorization: `Bearer ${key}` }), 'content-type': 'application/json' },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    signal: AbortSignal.timeout(5_000),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, any> };
}

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('log privacy', () => {
  it('the scanner itself finds a plain number, a spaced one and a key', () => {
    expect(leaks('{"phone":"+447400123456"}', [])).toBeDefined();
    expect(leaks('to 07400 123 456', [])).toBeDefined();
    expect(leaks('{"phone":"+44 74** ***456"}', [])).toBeUndefined();
    expect(leaks('Bearer ssk_abcdefghijkl', [])).toBeDefined();
  });

  it('an end-to-end run logs no plain phone number and no API key', async () => {
    const [tenantKey, adminKey, otherKey] = keys as [string, string, string];
    let i = 0;
    for (const n of NUMBERS) {
      for (const phone of n.spellings) {
        const base = { phone, country: n.e164.startsWith('+1') ? 'US' : 'GB', scenario: 'login', ip: `81.2.69.${++i}`, userAgent: BROWSER, device: `dev-${i}` };
        await call('POST', '/v1/sms/send', tenantKey, { ...base, message: `Your code is 12345${i % 10}`, idempotencyKey: `k-${i}` });
        await call('POST', '/v1/sms/send', tenantKey, { ...base, message: `Your code is 12345${i % 10}`, idempotencyKey: `k-${i}` });
        await call('POST', '/v1/verdicts', otherKey, { ...base, scenario: 'register' });
        await call('POST', '/v1/otp/send', tenantKey, { ...base, scenario: 'reset_password', template: 'Code {code}' });
        await call('POST', '/v1/otp/verify', tenantKey, { phone, country: base.country, code: '000000' });
        await call('POST', '/v1/events/verification', tenantKey, { phone, country: base.country, success: i % 2 === 0 });
        // Invalid requests echo nothing: a bad field next to the number, a wrong key, broken JSON.
        await call('POST', '/v1/sms/send', tenantKey, { ...base, ip: 'not-an-ip', message: phone });
        await call('POST', '/v1/sms/send', `${tenantKey}x`, { ...base, message: 'hi' });
        await call('POST', '/v1/sms/send', tenantKey, undefined, `{"phone":"${phone}",`);
        await call('POST', '/demo/send', undefined, { phone, country: base.country });
        clock.advance(61_000);
      }
      await call('POST', '/v1/lists', tenantKey, { kind: 'number', value: n.e164, action: 'block', reason: 'test' });
      await call('GET', '/v1/lists', tenantKey);
      await call('POST', '/v1/admin/lists', adminKey, { scope: 'global', kind: 'number', value: n.spellings[0], action: 'allow' });
      await call('DELETE', `/v1/lists?kind=number&value=${encodeURIComponent(n.e164)}`, tenantKey);
      await call('POST', '/v1/sms/send', adminKey, { phone: n.e164, scenario: 'login', ip: '81.2.69.142', message: 'x' });
    }
    await call('POST', '/v1/admin/tenants/other/keys', tenantKey, {});
    await call('POST', '/v1/admin/tenants/other/keys', adminKey, {});
    await call('GET', '/v1/outbox', tenantKey);
    await server.runJointDefense();

    // The run did exercise sends, refusals and errors.
    expect(server.outbox.list('demo').length).toBeGreaterThan(0);
    expect(captured.filter((line) => line.includes('"verdict"')).length).toBeGreaterThan(20);
    // The local outbox file is a log too: it must hold masked numbers only.
    const outboxFile = await readFile(join(dir, 'outbox.jsonl'), 'utf8');
    const all = [...captured, ...printed, ...outboxFile.split('\n')];
    const found = all.map((line) => [leaks(line, keys), line] as const).filter(([why]) => why);
    expect(found.map(([why, line]) => `${why}: ${line.slice(0, 200)}`)).toEqual([]);
  }, 30_000);
});
