/**
 * The Auth0 and Firebase recipes in `examples/`, run against the local server with stand-in
 * `event` (and `api`) objects shaped as Auth0 and firebase-functions document them. The Auth0
 * Action is loaded from its file's text exactly as a user pastes it (CommonJS, no dependency).
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallShield, judgeSms, type SmsEvent, shieldVerdicts } from '../../examples/firebase/before-sms-sent';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import type { ServiceLogger } from '../../lambdas/service/shield-service';
import { T0, testGeo } from '../support/engine';
import { callJson } from '../support/http-call';

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const HOME_IP = '81.2.69.142';
const DATACENTER_IP = '3.1.2.3';

const logs: string[] = [];
const logger: ServiceLogger = {
  info: (m, ...e) => void logs.push(JSON.stringify([m, ...e])),
  warn: (m, ...e) => void logs.push(JSON.stringify([m, ...e])),
  error: (m, ...e) => void logs.push(JSON.stringify([m, ...e])),
};

interface Auth0Outcome {
  sent: boolean;
  code?: string;
  message?: string;
  messageId?: string;
  reasons?: string[];
  retryAfterSeconds?: number;
}
interface Auth0Action {
  onExecuteSendPhoneMessage(event: unknown, api: unknown): Promise<void>;
  protectPhoneMessage(event: unknown, deps?: { fetch?: typeof fetch }): Promise<Auth0Outcome>;
}

/** The Action's file, run as Auth0 runs it: a CommonJS module with Node's built-ins. */
async function loadAction(): Promise<Auth0Action> {
  const path = join(import.meta.dirname, '../../examples/auth0/send-phone-message.js');
  const module = { exports: {} as Record<string, unknown> };
  compileFunction(await readFile(path, 'utf8'), ['exports', 'require', 'module'], { filename: path })(module.exports, createRequire(path), module);
  return module.exports as unknown as Auth0Action;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const clock = new ManualClock(T0);
let server: LocalServer;
let dir: string;
let action: Auth0Action;
let auth0Key: string;
let firebaseKey: string;
let deadUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-recipes-'));
  server = await startLocalServer({ port: 0, dataDir: dir, logger, clock, geo: testGeo, jointDefenseEveryMs: 0 });
  const tenant = async (id: string) => (await callJson(server.url, 'POST', '/v1/admin/tenants', server.adminApiKey, { id, name: id })).body.apiKey as string;
  auth0Key = await tenant('auth0-app');
  firebaseKey = await tenant('firebase-app');
  action = await loadAction();
  deadUrl = `http://127.0.0.1:${await closedPort()}`;
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** What the shield sent for the Auth0 tenant, and how much it sent for the Firebase one (nothing). */
const auth0Outbox = () => server.outbox.list('auth0-app');
const outboxCount = () => auth0Outbox().length + server.outbox.list('firebase-app').length;

/** A send-phone-message `event` as Auth0 documents it. */
function auth0Event(
  over: { recipient?: string; action?: string; code?: string; ip?: string; userAgent?: string; messageType?: string; secrets?: object } = {},
) {
  const code = over.code ?? '123456';
  return {
    tenant: { id: 'dev-shop' },
    client: { client_id: 'app', name: 'Shop', metadata: {} },
    user: { user_id: 'auth0|65f1c0ffee', email: 'someone@example.com' },
    request: { ip: over.ip ?? HOME_IP, user_agent: over.userAgent ?? BROWSER, method: 'POST', geoip: { countryCode: 'GB' } },
    message_options: {
      action: over.action ?? 'second-factor-authentication',
      message_type: over.messageType ?? 'sms',
      recipient: over.recipient ?? '+447400300001',
      code,
      text: `${code} is your Shop verification code`,
    },
    secrets: over.secrets ?? { SHIELD_URL: server.url, SHIELD_API_KEY: auth0Key },
    configuration: {},
  };
}

/** Auth0's `api` for this trigger: nothing the recipe calls. */
const auth0Api = {};

const runAction = async (event: unknown): Promise<Error | undefined> => {
  try {
    await action.onExecuteSendPhoneMessage(event, auth0Api);
    return undefined;
  } catch (error) {
    return error as Error;
  }
};

describe('Auth0 send-phone-message Action', () => {
  it('sends an allowed MFA code through the shield: the SMS is in the outbox, the Action returns', async () => {
    const before = outboxCount();
    expect(await runAction(auth0Event({ action: 'enrollment', recipient: '+447400300001', code: '481516' }))).toBeUndefined();
    expect(outboxCount()).toBe(before + 1);
    expect(auth0Outbox().at(-1)).toMatchObject({ tenant: 'auth0-app', body: '481516 is your Shop verification code', to: '+44 74** ***001' });
  });

  it('runs twice for the same message (a retry) and sends one SMS', async () => {
    clock.advance(61_000);
    const event = auth0Event({ recipient: '+447400300002', code: '271828' });
    const before = outboxCount();
    const first = await action.protectPhoneMessage(event);
    const again = await action.protectPhoneMessage(event);
    expect(await runAction(event)).toBeUndefined();
    expect(first).toMatchObject({ sent: true });
    expect(again.messageId).toBe(first.messageId);
    expect(outboxCount()).toBe(before + 1);
  });

  it('refuses a premium-rate and an invalid number with SHIELD_BLOCKED, and sends nothing', async () => {
    const before = outboxCount();
    const premium = auth0Event({ recipient: '+449098790000', action: 'enrollment' });
    const error = await runAction(premium);
    expect(error?.message).toBe('SHIELD_BLOCKED: A code cannot be sent to this phone number.');
    expect((await action.protectPhoneMessage(premium)).reasons?.[0]).toBe('PREMIUM_RATE_NUMBER');
    const invalid = auth0Event({ recipient: '+447700900123', action: 'enrollment' });
    expect((await runAction(invalid))?.message).toMatch(/^SHIELD_BLOCKED: /);
    expect((await action.protectPhoneMessage(invalid)).reasons?.[0]).toBe('INVALID_NUMBER');
    expect(outboxCount()).toBe(before);
  });

  it('stops a bombed number with SHIELD_RATE_LIMITED and a wait, after a few codes', async () => {
    const before = outboxCount();
    const errors: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      clock.advance(61_000);
      errors.push((await runAction(auth0Event({ recipient: '+447400300003', code: `90000${i}` })))?.message);
    }
    const refused = errors.filter((m) => m !== undefined);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatch(/^SHIELD_RATE_LIMITED: Too many codes were requested\. Try again later\. \(retry after \d+ s\)$/);
    expect(outboxCount() - before).toBe(6 - refused.length);
  });

  it("judges the end user's address and user agent: a datacenter address, a headless browser", async () => {
    clock.advance(61_000);
    const datacenter = await action.protectPhoneMessage(auth0Event({ action: 'enrollment', recipient: '+447400300004', ip: DATACENTER_IP }));
    expect(datacenter.sent).toBe(false);
    expect(['SHIELD_CHALLENGE', 'SHIELD_BLOCKED']).toContain(datacenter.code);
    expect(datacenter.reasons).toContain('DATACENTER_IP');
    const headless = await action.protectPhoneMessage(
      auth0Event({
        recipient: '+447400300005',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      }),
    );
    expect(headless.reasons).toContain('HEADLESS_BROWSER');
  });

  it('refuses a voice message: the shield sends SMS only', async () => {
    const before = outboxCount();
    expect((await runAction(auth0Event({ messageType: 'voice', recipient: '+447400300006' })))?.message).toBe(
      'SHIELD_VOICE_UNSUPPORTED: Voice calls are not available: choose SMS.',
    );
    expect(outboxCount()).toBe(before);
  });

  it('fails closed: the shield unreachable, unconfigured or with a wrong key sends nothing', async () => {
    const before = outboxCount();
    expect((await runAction(auth0Event({ secrets: { SHIELD_URL: deadUrl, SHIELD_API_KEY: auth0Key } })))?.message).toBe(
      'SHIELD_UNAVAILABLE: Codes cannot be sent right now. Try again shortly.',
    );
    expect((await runAction(auth0Event({ secrets: {} })))?.message).toMatch(/^SHIELD_NOT_CONFIGURED: /);
    expect((await runAction(auth0Event({ secrets: { SHIELD_URL: server.url, SHIELD_API_KEY: 'ssk_not_a_key_of_this_shield' } })))?.message).toMatch(
      /^SHIELD_NOT_CONFIGURED: /,
    );
    expect(outboxCount()).toBe(before);
  });

  it("maps each of the shield's answers: a lost SNS answer counts as sent, anything not the shield's is no send", async () => {
    const answering =
      (status: number, body: unknown): typeof fetch =>
      async () =>
        new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const verdict = { decision: 'allow', reasons: [] };
    const cases: [number, unknown, Partial<Auth0Outcome>][] = [
      [200, { decision: 'allow', sent: true, messageId: 'm-1', verdict }, { sent: true, messageId: 'm-1' }],
      [200, '<html>a web page</html>', { sent: false, code: 'SHIELD_NOT_CONFIGURED' }],
      [504, { decision: 'allow', sent: null, verdict, error: { code: 'SEND_OUTCOME_UNKNOWN' } }, { sent: true }],
      [504, 'Gateway Timeout', { sent: false, code: 'SHIELD_UNAVAILABLE' }],
      [502, { decision: 'allow', sent: false, verdict }, { sent: false, code: 'SHIELD_SEND_FAILED' }],
      [409, { error: { code: 'IDEMPOTENCY_IN_PROGRESS' } }, { sent: false, code: 'SHIELD_UNAVAILABLE' }],
      [503, { error: { code: 'STORE_UNAVAILABLE' } }, { sent: false, code: 'SHIELD_UNAVAILABLE' }],
      [429, { error: { code: 'TENANT_USAGE_LIMIT' } }, { sent: false, code: 'SHIELD_RATE_LIMITED' }],
      [422, { error: { code: 'IDEMPOTENCY_KEY_REUSED' } }, { sent: false, code: 'SHIELD_INVALID_REQUEST' }],
    ];
    for (const [status, body, expected] of cases) {
      expect(await action.protectPhoneMessage(auth0Event(), { fetch: answering(status, body) }), `${status} ${JSON.stringify(body)}`).toMatchObject(expected);
    }
  });

  it('refuses an event without an address or a number as an invalid request, and sends nothing', async () => {
    const before = outboxCount();
    const noAddress = auth0Event({ recipient: '+447400300007' });
    const { ip: _ip, ...request } = noAddress.request;
    expect((await runAction({ ...noAddress, request }))?.message).toMatch(/^SHIELD_INVALID_REQUEST: /);
    const noNumber = auth0Event();
    expect((await runAction({ ...noNumber, message_options: { ...noNumber.message_options, recipient: undefined } }))?.message).toMatch(
      /^SHIELD_INVALID_REQUEST: /,
    );
    expect(outboxCount()).toBe(before);
  });

  it('never puts the number or the code in what it throws', async () => {
    const error = await runAction(auth0Event({ recipient: '+449098790000', code: '555123' }));
    expect(error?.message).not.toMatch(/9098790000|555123/);
  });
});

