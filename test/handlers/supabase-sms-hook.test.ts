import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createSupabaseSmsHook,
  type HookRequest,
  hookRequestOf,
  hookSecrets,
  scenarioOf,
  sendSmsHookSchema,
  verifyWebhook,
  webhookKey,
} from '../../lambdas/handlers/supabase-sms-hook';
import type { PolicyOverrides } from '../../lambdas/domain/policy';
import { ManualClock } from '../../lambdas/ports/clock';
import type { OutgoingSms, SmsSender } from '../../lambdas/ports/sms-sender';
import type { ServiceLogger, VerdictRecord } from '../../lambdas/service/shield-service';
import { hasher, T0 } from '../support/engine';
import { memoryShield } from '../support/shield';

/*
 * The Supabase Send SMS hook on in-memory stores: Standard Webhooks signatures (the
 * specification's own test vector, and requests signed here as Supabase Auth signs them), the
 * hook input as Supabase documents it, and the answers Supabase reads (a 200, with `error` on refusal).
 */

const SECRET = `v1,whsec_${randomBytes(32).toString('base64')}`;
const PHONE = '+447400123456';
const NATIONAL = '7400123456';

/** Signed like Supabase Auth: a fresh webhook-id per attempt, the Unix time, "v1,<base64 HMAC-SHA256>". */
function signed(body: string, at = T0 / 1000, secret = SECRET, id = `msg_${randomBytes(8).toString('hex')}`): HookRequest {
  const key = Buffer.from(secret.replace(/^v1,whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${at}.${body}`).digest('base64');
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': `v1,${signature}` },
    body,
  };
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

async function setup(opts: { policy?: PolicyOverrides; secrets?: string[] | (() => Promise<readonly string[]>); tenant?: boolean } = {}) {
  const clock = new ManualClock(T0);
  const sender = new FakeSender();
  const logger = new RecordingLogger();
  const verdicts: VerdictRecord[] = [];
  const { app, stores } = memoryShield(clock, (s) => ({ sender, logger, idempotency: s.idempotency, onVerdict: (r) => verdicts.push(r) }));
  if (opts.tenant !== false) await stores.tenants.putTenant({ id: 'app', name: 'App', createdAt: 0, policy: opts.policy ?? {} });
  const given = opts.secrets;
  const secrets = typeof given === 'function' ? given : async () => given ?? [SECRET];
  const hook = createSupabaseSmsHook({ service: app.service, tenants: stores.tenants, tenantId: 'app', secrets, logger, clock });
  return { hook, sender, logger, verdicts, stores, clock };
}

const expectNoSecretsIn = (lines: string[], ...codes: string[]) => {
  const text = lines.join('\n');
  expect(text).not.toContain(NATIONAL);
  for (const code of codes) expect(text).not.toContain(code);
  expect(text).not.toContain(SECRET.slice(9, 30));
};

describe('verifyWebhook', () => {
  const vector = {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    headers: {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    },
    body: '{"test": 2432232314}',
  };

  it("accepts the Standard Webhooks specification's test vector, with or without the v1, prefix on the secret", () => {
    expect(verifyWebhook([vector.secret], vector.headers, vector.body, 1614265330)).toBe(true);
    expect(verifyWebhook([`v1,${vector.secret}`], vector.headers, vector.body, 1614265330 + 299)).toBe(true);
  });

  it('refuses another body, id, timestamp or secret, a stale or future timestamp, and missing headers', () => {
    const ok = (over: Partial<typeof vector.headers>, body = vector.body, now = 1614265330, secret = vector.secret) =>
      verifyWebhook([secret], { ...vector.headers, ...over }, body, now);
    expect(ok({}, '{"test": 2432232315}')).toBe(false);
    expect(ok({ 'webhook-id': 'msg_other' })).toBe(false);
    expect(ok({ 'webhook-timestamp': '1614265331' }, vector.body, 1614265331)).toBe(false);
    expect(ok({}, vector.body, 1614265330, SECRET)).toBe(false);
    expect(ok({}, vector.body, 1614265330 + 301)).toBe(false);
    expect(ok({}, vector.body, 1614265330 - 301)).toBe(false);
    expect(ok({ 'webhook-signature': undefined })).toBe(false);
    expect(ok({ 'webhook-timestamp': 'soon' })).toBe(false);
    expect(ok({ 'webhook-signature': 'v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' })).toBe(false);
  });

  it('finds the valid one among several signatures, as Supabase joins them (", ")', () => {
    const headers = { ...vector.headers, 'webhook-signature': `v1,${randomBytes(32).toString('base64')}, ${vector.headers['webhook-signature']}` };
    expect(verifyWebhook([vector.secret], headers, vector.body, 1614265330)).toBe(true);
  });

  it('reads secrets as Supabase shows them, one or several (rotation), and ignores anything else', () => {
    expect(webhookKey('v1,whsec_short')).toBeUndefined();
    expect(webhookKey('not a secret')).toBeUndefined();
    expect(hookSecrets(`${SECRET} | ${vector.secret}\nplaceholder`)).toEqual([SECRET, vector.secret]);
    expect(hookSecrets('placeholder-until-the-hook-exists')).toEqual([]);
  });
});

describe('hookRequestOf', () => {
  it('reads a function URL event: lower-case header names, the body as signed (base64 or not)', async () => {
    const request = signed(input('561166'));
    const event = {
      requestContext: { http: { method: 'POST' } },
      headers: {
        'Webhook-Id': request.headers['webhook-id'],
        'Webhook-Timestamp': request.headers['webhook-timestamp'],
        'Webhook-Signature': request.headers['webhook-signature'],
      },
      body: Buffer.from(request.body).toString('base64'),
      isBase64Encoded: true,
    };
    const read = hookRequestOf(event);
    expect(read.body).toBe(request.body);
    expect(verifyWebhook([SECRET], read.headers, read.body, T0 / 1000)).toBe(true);
    expect(hookRequestOf({ ...event, body: request.body, isBase64Encoded: false }).body).toBe(request.body);
    expect(hookRequestOf({})).toEqual({ method: 'POST', headers: {}, body: '' });
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

describe('Supabase Send SMS hook', () => {
  it('sends the code once on allow and answers 200 {}', async () => {
    const t = await setup();
    const response = await t.hook(signed(input('561166', { confirmed: false })));
    expect(response).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(t.sender.sent).toEqual([expect.objectContaining({ tenant: 'app', e164: PHONE, body: 'Your verification code is 561166' })]);
    expect(t.verdicts).toEqual([expect.objectContaining({ scenario: 'register', sent: true })]);
    expectNoSecretsIn(t.logger.lines, '561166');
  });

  it('sends to sms.phone when Supabase names it (a phone change)', async () => {
    const t = await setup();
    await t.hook(signed(input('561166', { smsPhone: '+447500123456' })));
    expect(t.sender.sent.map((sms) => sms.e164)).toEqual(['+447500123456']);
    expect(t.verdicts[0]!.scenario).toBe('other');
  });

  it('sends once when Supabase retries the same input with a new signature', async () => {
    const t = await setup();
    const body = input('561166');
    await t.hook(signed(body));
    t.clock.advance(2_000);
    const again = await t.hook(signed(body, T0 / 1000 + 2));
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body)).toEqual({});
    expect(t.sender.sent).toHaveLength(1);
  });

  it('answers a refusal as a 200 whose error Supabase hands the client, and sends nothing', async () => {
    const t = await setup();
    await t.stores.lists.put({ scope: 't:app', kind: 'number', value: hasher(PHONE), action: 'block', createdAt: 0 });
    const response = await t.hook(signed(input('561166')));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ error: { http_code: 403, message: 'SHIELD_BLOCKED: A code cannot be sent to this phone number.' } });
    expect(t.sender.sent).toHaveLength(0);
    expectNoSecretsIn(t.logger.lines, '561166');
  });

  it('answers 429 with the wait for a second code to the number within the minute', async () => {
    const t = await setup();
    await t.hook(signed(input('111111')));
    const response = await t.hook(signed(input('222222')));
    expect(JSON.parse(response.body).error).toEqual({
      http_code: 429,
      message: expect.stringMatching(/^SHIELD_RATE_LIMITED: Too many codes were requested\. Try again later\. \(retry after \d+ s\)$/),
    });
  });

  it('asks for the CAPTCHA when the verdict is a challenge (Supabase passes no solution)', async () => {
    const t = await setup({ policy: { scenarios: { register: { challengeAt: 0 } } } });
    const response = await t.hook(signed(input('561166', { confirmed: false })));
    expect(JSON.parse(response.body).error).toMatchObject({ http_code: 403, message: expect.stringMatching(/^SHIELD_CHALLENGE: /) });
    expect(t.sender.sent).toHaveLength(0);
  });

  it('answers 401 to a wrong, stale or missing signature and judges nothing', async () => {
    const t = await setup();
    const body = input('561166');
    for (const request of [
      signed(body, T0 / 1000, `v1,whsec_${randomBytes(32).toString('base64')}`),
      signed(body, T0 / 1000 - 600),
      { ...signed(body), headers: { 'content-type': 'application/json' } },
      { ...signed(body), body: body.replace('561166', '000000') },
    ]) {
      expect((await t.hook(request)).statusCode).toBe(401);
    }
    expect(t.verdicts).toHaveLength(0);
    expect(t.sender.sent).toHaveLength(0);
  });

  it('reads the secret again when a signature does not verify (a secret put in or rotated after the cold start)', async () => {
    const rotated = `v1,whsec_${randomBytes(32).toString('base64')}`;
    const asked: boolean[] = [];
    const t = await setup({
      secrets: async (stale?: boolean) => {
        asked.push(stale === true);
        return stale ? [rotated] : [SECRET];
      },
    });
    expect((await t.hook(signed(input('561166'), T0 / 1000, rotated))).statusCode).toBe(200);
    expect(asked).toEqual([false, true]);
    expect(t.sender.sent).toHaveLength(1);
  });

  it('refuses with SHIELD_NOT_CONFIGURED while no secret is set, and while the tenant does not exist', async () => {
    const unset = await setup({ secrets: [] });
    expect(JSON.parse((await unset.hook(signed(input('561166')))).body).error).toMatchObject({
      http_code: 503,
      message: expect.stringMatching(/^SHIELD_NOT_CONFIGURED/),
    });
    const noTenant = await setup({ tenant: false });
    expect(JSON.parse((await noTenant.hook(signed(input('561166')))).body).error).toMatchObject({ message: expect.stringMatching(/^SHIELD_NOT_CONFIGURED/) });
    expect(noTenant.logger.lines.join('\n')).toContain('"tenant":"app"');
  });

  it('refuses what is not a Send SMS hook input (signed or not), and any method but POST', async () => {
    const t = await setup();
    for (const body of ['not json', '{}', JSON.stringify({ user: { id: 'u' }, sms: {} }), JSON.stringify({ user: { id: 'u' }, sms: { otp: '1' } })]) {
      const response = await t.hook(signed(body));
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body).error).toMatchObject({ http_code: 400, message: expect.stringMatching(/^SHIELD_INVALID_REQUEST/) });
    }
    expect((await t.hook({ ...signed(input('1')), method: 'GET' })).statusCode).toBe(405);
    expect(t.sender.sent).toHaveLength(0);
  });

  it('refuses a template without {code} when it is built', async () => {
    const t = await setup();
    expect(() =>
      createSupabaseSmsHook({
        service: {} as never,
        tenants: t.stores.tenants,
        tenantId: 'app',
        secrets: async () => [],
        codeTemplate: 'Hi',
        logger: t.logger,
        clock: t.clock,
      }),
    ).toThrow(/must contain \{code\}/);
  });
});
