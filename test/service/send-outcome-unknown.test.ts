/**
 * Publish failures through the real `SnsSmsSender` (SNS stubbed by aws-sdk-client-mock) and the
 * real HTTP handler on in-memory ports: SNS answered with an error → 502, nothing sent, quota
 * given back, key freed; the answer was lost (timeout, reset after sending) → 504
 * `SEND_OUTCOME_UNKNOWN`, `sent: null`, quota kept, key kept, code still verifiable.
 */
import { InternalErrorException, PublishCommand, SNSClient, ThrottledException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SnsSmsSender } from '../../lambdas/adapters/aws/sns-sms-sender';
import { createMemoryStores } from '../../lambdas/adapters/memory/memory-stores';
import { composeShield } from '../../lambdas/handlers/compose';
import { ManualClock } from '../../lambdas/ports/clock';
import type { ServiceLogger, VerdictRecord } from '../../lambdas/service/shield-service';
import { createTenant } from '../../lambdas/service/tenant-admin';
import { METRIC } from '../../lambdas/shared/metric-names';
import { recordVerdictMetrics, type MetricsSink } from '../../lambdas/handlers/verdict-metrics';
import { invoke } from '../support/api-event';
import { BROWSER_UA, T0, hasher, testGeo } from '../support/engine';

const sns = mockClient(SNSClient);
afterEach(() => sns.reset());
afterAll(() => sns.restore());

const PHONE = '+44 7400 123456';
const DIGITS = '7400123456';

// Errors as the SDK raises them (see test/adapters/sns-sms-sender.test.ts for the real wire).
const requestTimeout = () =>
  Object.assign(new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 3000 ms requestTimeout.'), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
    $metadata: { attempts: 1 },
  });
/** The handler renames ECONNRESET to TimeoutError; the message may echo the request. */
const resetAfterSend = () =>
  Object.assign(new Error(`socket hang up while publishing to ${PHONE}`), { name: 'TimeoutError', code: 'ECONNRESET', $metadata: {} });
const refused = () => Object.assign(new Error('connect ECONNREFUSED 52.94.1.1:443'), { code: 'ECONNREFUSED', syscall: 'connect', $metadata: {} });
const throttled = () => new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });
const internal = () => new InternalErrorException({ message: 'Internal failure', $metadata: { httpStatusCode: 500 } });

async function world() {
  const clock = new ManualClock(T0);
  const { counters, lists, verifications, idempotency, tenants } = createMemoryStores(clock);
  const lines: string[] = [];
  const log =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) =>
      void lines.push(JSON.stringify([level, message, ...extra]));
  const logger: ServiceLogger = { info: log('info'), warn: log('warn'), error: log('error') };
  const records: VerdictRecord[] = [];
  const app = composeShield({
    counters,
    lists,
    verifications,
    idempotency,
    geo: testGeo,
    tenants,
    sender: new SnsSmsSender(new SNSClient({ region: 'eu-west-1' })),
    hasher,
    clock,
    logger,
    onVerdict: (record) => void records.push(record),
  });
  const { apiKey } = await createTenant(tenants, { id: 'shop' }, T0);
  const call = (path: string, body: unknown) => invoke(app.handler, 'POST', path, { key: apiKey, body });
  return { call, lines, records, clock };
}

const attempt = (extra: Record<string, unknown> = {}) => ({
  phone: PHONE,
  scenario: 'login',
  ip: '81.2.69.142',
  userAgent: BROWSER_UA,
  device: 'device-1',
  message: 'Your code is 123456',
  ...extra,
});

describe('SNS answered with an error: 502, nothing was sent', () => {
  it.each([
    ['throttled', throttled],
    ['a 5xx', internal],
    ['connection refused', refused],
  ])('%s: sent:false, quota given back, key freed, and the retry with the same key sends once', async (_label, failure) => {
    sns.on(PublishCommand).rejectsOnce(failure()).resolves({ MessageId: 'sns-1' });
    const { call } = await world();
    const body = attempt({ idempotencyKey: 'order-1' });

    const first = await call('/v1/sms/send', body);
    expect(first.status).toBe(502);
    expect(first.body).toMatchObject({ sent: false, error: { code: 'SEND_FAILED' } });

    // The key was freed and the number's 1-per-minute quota given back: the retry sends.
    const retry = await call('/v1/sms/send', body);
    expect(retry).toMatchObject({ status: 200, body: { sent: true, messageId: 'sns-1' } });
    expect(await call('/v1/sms/send', body)).toMatchObject({ status: 200, body: retry.body });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });
});