/** `HttpsError` from firebase-functions, as far as the wrapper uses it. */
class HttpsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The wrapper of docs/firebase.md, with `beforeSmsSent` reduced to calling the handler. */
const beforeSmsSentHandler = (callShield: CallShield, failOpen?: readonly string[]) => async (event: SmsEvent) => {
  const decision = await judgeSms(event, callShield, { ...(failOpen && { failOpen }) });
  if (!decision.allow) throw new HttpsError(decision.status, decision.message);
};

/** A `beforeSmsSent` event as firebase-functions v6 hands it over. */
function firebaseEvent(over: { phone?: string; smsType?: string; ip?: string; userAgent?: string; uid?: string | null } = {}): SmsEvent {
  return {
    ipAddress: over.ip ?? HOME_IP,
    userAgent: over.userAgent ?? BROWSER,
    smsType: over.smsType ?? 'SIGN_IN_OR_SIGN_UP',
    additionalUserInfo: { phoneNumber: over.phone ?? '+447400400001' },
    data: over.uid === null ? undefined : { uid: over.uid ?? 'firebase-uid-1', phoneNumber: over.phone ?? '+447400400001' },
  };
}

const thrown = async (run: Promise<void>) =>
  run.then(
    () => undefined,
    (error: HttpsError) => ({ code: error.code, message: error.message }),
  );

