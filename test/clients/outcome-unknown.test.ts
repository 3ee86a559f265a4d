/**
 * A 504 from a send route is neither "sent" nor "blocked", and neither is a send that timed out
 * or lost its connection: the typed client and the SNS drop-in surface them as
 * `ShieldOutcomeUnknownError`, so a caller's retry loop cannot mistake them for "nothing was
 * sent". Other calls that time out throw `ShieldTimeoutError`.
 */
import { Readable } from 'node:stream';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import {
  ShieldAdminClient,
  ShieldBlockedError,
  ShieldClient,
  ShieldHttpError,
  ShieldNetworkError,
  ShieldOutcomeUnknownError,
  ShieldPublicClient,
  ShieldTimeoutError,
} from '../../client/src/index';
import { withSmsShield } from '../../client/src/sns';
import { hangingFetch } from '../support/stub-fetch';

const verdict = { decision: 'allow', score: 5, level: 'low', reasons: [] };
const UNKNOWN = {
  decision: 'allow',
  sent: null,
  verdict,
  error: {
    code: 'SEND_OUTCOME_UNKNOWN',
    message: 'The SMS provider did not confirm the message; it may have been sent. A retry with a new idempotencyKey may send it twice.',
  },
};

/** A shield that answers every request with `status` and `body`. */
function shieldAnswering(status: number, body: unknown): ShieldClient {
  const fetch = (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as typeof globalThis.fetch;
  return new ShieldClient({ baseUrl: 'https://shield.test', apiKey: 'ssk_test', fetch });
}

const input = { phone: '+44 7400 123456', scenario: 'login' as const, ip: '81.2.69.142', message: 'Your code is 123456', idempotencyKey: 'k-1' };

describe('outcome unknown (504) in the clients', () => {
  it('ShieldClient.send and otpSend throw ShieldOutcomeUnknownError with the verdict, not ShieldBlockedError', async () => {
    const shield = shieldAnswering(504, UNKNOWN);
    for (const call of [() => shield.send(input), () => shield.otpSend(input)]) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ShieldOutcomeUnknownError);
      expect(error).toBeInstanceOf(ShieldHttpError);
      expect(error).not.toBeInstanceOf(ShieldBlockedError);
      expect(error).toMatchObject({ name: 'ShieldOutcomeUnknownError', status: 504, code: 'SEND_OUTCOME_UNKNOWN', verdict, body: UNKNOWN });
    }
  });

  it('treats a gateway 504 without a shield body as an unknown outcome too', async () => {
    const error = await shieldAnswering(504, { message: 'Gateway Timeout' })
      .send(input)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShieldOutcomeUnknownError);
    expect(error).toMatchObject({ code: 'SEND_OUTCOME_UNKNOWN', verdict: undefined });
  });

  it('a 502 stays a ShieldBlockedError (PROVIDER_FAILED): nothing was sent', async () => {
    const error = await shieldAnswering(502, { decision: 'allow', sent: false, verdict, error: { code: 'SEND_FAILED', message: 'x' } })
      .send(input)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShieldBlockedError);
    expect(error).toMatchObject({ code: 'PROVIDER_FAILED' });
  });

  it('the SNS drop-in rejects the publish with ShieldOutcomeUnknownError and never reaches SNS', async () => {
    let snsRequests = 0;
    const requestHandler = {
      handle: async () => {
        snsRequests++;
        return { response: { statusCode: 200, headers: {}, body: Readable.from([]) } };
      },
    };
    const client = new SNSClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: requestHandler as never,
      maxAttempts: 1,
    });
    const sns = withSmsShield(client, { shield: shieldAnswering(504, UNKNOWN), context: () => ({ scenario: 'login', ip: '81.2.69.142' }) });
    const error = await sns.send(new PublishCommand({ PhoneNumber: '+44 7400 123456', Message: 'Your code is 123456' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShieldOutcomeUnknownError);
    expect(snsRequests).toBe(0);
  });
});

