/**
 * Store and provider outages injected through the AWS SDK: the real app (`composeShield` with
 * the DynamoDB adapters, on DynamoDB Local) behind a client configured like the Lambda's, whose
 * middleware stack answers with DynamoDB's throttling errors, holds requests past the timeout
 * or refuses connections. SNS failures come from aws-sdk-client-mock behind the real sender.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient, ThrottledException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { SnsSmsSender } from '../../lambdas/adapters/aws/sns-sms-sender';
import type { TableNames } from '../../lambdas/adapters/dynamo/create-tables';
import { DynamoCounterStore } from '../../lambdas/adapters/dynamo/dynamo-counter-store';
import { DynamoEventStore } from '../../lambdas/adapters/dynamo/dynamo-event-store';
import { DynamoIdempotencyStore } from '../../lambdas/adapters/dynamo/dynamo-idempotency-store';
import { DynamoListStore } from '../../lambdas/adapters/dynamo/dynamo-list-store';
import { DynamoReplayGuard } from '../../lambdas/adapters/dynamo/dynamo-replay-guard';
import { DynamoTenantStore } from '../../lambdas/adapters/dynamo/dynamo-tenant-store';
import { DynamoVerificationStore } from '../../lambdas/adapters/dynamo/dynamo-verification-store';
import { composeShield, storeClientConfig, type ShieldApp, type StoreTimeouts } from '../../lambdas/handlers/compose';
import { systemClock } from '../../lambdas/ports/clock';
import type { OutgoingSms, SmsSender } from '../../lambdas/ports/sms-sender';
import type { ServiceLogger } from '../../lambdas/service/shield-service';
import { createTenant, issueAdminKey } from '../../lambdas/service/tenant-admin';
import { invoke } from '../support/api-event';
import { createTestTables } from '../support/dynamo';
import { BROWSER_UA, hasher, testGeo } from '../support/engine';
import { ukMobile } from '../support/numbers';
import { injectFaults, type FaultInjector, type StoreFault } from '../support/sdk-faults';

const endpoint = inject('dynamoEndpoint');

/**
 * Short timeouts for the worlds whose store hangs, so a hung store costs the test little; the
 * others use the Lambda's own settings (`storeClientConfig()`: 500 ms to connect, 1 s a request).
 */
const HANG_TIMEOUTS = { connectionTimeoutMs: 300, requestTimeoutMs: 300 };
const MAX_ATTEMPTS = 2;
const CHALLENGE_SECRET = 'store-faults-challenge-secret-0123456789';
/** A bound, not a benchmark: no request may take longer than this, whatever the store does. */
const LATENCY_BOUND_MS = 3_000;

class CountingSender implements SmsSender {
  readonly sent: OutgoingSms[] = [];
  async send(sms: OutgoingSms) {
    this.sent.push(sms);
    return { messageId: `m-${this.sent.length}` };
  }
}

class CapturingLogger implements ServiceLogger {
  readonly lines: string[] = [];
  info = (message: string, ...extra: Record<string, unknown>[]) => void this.lines.push(JSON.stringify([message, ...extra]));
  warn = this.info;
  error = (message: string, ...extra: Record<string, unknown>[]) => void this.lines.push(JSON.stringify(['ERROR', message, ...extra]));
}

let sequence = 0;
/** A fresh number, IP and device per attempt: no quota or range signal of one test reaches another. */
function attempt(scenario: string, extra: Record<string, unknown> = {}) {
  sequence++;
  return {
    phone: ukMobile(sequence),
    scenario,
    ip: `81.2.69.${(sequence % 250) + 1}`,
    userAgent: BROWSER_UA,
    device: `faults-device-${sequence}`,
    message: 'Your code is 123456',
    ...extra,
  };
}
const PREMIUM = '+44 909 879 0000';