describe('Firebase beforeSmsSent blocking function', () => {
  const shield = () => shieldVerdicts({ url: server.url, apiKey: firebaseKey });

  it('allows a clean sign-in code and sends nothing itself (Firebase sends it)', async () => {
    clock.advance(61_000);
    const before = outboxCount();
    expect(await judgeSms(firebaseEvent(), shield())).toEqual({ allow: true, reasons: expect.any(Array) });
    expect(await thrown(beforeSmsSentHandler(shield())(firebaseEvent({ phone: '+447400400002' })))).toBeUndefined();
    expect(outboxCount()).toBe(before);
  });

  it('blocks a premium-rate number with permission-denied SHIELD_BLOCKED', async () => {
    const event = firebaseEvent({ phone: '+449098790000', smsType: 'MULTI_FACTOR_ENROLLMENT' });
    expect(await thrown(beforeSmsSentHandler(shield())(event))).toEqual({
      code: 'permission-denied',
      message: 'SHIELD_BLOCKED: A code cannot be sent to this phone number.',
    });
    expect((await judgeSms(event, shield())).reasons[0]).toBe('PREMIUM_RATE_NUMBER');
  });

  it('stops a bombed number with resource-exhausted SHIELD_RATE_LIMITED: each allowed verdict counts as a sent SMS', async () => {
    const outcomes: ({ code: string; message: string } | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      clock.advance(61_000);
      outcomes.push(await thrown(beforeSmsSentHandler(shield())(firebaseEvent({ phone: '+447400400003' }))));
    }
    expect(outcomes[0]).toBeUndefined();
    expect(outcomes.find((o) => o !== undefined)).toEqual({
      code: 'resource-exhausted',
      message: expect.stringMatching(/^SHIELD_RATE_LIMITED: Too many codes were requested\. Try again later\. \(retry after \d+ s\)$/),
    });
  });

  it("judges the end user's address: a sign-up from a datacenter is refused, naming DATACENTER_IP", async () => {
    clock.advance(61_000);
    const decision = await judgeSms(firebaseEvent({ phone: '+447400400004', ip: DATACENTER_IP, uid: null }), shield());
    expect(decision).toMatchObject({ allow: false, status: 'permission-denied', message: expect.stringMatching(/^SHIELD_(CHALLENGE|BLOCKED): /) });
    expect(decision.reasons).toContain('DATACENTER_IP');
  });

  it('sends the scenario, address, user agent and uid as the verdict request', async () => {
    const bodies: unknown[] = [];
    const spy: CallShield = async (body) => {
      bodies.push(body);
      return { status: 200, verdict: { decision: 'allow', reasons: [] } };
    };
    await judgeSms(firebaseEvent({ uid: null }), spy);
    await judgeSms(firebaseEvent({ smsType: 'MULTI_FACTOR_SIGN_IN' }), spy);
    await judgeSms(firebaseEvent({ smsType: 'MULTI_FACTOR_ENROLLMENT' }), spy);
    expect(bodies).toEqual([
      { phone: '+447400400001', scenario: 'register', ip: HOME_IP, userAgent: BROWSER },
      { phone: '+447400400001', scenario: 'login', ip: HOME_IP, userAgent: BROWSER, account: 'firebase-uid-1' },
      { phone: '+447400400001', scenario: 'register', ip: HOME_IP, userAgent: BROWSER, account: 'firebase-uid-1' },
    ]);
  });

  it('lets an MFA sign-in through when the shield is unreachable, and holds sign-ins and enrollments', async () => {
    const dead = shieldVerdicts({ url: deadUrl, apiKey: firebaseKey });
    expect(await judgeSms(firebaseEvent({ smsType: 'MULTI_FACTOR_SIGN_IN' }), dead)).toEqual({ allow: true, reasons: [], failedOpen: true });
    for (const smsType of ['SIGN_IN_OR_SIGN_UP', 'MULTI_FACTOR_ENROLLMENT']) {
      expect(await thrown(beforeSmsSentHandler(dead)(firebaseEvent({ smsType })))).toEqual({
        code: 'unavailable',
        message: 'SHIELD_UNAVAILABLE: Codes cannot be sent right now. Try again shortly.',
      });
    }
    // A wrong key is no verdict either; `failOpen` is the project's choice.
    const wrongKey = shieldVerdicts({ url: server.url, apiKey: 'ssk_not_a_key_of_this_shield' });
    expect(await judgeSms(firebaseEvent(), wrongKey, { failOpen: ['SIGN_IN_OR_SIGN_UP'] })).toMatchObject({ allow: true, failedOpen: true });
    expect(await judgeSms(firebaseEvent({ smsType: 'MULTI_FACTOR_SIGN_IN' }), wrongKey, { failOpen: [] })).toMatchObject({
      allow: false,
      status: 'unavailable',
    });
  });

  it('follows the same rule for an event without a number or an address', async () => {
    const never: CallShield = async () => {
      throw new Error('not called');
    };
    expect(await judgeSms({ smsType: 'MULTI_FACTOR_SIGN_IN', ipAddress: HOME_IP }, never)).toMatchObject({ allow: true, failedOpen: true });
    expect(await judgeSms({ smsType: 'SIGN_IN_OR_SIGN_UP', additionalUserInfo: { phoneNumber: '+447400400001' } }, never)).toMatchObject({
      allow: false,
      status: 'unavailable',
    });
  });

  it('lets everything through in shadow mode, with the verdict it would have given', async () => {
    const shadow: CallShield = async () => ({ status: 200, verdict: { decision: 'block', reasons: ['PREMIUM_RATE_NUMBER'], shadow: true } });
    expect(await judgeSms(firebaseEvent(), shadow)).toEqual({ allow: true, reasons: ['PREMIUM_RATE_NUMBER'] });
  });
});

describe('recipe logs', () => {
  it('carry no full phone number', () => {
    const text = logs.join('\n');
    for (const digits of ['7400300001', '9098790000', '7400400003']) expect(text).not.toContain(digits);
  });
});