describe('the answer was lost: 504 SEND_OUTCOME_UNKNOWN, the SMS may be out', () => {
  it.each([
    ['a request timeout', requestTimeout],
    ['a connection reset after sending', resetAfterSend],
  ])('%s: sent:null, quota kept, key kept (a retry replays the 504), Publish called once', async (_label, failure) => {
    sns.on(PublishCommand).rejectsOnce(failure()).resolves({ MessageId: 'sns-2' });
    const { call, lines, records } = await world();
    const body = attempt({ idempotencyKey: 'order-2' });

    const first = await call('/v1/sms/send', body);
    expect(first.status).toBe(504);
    expect(first.body).toEqual({
      decision: 'allow',
      sent: null,
      verdict: expect.objectContaining({ decision: 'allow' }),
      error: { code: 'SEND_OUTCOME_UNKNOWN', message: expect.stringMatching(/may have been sent/) },
    });
    expect(first.body).not.toHaveProperty('messageId');

    // The same key: the 504 again, never a second SMS.
    const retry = await call('/v1/sms/send', body);
    expect(retry).toEqual(first);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);

    // The quota stays taken: a new key to the same number within the minute is refused.
    const again = await call('/v1/sms/send', attempt({ idempotencyKey: 'order-3' }));
    expect(again.status).toBe(429);
    expect(again.body.verdict.reasons).toContain('NUMBER_VELOCITY');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);

    // Recorded as sent with an unknown outcome, logged with the masked number only.
    expect(records[0]).toMatchObject({ kind: 'send', sent: true, outcomeUnknown: true });
    const log = lines.join('\n');
    expect(log).toContain('SMS provider outcome unknown');
    expect(log).toContain('"sent":"unknown"');
    expect(log).not.toContain(DIGITS);
  });

  it('keeps the pending OTP code: it verifies if the SMS did arrive', async () => {
    sns.on(PublishCommand).rejects(resetAfterSend());
    const { call } = await world();
    const sent = await call('/v1/otp/send', { ...attempt({ idempotencyKey: 'otp-1' }), message: undefined });
    expect(sent.status).toBe(504);
    expect(sent.body).toMatchObject({ sent: null, error: { code: 'SEND_OUTCOME_UNKNOWN' } });
    expect((await call('/v1/otp/send', { ...attempt({ idempotencyKey: 'otp-1' }), message: undefined })).status).toBe(504);
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);

    const code = /\d{6}/.exec(calls[0]?.args[0].input.Message ?? '')?.[0];
    expect(code).toBeDefined();
    expect((await call('/v1/otp/verify', { phone: PHONE, code })).body).toEqual({ verified: true });
  });

  it('counts the send as sent for spend, and as an unknown outcome', async () => {
    sns.on(PublishCommand).rejects(requestTimeout());
    const { call, records } = await world();
    expect((await call('/v1/sms/send', attempt())).status).toBe(504);
    const emitted: string[] = [];
    const sink = {
      addMetric: (name: string) => void emitted.push(name),
      singleMetric: () => ({ addDimension: () => undefined, addDimensions: () => undefined, addMetric: (name: string) => void emitted.push(name) }),
    } as unknown as MetricsSink;
    recordVerdictMetrics(sink, records[0] as VerdictRecord, undefined);
    expect(emitted).toEqual(expect.arrayContaining([METRIC.smsSent, METRIC.estimatedSpend, METRIC.sentByCountry, METRIC.smsOutcomeUnknown]));
    expect(emitted).not.toContain(METRIC.estimatedCostAvoided);
  });
});
