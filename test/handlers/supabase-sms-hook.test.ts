import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PolicyOverrides } from '../../lambdas/domain/policy';
import { scenarioOf, sendSmsHookSchema, verifySignature } from '../../lambdas/handlers/supabase-sms-hook';
import { ManualClock } from '../../lambdas/ports/clock';
import type { OutgoingSms, SmsSender } from '../../lambdas/ports/sms-sender';
import type { ServiceLogger, VerdictRecord } from '../../lambdas/service/shield-service';
import { issueAdminKey } from '../../lambdas/service/tenant-admin';
import { apiEvent } from '../support/api-event';
import { hasher, T0 } from '../support/engine';
import { memoryShield } from '../support/shield';

/*
 * The Supabase Send SMS hook route (`POST /v1/hooks/supabase/{tenantId}/send-sms`) on the API
 * handler, in-memory stores: deliveries signed with the Standard Webhooks reference library as
 * Supabase Auth signs them (and the specification's own test vector), the hook input as Supabase
 * documents it, the answers Supabase reads (a 200, with `error` on refusal), and the admin routes
 * that set, rotate and clear the tenant's hook secret.
 */

const newSecret = () => `v1,whsec_${randomBytes(32).toString('base64')}`;
const SECRET = newSecret();
const PHONE = '+447400123456';
const NATIONAL = '7400123456';
const PATH = '/v1/hooks/supabase/app/send-sms';
const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const nowSeconds = () => Math.floor(Date.now() / 1000);

interface Signing {
  readonly secrets?: readonly string[];
  readonly id?: string;
  readonly at?: number;
}

/** Signed like Supabase Auth: a fresh webhook-id per attempt, the Unix time, one "v1,<base64>" per secret joined with ", ". */
function signedHeaders(body: string, o: Signing = {}): Record<string, string> {
  const id = o.id ?? `msg_${randomBytes(8).toString('hex')}`;
  const at = o.at ?? nowSeconds();
  const signatures = (o.secrets ?? [SECRET]).map((secret) => new Webhook(secret.replace(/^v1,/, '')).sign(id, new Date(at * 1000), body));
  return { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': signatures.join(', ') };
}

/** The hook input as the Supabase docs show it. */
function input(otp: string, over: { phone?: string; confirmed?: boolean; smsPhone?: string } = {}) {
  return JSON.stringify({
    user: {
      id: '6481a5c1-3d37-4a56-9f6a-bee08c554965',
      aud: 'authenticated',
      role: 'authenticated',
      email: '',
      phone: over.phone ?? PHONE.slice(1),
      ...(over.confirmed !== false && { phone_confirmed_at: '2024-05-13T11:52:48.157306Z', confirmed_at: '2024-05-13T11:52:48.157306Z' }),
      app_metadata: { provider: 'phone', providers: ['phone'] },
      user_metadata: {},
      identities: [],
      created_at: '2024-05-13T11:52:48.157306Z',
      updated_at: '2024-05-14T12:31:52.824573Z',
      is_anonymous: false,
    },
    sms: { otp, ...(over.smsPhone && { phone: over.smsPhone }) },
  });
}

class FakeSender implements SmsSender {
  readonly sent: OutgoingSms[] = [];
  async send(sms: OutgoingSms) {
    this.sent.push(sms);
    return { messageId: `m-${this.sent.length}` };
  }
}

class RecordingLogger implements ServiceLogger {
  readonly lines: string[] = [];
  info = (message: string, ...extra: Record<string, unknown>[]) => void this.lines.push(JSON.stringify({ message, extra }));
  warn = (message: string, ...extra: Record<string, unknown>[]) => void this.lines.push(JSON.stringify({ message, extra }));
  error = (message: string, ...extra: Record<string, unknown>[]) => void this.lines.push(JSON.stringify({ message, extra }));
}

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly body: any;
}