describe('timeouts and dropped connections in the clients', () => {
  const send = { ...input, idempotencyKey: 'send-7f3a' };

  it('a send that times out throws ShieldOutcomeUnknownError with the idempotency key, never a bare TimeoutError', async () => {
    const shield = new ShieldClient({ baseUrl: 'https://shield.test', apiKey: 'ssk_test', fetch: hangingFetch(), timeoutMs: 30 });
    for (const call of [() => shield.send(send), () => shield.otpSend(send)]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ShieldOutcomeUnknownError);
      expect(error).not.toBeInstanceOf(ShieldTimeoutError);
      expect(error).toMatchObject({ name: 'ShieldOutcomeUnknownError', code: 'CLIENT_TIMEOUT', status: 0, idempotencyKey: 'send-7f3a', verdict: undefined });
      expect((error as Error).cause).toMatchObject({ name: 'TimeoutError' });
      expect((error as Error).message).not.toContain('7400');
    }
    const unkeyed = await shield.send(input).catch((e: unknown) => e);
    expect(unkeyed).toMatchObject({ code: 'CLIENT_TIMEOUT', idempotencyKey: 'k-1' });
    const { idempotencyKey: _none, ...withoutKey } = input;
    expect(await shield.send(withoutKey).catch((e: unknown) => e)).toMatchObject({ code: 'CLIENT_TIMEOUT', idempotencyKey: undefined });
  });

  it('a send whose answer stalls after the status line is an unknown outcome too', async () => {
    const fetch = (async (_url: unknown, init: RequestInit = {}) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"decision":"allow","sent":tr'));
          init.signal?.addEventListener('abort', () => controller.error(init.signal?.reason), { once: true });
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof globalThis.fetch;
    const error = await new ShieldClient({ baseUrl: 'https://shield.test', apiKey: 'ssk_test', fetch, timeoutMs: 30 }).send(send).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShieldOutcomeUnknownError);
    expect(error).toMatchObject({ code: 'CLIENT_TIMEOUT', idempotencyKey: 'send-7f3a' });
  });

  it('any other call that times out throws ShieldTimeoutError naming the route, not an outcome-unknown error', async () => {
    const options = { baseUrl: 'https://shield.test', fetch: hangingFetch(), timeoutMs: 30 };
    const shield = new ShieldClient({ ...options, apiKey: 'ssk_test' });
    const admin = new ShieldAdminClient({ ...options, adminKey: 'ssk_admin' });
    const calls: [string, () => Promise<unknown>][] = [
      ['POST /v1/verdicts', () => shield.verdict(input)],
      ['POST /v1/otp/verify', () => shield.otpVerify({ phone: input.phone, code: '123456' })],
      ['DELETE /v1/lists', () => shield.lists.remove('number', '+44 7400 123456')],
      ['GET /v1/admin/tenants/acme', () => admin.tenants.get('acme')],
      ['GET /health', () => new ShieldPublicClient(options).health()],
    ];
    for (const [route, call] of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error, route).toBeInstanceOf(ShieldTimeoutError);
      expect(error, route).not.toBeInstanceOf(ShieldOutcomeUnknownError);
      expect(error, route).toMatchObject({ name: 'ShieldTimeoutError', code: 'CLIENT_TIMEOUT', timeoutMs: 30 });
      expect(`${(error as Error).message}`, route).toBe(`SMS Shield did not answer ${route} within 30 ms`);
    }
  });

  it('a send whose connection drops is an unknown outcome; one that never connected is a ShieldNetworkError', async () => {
    const failing = (code: string) =>
      new ShieldClient({
        baseUrl: 'https://shield.test',
        apiKey: 'ssk_test',
        fetch: (async () => {
          throw new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
        }) as typeof globalThis.fetch,
      });
    const dropped = await failing('ECONNRESET')
      .send(send)
      .catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(ShieldOutcomeUnknownError);
    expect(dropped).toMatchObject({ code: 'NETWORK_ERROR', status: 0, idempotencyKey: 'send-7f3a' });
    for (const code of ['ECONNREFUSED', 'ENOTFOUND']) {
      const refused = await failing(code)
        .send(send)
        .catch((e: unknown) => e);
      expect(refused, code).toBeInstanceOf(ShieldNetworkError);
      expect(refused, code).not.toBeInstanceOf(ShieldOutcomeUnknownError);
    }
    const read = await failing('ECONNRESET')
      .verdict(input)
      .catch((e: unknown) => e);
    expect(read).toBeInstanceOf(ShieldNetworkError);
    expect(read).toMatchObject({ code: 'NETWORK_ERROR', method: 'POST', path: '/v1/verdicts' });
  });

  it('a 504 that is not JSON (a proxy page) is still an unknown outcome on a send', async () => {
    const fetch = (async () =>
      new Response('<html><body>504 Gateway Time-out</body></html>', { status: 504, headers: { 'content-type': 'text/html' } })) as typeof globalThis.fetch;
    const error = await new ShieldClient({ baseUrl: 'https://shield.test', apiKey: 'ssk_test', fetch }).send(send).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShieldOutcomeUnknownError);
    expect(error).toMatchObject({ status: 504, code: 'SEND_OUTCOME_UNKNOWN', idempotencyKey: 'send-7f3a' });
  });

  it('a 200 whose body is not a send result is an unknown outcome, not a success', async () => {
    for (const body of ['<html>ok</html>', JSON.stringify({ decision: 'allow' })]) {
      const fetch = (async () => new Response(body, { status: 200 })) as typeof globalThis.fetch;
      const error = await new ShieldClient({ baseUrl: 'https://shield.test', apiKey: 'ssk_test', fetch }).send(send).catch((e: unknown) => e);
      expect(error, body).toBeInstanceOf(ShieldOutcomeUnknownError);
      expect(error, body).toMatchObject({ status: 200, code: 'INVALID_RESPONSE' });
    }
  });

  it('a malformed error body still gives a typed error, never a TypeError', async () => {
    const refused = await shieldAnswering(403, { verdict: { decision: 'block' }, error: { code: 403, message: ['x'] } })
      .send(send)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ShieldHttpError);
    expect(refused).not.toBeInstanceOf(ShieldBlockedError);
    expect(refused).toMatchObject({ status: 403, code: 'HTTP_403', message: 'SMS Shield answered 403' });
    const unknown = await shieldAnswering(504, { verdict: 'allow', error: { code: 504 } })
      .send(send)
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ShieldOutcomeUnknownError);
    expect(unknown).toMatchObject({ code: 'SEND_OUTCOME_UNKNOWN', verdict: undefined });
  });

  it('the 504 of the shield carries the idempotency key to retry with', async () => {
    const error = await shieldAnswering(504, UNKNOWN)
      .send(send)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ idempotencyKey: 'send-7f3a', verdict });
  });

  it('the SNS drop-in surfaces a send timeout as ShieldOutcomeUnknownError', async () => {
    const client = new SNSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const shield = new ShieldClient({ baseUrl: 'https://shield.test', apiKey: 'ssk_test', fetch: hangingFetch(), timeoutMs: 30 });
    const sns = withSmsShield(client, { shield, context: () => ({ scenario: 'login', ip: '81.2.69.142', idempotencyKey: 'sns-1' }) });
    const error = await sns.send(new PublishCommand({ PhoneNumber: '+44 7400 123456', Message: 'Your code is 123456' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShieldOutcomeUnknownError);
    expect(error).toMatchObject({ code: 'CLIENT_TIMEOUT', idempotencyKey: 'sns-1' });
  });
});