describe.skipIf(!endpoint)('store faults injected through the AWS SDK (DynamoDB Local)', () => {
  let names: TableNames;
  let close: () => void;
  const keys = { shop: '', strict: '', lenient: '', admin: '' };
  const worlds: { client: DynamoDBClient; faults: FaultInjector }[] = [];

  beforeAll(async () => {
    const tables = await createTestTables(endpoint, 'faults');
    names = tables.names;
    close = tables.close;
    const tenants = new DynamoTenantStore(tables.client, names.Tenants);
    const now = Date.now();
    keys.shop = (await createTenant(tenants, { id: 'shop' }, now)).apiKey;
    keys.strict = (await createTenant(tenants, { id: 'strict' }, now)).apiKey;
    keys.lenient = (await createTenant(tenants, { id: 'lenient' }, now)).apiKey;
    keys.admin = await issueAdminKey(tenants, now);
  });

  afterEach(async () => {
    for (const { client, faults } of worlds.splice(0)) {
      await faults.close();
      client.destroy();
    }
  });
  afterAll(() => close?.());

  /**
   * The real composition on its own client (so retry capacity and counts start fresh), with
   * the tenant keys already resolved, as in a warm Lambda container.
   */
  async function world(options: { sender?: SmsSender; warm?: boolean; timeouts?: StoreTimeouts } = {}) {
    const client = new DynamoDBClient({
      ...storeClientConfig(options.timeouts),
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const faults = await injectFaults(client);
    worlds.push({ client, faults });
    const sender = new CountingSender();
    const logger = new CapturingLogger();
    const app: ShieldApp = composeShield({
      counters: new DynamoCounterStore(client, names.Counters),
      lists: new DynamoListStore(client, names.Lists),
      verifications: new DynamoVerificationStore(client, names.Verifications),
      tenants: new DynamoTenantStore(client, names.Tenants),
      events: new DynamoEventStore(client, names.Events),
      idempotency: new DynamoIdempotencyStore(client, names.Verifications),
      geo: testGeo,
      hasher,
      clock: systemClock,
      logger,
      sender: options.sender ?? sender,
      manMachine: { secret: CHALLENGE_SECRET, replays: new DynamoReplayGuard(client, names.Verifications) },
    });
    if (options.warm !== false) {
      for (const key of Object.values(keys)) await app.directory.byApiKey(key);
    }
    faults.reset();
    /** One HTTP call through the handler, timed. */
    const call = async (method: string, path: string, key: string, body?: unknown) => {
      const started = performance.now();
      const res = await invoke(app.handler, method, path, { key, body });
      return { ...res, ms: performance.now() - started };
    };
    return { app, client, faults, sender, logger, call };
  }

  /** Within a few requests after the store is back, a fail-closed scenario gets a full verdict and is sent. */
  async function expectRecovery(call: Awaited<ReturnType<typeof world>>['call']) {
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await call('POST', '/v1/sms/send', keys.shop, attempt('reset_password'));
      if (last.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(last?.status).toBe(200);
    expect(last?.body.verdict.reasons).not.toContain('STORE_UNAVAILABLE');
  }

  /** Every faulted command was tried at most `MAX_ATTEMPTS` times per send. */
  function expectBoundedRetries(faults: FaultInjector) {
    for (const [command, attempts] of faults.faultedAttempts) {
      expect(attempts, command).toBeLessThanOrEqual(MAX_ATTEMPTS * (faults.invocations.get(command) ?? 0));
    }
  }

  const FAULTS: readonly StoreFault[] = ['throughput', 'throttling', 'server-error', 'hang', 'refused'];

  describe.each(FAULTS)('DynamoDB fault: %s', (fault) => {
    it('register/login fail open on stateless signals, reset_password/transfer fail closed with 503; bounded and retried at most twice', async () => {
      const { call, faults, sender, logger } = await world({ timeouts: fault === 'hang' ? HANG_TIMEOUTS : undefined });
      faults.fail(fault);
      const latencies: number[] = [];

      // The first request on a fresh client: every faulted command is tried exactly twice.
      const register = await call('POST', '/v1/sms/send', keys.shop, attempt('register'));
      latencies.push(register.ms);
      expect(register.status).toBe(200);
      expect(register.body).toMatchObject({ decision: 'allow', sent: true, verdict: { reasons: expect.arrayContaining(['STORE_UNAVAILABLE']) } });
      // The answer may come before the wave's last retries end: count once they have.
      await faults.idle();
      expect(faults.total(faults.faultedAttempts)).toBeGreaterThan(0);
      for (const [command, attempts] of faults.faultedAttempts) {
        expect(attempts, command).toBe(MAX_ATTEMPTS * (faults.invocations.get(command) ?? 0));
      }

      // The rest at once, as concurrent traffic in an outage would come.
      const closedBody = (scenario: string, otp: boolean) => (otp ? { ...attempt(scenario), message: undefined } : attempt(scenario));
      const [premium, verdict, forged, verify, ...closed] = await Promise.all([
        call('POST', '/v1/sms/send', keys.shop, attempt('login', { phone: PREMIUM })),
        call('POST', '/v1/verdicts', keys.shop, { ...attempt('login'), message: undefined }),
        call('POST', '/v1/verdicts', keys.shop, {
          ...attempt('register', { device: 'sdt1.AAAAAAAAAAAAAAAAAAAAAA.0.0.forgedforgedforgedforge', userAgent: 'python-requests/2.32' }),
          message: undefined,
        }),
        call('POST', '/v1/otp/verify', keys.shop, { phone: attempt('login').phone, code: '123456' }),
        call('POST', '/v1/sms/send', keys.shop, closedBody('reset_password', false)),
        call('POST', '/v1/otp/send', keys.shop, closedBody('transfer', true)),
        call('POST', '/v1/sms/send', keys.shop, closedBody('transfer', false)),
        call('POST', '/v1/otp/send', keys.shop, closedBody('reset_password', true)),
      ]);
      latencies.push(...[premium, verdict, forged, verify, ...closed].map((r) => r!.ms));

      // Premium numbers are still refused without the store; nothing is sent.
      expect(premium!.status).toBe(403);
      expect(premium!.body).toMatchObject({ decision: 'block', sent: false });
      expect(premium!.body.verdict.reasons[0]).toBe('PREMIUM_RATE_NUMBER');
      expect(premium!.body.verdict.reasons).toContain('STORE_UNAVAILABLE');

      expect(verdict!.status).toBe(200);
      expect(verdict!.body.verdict).toMatchObject({ decision: 'allow', reasons: ['STORE_UNAVAILABLE'] });

      // Device tokens need no store: a forged one still counts, and with a bot user agent it is not allowed.
      expect(forged!.body.verdict.reasons).toEqual(expect.arrayContaining(['DEVICE_TOKEN_INVALID', 'AUTOMATION_USER_AGENT', 'STORE_UNAVAILABLE']));
      expect(forged!.body.verdict.decision).not.toBe('allow');

      // Checking a code needs the store: 503, neither a 500 nor a misleading "verified: false".
      expect(verify!.status).toBe(503);
      expect(verify!.body.error.code).toBe('STORE_UNAVAILABLE');

      for (const res of closed) {
        expect(res!.status).toBe(503);
        expect(res!.body.error.code).toBe('STORE_UNAVAILABLE');
        expect(res!.headers['retry-after']).toBe('5');
      }
      // Fail closed never reaches the SMS provider: the register above is the only SMS.
      expect(sender.sent).toHaveLength(1);

      for (const ms of latencies) expect(ms).toBeLessThan(LATENCY_BOUND_MS);
      expectBoundedRetries(faults);
      expect(logger.lines.filter((l) => l.includes('Unhandled error'))).toEqual([]);

      // The store comes back: full verdicts again, nothing stuck. The first calls may still fail
      // (the outage used up the client's retry capacity, and pooled sockets may be stale), so allow a few.
      faults.heal();
      await expectRecovery(call);
    });
  });

  it('a tenant policy override flips fail-open and fail-closed for that tenant only', async () => {
    const { call, faults, sender, app } = await world();
    const strict = await call('PUT', '/v1/admin/tenants/strict/policy', keys.admin, { scenarios: { login: { onStoreError: 'closed' } } });
    expect(strict.status).toBe(200);
    const lenient = await call('PUT', '/v1/admin/tenants/lenient/policy', keys.admin, { scenarios: { reset_password: { onStoreError: 'open' } } });
    expect(lenient.status).toBe(200);
    // A policy change clears this process's key cache: warm it again before the outage.
    for (const key of Object.values(keys)) await app.directory.byApiKey(key);

    faults.fail('throttling');
    const [strictLogin, lenientReset, shopLogin, shopReset, strictRegister, lenientTransfer] = await Promise.all([
      call('POST', '/v1/sms/send', keys.strict, attempt('login')),
      call('POST', '/v1/sms/send', keys.lenient, attempt('reset_password')),
      // The other scenarios, and the other tenant, keep the defaults.
      call('POST', '/v1/sms/send', keys.shop, attempt('login')),
      call('POST', '/v1/sms/send', keys.shop, attempt('reset_password')),
      call('POST', '/v1/sms/send', keys.strict, attempt('register')),
      call('POST', '/v1/sms/send', keys.lenient, attempt('transfer')),
    ]);
    expect(strictLogin).toMatchObject({ status: 503, body: { error: { code: 'STORE_UNAVAILABLE' } } });
    expect(lenientReset).toMatchObject({ status: 200, body: { sent: true, verdict: { reasons: expect.arrayContaining(['STORE_UNAVAILABLE']) } } });
    expect([shopLogin!.status, shopReset!.status, strictRegister!.status, lenientTransfer!.status]).toEqual([200, 503, 200, 503]);
    expect(sender.sent.map((s) => s.tenant).sort()).toEqual(['lenient', 'shop', 'strict']);
    expectBoundedRetries(faults);
  });

  it('fails only UpdateItem (the counters): the verdict fails open or closed all the same', async () => {
    const { call, faults, sender } = await world();
    faults.fail('throughput', ['UpdateItem']);
    const login = await call('POST', '/v1/sms/send', keys.shop, attempt('login'));
    expect(login).toMatchObject({ status: 200, body: { sent: true, verdict: { reasons: expect.arrayContaining(['STORE_UNAVAILABLE']) } } });
    const transfer = await call('POST', '/v1/sms/send', keys.shop, attempt('transfer'));
    expect(transfer.status).toBe(503);
    expect([...faults.faultedAttempts.keys()]).toEqual(['UpdateItem']);
    expect(faults.invocations.get('BatchGetItem')).toBeGreaterThan(0);
    expect(sender.sent).toHaveLength(1);
    expectBoundedRetries(faults);
  });

  it('fails only UpdateItem: a one-time code sent on a fail-open verdict is not compared until attempts can be counted, then verifies', async () => {
    const { call, faults, sender } = await world();
    faults.fail('throttling', ['UpdateItem']);
    const request = { ...attempt('register'), message: undefined, template: 'Your code: {code}' };
    const sent = await call('POST', '/v1/otp/send', keys.shop, request);
    expect(sent).toMatchObject({ status: 200, body: { sent: true, verdict: { reasons: expect.arrayContaining(['STORE_UNAVAILABLE']) } } });
    const code = /Your code: (\d{6})/.exec(sender.sent.at(-1)?.body ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    // While no attempt can be counted, no code is compared (the attempt limit could not hold).
    const refused = await call('POST', '/v1/otp/verify', keys.shop, { phone: request.phone, code });
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'STORE_UNAVAILABLE' } } });
    // Once the store takes writes again, the code sent during the outage verifies.
    faults.heal();
    const verified = await call('POST', '/v1/otp/verify', keys.shop, { phone: request.phone, code });
    expect(verified).toMatchObject({ status: 200, body: { verified: true } });
  });

  it('fails only PutItem: an idempotency key cannot be claimed, so fail-open scenarios run without it and fail-closed ones answer 503', async () => {
    const { call, faults, sender } = await world();
    faults.fail('throughput', ['PutItem']);
    const [register, reset, plain] = await Promise.all([
      call('POST', '/v1/sms/send', keys.shop, attempt('register', { idempotencyKey: 'put-fails-1' })),
      call('POST', '/v1/sms/send', keys.shop, attempt('reset_password', { idempotencyKey: 'put-fails-2' })),
      call('POST', '/v1/sms/send', keys.shop, attempt('reset_password')),
    ]);
    // The verdict itself needs no PutItem: a full verdict, sent without deduplication.
    expect(register).toMatchObject({ status: 200, body: { sent: true } });
    expect(register!.body.verdict.reasons).not.toContain('STORE_UNAVAILABLE');
    expect(register!.ms).toBeLessThan(LATENCY_BOUND_MS);
    expect(reset).toMatchObject({ status: 503, body: { error: { code: 'STORE_UNAVAILABLE' } } });
    // Without a key there is nothing to claim: reset_password is judged in full and sent.
    expect(plain).toMatchObject({ status: 200, body: { sent: true } });
    expect(plain!.body.verdict.reasons).not.toContain('STORE_UNAVAILABLE');
    expect(sender.sent).toHaveLength(2);
    expect([...faults.faultedAttempts.keys()]).toEqual(['PutItem']);
    expectBoundedRetries(faults);
  });

  it('a cold container in an outage: keys cannot be resolved, so 503 STORE_UNAVAILABLE, never 500', async () => {
    const { call, faults, sender, logger } = await world({ warm: false, timeouts: HANG_TIMEOUTS });
    faults.fail('hang');
    for (const res of await Promise.all(['register', 'transfer'].map((scenario) => call('POST', '/v1/sms/send', keys.shop, attempt(scenario))))) {
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('STORE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('5');
      expect(res.ms).toBeLessThan(LATENCY_BOUND_MS);
    }
    expect(sender.sent).toEqual([]);
    expect(logger.lines.filter((l) => l.includes('Unhandled error'))).toEqual([]);
    // The key was not remembered as unknown because the store was down.
    faults.heal();
    await faults.idle();
    await expectRecovery(call);
  });

  describe('SNS failures (aws-sdk-client-mock behind the real SnsSmsSender)', () => {
    const sns = mockClient(SNSClient);
    afterEach(() => sns.reset());
    afterAll(() => sns.restore());
    const throttled = () => new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });

    it('a throttled publish answers 502 sent:false, gives the quota back, and a retry with the same idempotencyKey sends once', async () => {
      sns.on(PublishCommand).rejectsOnce(throttled()).resolves({ MessageId: 'sns-1' });
      const { call } = await world({ sender: new SnsSmsSender(new SNSClient({ region: 'us-east-1' })) });
      const body = attempt('login', { idempotencyKey: 'sns-retry-1' });

      const first = await call('POST', '/v1/sms/send', keys.shop, body);
      expect(first.status).toBe(502);
      expect(first.body).toMatchObject({ sent: false, error: { code: 'SEND_FAILED' } });
      expect(first.body).not.toHaveProperty('messageId');

      // The key was freed and the number's 1-per-minute quota given back: the retry sends.
      const retry = await call('POST', '/v1/sms/send', keys.shop, body);
      expect(retry).toMatchObject({ status: 200, body: { sent: true, messageId: 'sns-1' } });
      // A further retry replays the answer and publishes nothing.
      const replay = await call('POST', '/v1/sms/send', keys.shop, body);
      expect(replay.body).toEqual(retry.body);
      expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
    });

    it('never answers sent:true while SNS throttles, with the store up or down', async () => {
      sns.on(PublishCommand).rejects(throttled());
      const { call, faults } = await world({ sender: new SnsSmsSender(new SNSClient({ region: 'us-east-1' })) });
      const answers = [
        await call('POST', '/v1/sms/send', keys.shop, attempt('register')),
        await call('POST', '/v1/otp/send', keys.shop, { ...attempt('login'), message: undefined }),
      ];
      faults.fail('server-error');
      answers.push(await call('POST', '/v1/sms/send', keys.shop, attempt('register', { idempotencyKey: 'sns-down-1' })));
      for (const answer of answers) {
        expect(answer.status).toBe(502);
        expect(answer.body.sent).toBe(false);
        expect(answer.ms).toBeLessThan(LATENCY_BOUND_MS);
      }
      expect(sns.commandCalls(PublishCommand)).toHaveLength(3);
    });

    it('fail-closed scenarios never reach SNS during a store outage', async () => {
      sns.on(PublishCommand).resolves({ MessageId: 'never' });
      const { call, faults } = await world({ sender: new SnsSmsSender(new SNSClient({ region: 'us-east-1' })), timeouts: HANG_TIMEOUTS });
      faults.fail('hang');
      expect((await call('POST', '/v1/sms/send', keys.shop, attempt('transfer'))).status).toBe(503);
      expect((await call('POST', '/v1/otp/send', keys.shop, { ...attempt('reset_password'), message: undefined })).status).toBe(503);
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    });
  });
});