async function setup(opts: { policy?: PolicyOverrides; secret?: string | false; replaysDown?: () => boolean } = {}) {
  const clock = new ManualClock(T0);
  const sender = new FakeSender();
  const logger = new RecordingLogger();
  const verdicts: VerdictRecord[] = [];
  const { app, stores } = memoryShield(clock, (s) => ({
    sender,
    logger,
    idempotency: s.idempotency,
    onVerdict: (r) => verdicts.push(r),
    replays: {
      claim: (id, expiresAt, now) => (opts.replaysDown?.() ? Promise.reject(new Error('throttled')) : s.replays.claim(id, expiresAt, now)),
    },
  }));
  await stores.tenants.putTenant({ id: 'app', name: 'App', createdAt: 0, policy: opts.policy ?? {} });
  await stores.tenants.putTenant({ id: 'other', name: 'Other', createdAt: 0, policy: {} });
  const adminKey = await issueAdminKey(stores.tenants, T0);
  const texts: string[] = [];
  const call = async (method: string, path: string, body?: string, headers: Record<string, string> = {}, key?: string): Promise<Answer> => {
    const base = apiEvent(method, path, { key });
    const result = (await app.handler({ ...base, headers: { ...base.headers, ...headers }, body }, context)) as APIGatewayProxyStructuredResultV2;
    const text = result.body ?? '';
    texts.push(text);
    return { status: result.statusCode ?? 200, text, body: text ? JSON.parse(text) : undefined };
  };
  const admin = (method: string, path: string, body?: unknown) => call(method, path, body === undefined ? undefined : JSON.stringify(body), {}, adminKey);
  /** A delivery of `body` to `path`, signed (or with the headers given). */
  const hook = (body: string, signing: Signing = {}, path = PATH, headers = signedHeaders(body, signing)) => call('POST', path, body, headers);
  if (opts.secret !== false) expect((await admin('PUT', '/v1/admin/tenants/app/hooks/supabase', { secret: opts.secret ?? SECRET })).status).toBe(200);
  return { hook, admin, sender, logger, verdicts, stores, clock, texts };
}

/** Neither the number, nor a code, nor any part of a secret in what the shield logged or answered. */
function expectNothingSecretIn(lines: readonly string[], codes: readonly string[], secrets: readonly string[] = [SECRET]) {
  const text = lines.join('\n');
  expect(text).not.toContain(NATIONAL);
  for (const code of codes) expect(text).not.toContain(code);
  for (const secret of secrets) expect(text).not.toContain(secret.slice(9, 30));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('verifySignature (the Standard Webhooks reference library)', () => {
  const vector = {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    headers: {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    },
    body: '{"test": 2432232314}',
  };

  it("accepts the specification's test vector within 5 minutes of its timestamp, with or without v1, on the secret", () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1614265330_000);
    expect(verifySignature([vector.secret], vector.headers, vector.body)).toBe(true);
    vi.setSystemTime((1614265330 + 299) * 1000);
    expect(verifySignature([`v1,${vector.secret}`], vector.headers, vector.body)).toBe(true);
    vi.setSystemTime((1614265330 + 301) * 1000);
    expect(verifySignature([vector.secret], vector.headers, vector.body)).toBe(false);
    vi.setSystemTime((1614265330 - 301) * 1000);
    expect(verifySignature([vector.secret], vector.headers, vector.body)).toBe(false);
  });

  it('refuses another body, id, timestamp or secret, missing headers, another version, and no secret at all', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1614265330_000);
    const ok = (over: Partial<Record<string, string | undefined>>, body = vector.body, secrets = [vector.secret]) =>
      verifySignature(secrets, { ...vector.headers, ...over }, body);
    expect(ok({})).toBe(true);
    expect(ok({}, '{"test": 2432232315}')).toBe(false);
    expect(ok({ 'webhook-id': 'msg_other' })).toBe(false);
    expect(ok({ 'webhook-timestamp': '1614265331' })).toBe(false);
    expect(ok({}, vector.body, [SECRET])).toBe(false);
    expect(ok({}, vector.body, [])).toBe(false);
    expect(ok({ 'webhook-signature': undefined })).toBe(false);
    expect(ok({ 'webhook-timestamp': 'soon' })).toBe(false);
    expect(ok({ 'webhook-signature': 'v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' })).toBe(false);
  });

  it('finds the valid one among several signatures, as Supabase joins them (", "), and among several secrets', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1614265330_000);
    const headers = { ...vector.headers, 'webhook-signature': `v1,${randomBytes(32).toString('base64')}, ${vector.headers['webhook-signature']}` };
    expect(verifySignature([vector.secret], headers, vector.body)).toBe(true);
    expect(verifySignature([SECRET, vector.secret], vector.headers, vector.body)).toBe(true);
  });
});

describe('scenarioOf', () => {
  const parsed = (body: string) => sendSmsHookSchema.parse(JSON.parse(body));
  it('is register for a number never confirmed, other for a code to a new number, login otherwise', () => {
    expect(scenarioOf(parsed(input('1', { confirmed: false })))).toBe('register');
    expect(scenarioOf(parsed(input('1', { smsPhone: '+447500123456' })))).toBe('other');
    expect(scenarioOf(parsed(input('1', { smsPhone: '447400123456' })))).toBe('login');
    expect(scenarioOf(parsed(input('1')))).toBe('login');
  });
});

describe('POST /v1/hooks/supabase/{tenantId}/send-sms', () => {
  it('sends the code once on allow and answers 200 {}', async () => {
    const t = await setup();
    const response = await t.hook(input('561166', { confirmed: false }));
    expect(response).toMatchObject({ status: 200, body: {} });
    expect(t.sender.sent).toEqual([expect.objectContaining({ tenant: 'app', e164: PHONE, body: 'Your verification code is 561166' })]);
    expect(t.verdicts).toEqual([expect.objectContaining({ scenario: 'register', sent: true })]);
    expectNothingSecretIn(t.logger.lines, ['561166']);
  });

  it('sends to sms.phone when Supabase names it (a phone change), with the tenant’s code template', async () => {
    const t = await setup();
    await t.admin('PUT', '/v1/admin/tenants/app/hooks/supabase', { secret: SECRET, codeTemplate: 'App code: {code}' });
    await t.hook(input('561166', { smsPhone: '+447500123456' }));
    expect(t.sender.sent.map((sms) => [sms.e164, sms.body])).toEqual([['+447500123456', 'App code: 561166']]);
    expect(t.verdicts[0]!.scenario).toBe('other');
  });

  it('sends once when Supabase retries the same input with a new signature', async () => {
    const t = await setup();
    const body = input('561166');
    expect((await t.hook(body)).body).toEqual({});
    t.clock.advance(2_000);
    const again = await t.hook(body, { at: nowSeconds() + 2 });
    expect(again).toMatchObject({ status: 200, body: {} });
    expect(t.sender.sent).toHaveLength(1);
  });

  it('refuses a replayed delivery (a webhook-id seen before) with the 401 of a bad signature, and sends once', async () => {
    const t = await setup();
    const body = input('561166');
    const headers = signedHeaders(body);
    expect((await t.hook(body, {}, PATH, headers)).status).toBe(200);
    const replayed = await t.hook(body, {}, PATH, headers);
    const wrong = await t.hook(body, { secrets: [newSecret()] });
    expect(replayed).toEqual(wrong);
    expect(replayed).toMatchObject({ status: 401, body: { error: { http_code: 401, message: 'Invalid signature' } } });
    // The same id for another tenant is that tenant's own first delivery.
    await t.admin('PUT', '/v1/admin/tenants/other/hooks/supabase', { secret: SECRET });
    expect((await t.hook(body, {}, '/v1/hooks/supabase/other/send-sms', headers)).status).toBe(200);
    expect(t.sender.sent.map((sms) => sms.tenant)).toEqual(['app', 'other']);
    expect(t.logger.lines.join('\n')).toContain('a replayed delivery');
  });

  it('answers 401 to a wrong, stale or missing signature and judges nothing', async () => {
    const t = await setup();
    const body = input('561166');
    const answers = [
      await t.hook(body, { secrets: [newSecret()] }),
      await t.hook(body, { at: nowSeconds() - 301 }),
      await t.hook(body, { at: nowSeconds() + 301 }),
      await t.hook(body, {}, PATH, { 'content-type': 'application/json' }),
      await t.hook(body, {}, PATH, { ...signedHeaders(body), 'webhook-signature': '' }),
      await t.hook(body.replace('561166', '000000'), {}, PATH, signedHeaders(body)),
    ];
    for (const answer of answers) expect(answer).toMatchObject({ status: 401, body: { error: { http_code: 401 } } });
    expect(t.verdicts).toHaveLength(0);
    expect(t.sender.sent).toHaveLength(0);
  });

  it('answers an unknown tenant, a tenant without a secret and a malformed tenant id exactly as a bad signature', async () => {
    const t = await setup();
    const body = input('561166');
    const bad = await t.hook(body, { secrets: [newSecret()] });
    expect(await t.hook(body, {}, '/v1/hooks/supabase/nobody/send-sms')).toEqual(bad);
    expect(await t.hook(body, {}, '/v1/hooks/supabase/other/send-sms')).toEqual(bad);
    expect(await t.hook(body, {}, '/v1/hooks/supabase/NOT%20A%20TENANT/send-sms')).toEqual(bad);
    expect(t.sender.sent).toHaveLength(0);
  });

  it('answers a refusal as a 200 whose error Supabase hands the client, and sends nothing', async () => {
    const t = await setup();
    await t.stores.lists.put({ scope: 't:app', kind: 'number', value: hasher(PHONE), action: 'block', createdAt: 0 });
    const response = await t.hook(input('561166'));
    expect(response).toEqual({
      status: 200,
      text: expect.any(String),
      body: { error: { http_code: 403, message: 'SHIELD_BLOCKED: A code cannot be sent to this phone number.' } },
    });
    expect(t.sender.sent).toHaveLength(0);
    expectNothingSecretIn(t.logger.lines, ['561166']);
  });

  it('answers 429 with the wait for a second code to the number within the minute', async () => {
    const t = await setup();
    await t.hook(input('111111'));
    const response = await t.hook(input('222222'));
    expect(response.body.error).toEqual({
      http_code: 429,
      message: expect.stringMatching(/^SHIELD_RATE_LIMITED: Too many codes were requested\. Try again later\. \(retry after \d+ s\)$/),
    });
  });

  it('asks for the CAPTCHA when the verdict is a challenge (Supabase passes no solution)', async () => {
    const t = await setup({ policy: { scenarios: { register: { challengeAt: 0 } } } });
    const response = await t.hook(input('561166', { confirmed: false }));
    expect(response.body.error).toMatchObject({ http_code: 403, message: expect.stringMatching(/^SHIELD_CHALLENGE: /) });
    expect(t.sender.sent).toHaveLength(0);
  });

  it('refuses with SHIELD_UNAVAILABLE, sending nothing, when the webhook-id cannot be recorded', async () => {
    let down = false;
    const t = await setup({ replaysDown: () => down });
    down = true;
    const response = await t.hook(input('561166'));
    expect(response).toMatchObject({ status: 200, body: { error: { http_code: 503, message: expect.stringMatching(/^SHIELD_UNAVAILABLE: /) } } });
    expect(t.sender.sent).toHaveLength(0);
  });

  it('refuses a signed body that is not a Send SMS hook input', async () => {
    const t = await setup();
    for (const body of ['{}', JSON.stringify({ user: { id: 'u' }, sms: {} }), JSON.stringify({ user: { id: 'u' }, sms: { otp: '1' } })]) {
      const response = await t.hook(body);
      expect(response).toMatchObject({ status: 200, body: { error: { http_code: 400, message: expect.stringMatching(/^SHIELD_INVALID_REQUEST/) } } });
    }
    expect((await t.hook('not json')).status).toBe(400);
    expect(t.sender.sent).toHaveLength(0);
  });
});

describe("the tenant's hook secret through the admin API", () => {
  it('is validated, shown only as configured, never in an answer or a log', async () => {
    const t = await setup({ secret: false });
    const set = (body: unknown) => t.admin('PUT', '/v1/admin/tenants/app/hooks/supabase', body);
    for (const secret of ['whsec_abc', 'v1,whsec_short', `v1,whsec_${'!'.repeat(44)}`, `v2,${SECRET.slice(3)}`, 42]) {
      expect((await set({ secret })).status).toBe(400);
    }
    expect((await set({ secret: SECRET, codeTemplate: 'no code here' })).status).toBe(400);
    expect((await set({ secret: SECRET, extra: true })).status).toBe(400);
    expect((await t.admin('PUT', '/v1/admin/tenants/nobody/hooks/supabase', { secret: SECRET })).status).toBe(404);
    expect((await t.admin('GET', '/v1/admin/tenants/app')).body.supabaseHook).toEqual({ configured: false, rotating: false });

    const answer = await set({ secret: SECRET });
    expect(answer).toMatchObject({ status: 200, body: { configured: true, rotating: false, updatedAt: expect.any(String) } });
    expect((await t.admin('GET', '/v1/admin/tenants/app')).body.supabaseHook).toMatchObject({ configured: true });
    expect((await t.hook(input('561166'))).body).toEqual({});
    expectNothingSecretIn([...t.texts, ...t.logger.lines], ['561166']);
  });

  it('rotates: keepPrevious accepts both secrets until the next set; a clear refuses every delivery', async () => {
    const t = await setup();
    const next = newSecret();
    const set = (body: unknown) => t.admin('PUT', '/v1/admin/tenants/app/hooks/supabase', body);
    expect((await set({ secret: next, keepPrevious: true })).body).toMatchObject({ configured: true, rotating: true });
    expect((await t.hook(input('111111', { phone: '447400000001' }))).body).toEqual({});
    expect((await t.hook(input('222222', { phone: '447400000002' }), { secrets: [next] })).body).toEqual({});

    expect((await set({ secret: next })).body).toMatchObject({ configured: true, rotating: false });
    expect((await t.hook(input('333333', { phone: '447400000003' }))).status).toBe(401);
    expect((await t.hook(input('444444', { phone: '447400000004' }), { secrets: [SECRET, next] })).body).toEqual({});

    expect((await t.admin('DELETE', '/v1/admin/tenants/app/hooks/supabase')).body).toEqual({ configured: false, rotating: false });
    expect((await t.hook(input('555555', { phone: '447400000005' }), { secrets: [next] })).status).toBe(401);
    expect((await t.admin('DELETE', '/v1/admin/tenants/nobody/hooks/supabase')).status).toBe(404);
    expect(t.sender.sent).toHaveLength(3);
    expectNothingSecretIn([...t.texts, ...t.logger.lines], [], [SECRET, next]);
  });
});
