/**
 * The real `SnsSmsSender` on a real `SNSClient` configured by `snsClientConfig()`, against a
 * stand-in SNS on 127.0.0.1 that hangs, resets, stalls, throttles or fails on demand: the
 * publish gives up within its bound, an answer that may have been lost comes back as
 * `SmsOutcomeUnknownError`, and only what SNS certainly did not take is retried.
 */
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SnsSmsSender, publishFailure, publishRetryStrategy } from '../../lambdas/adapters/aws/sns-sms-sender';
import { snsClientConfig } from '../../lambdas/handlers/compose';
import { createMemoryStores } from '../../lambdas/adapters/memory/memory-stores';
import { composeShield } from '../../lambdas/handlers/compose';
import { systemClock } from '../../lambdas/ports/clock';
import { SmsOutcomeUnknownError, type OutgoingSms } from '../../lambdas/ports/sms-sender';
import { createTenant } from '../../lambdas/service/tenant-admin';
import { invoke } from '../support/api-event';
import { BROWSER_UA, hasher, testGeo } from '../support/engine';

const TIMEOUTS = { connectionTimeoutMs: 200, requestTimeoutMs: 300 };
/** Generous: a bound, not a benchmark. */
const BOUND_MS = 3 * TIMEOUTS.requestTimeoutMs;

const sms: OutgoingSms = { tenant: 'shop', e164: '+447400123456', masked: '+44 74** ***456', body: 'Your code is 123456' };

type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;
const xml = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(body);
};
const published = (res: ServerResponse) =>
  xml(
    res,
    200,
    '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>sns-message-1</MessageId></PublishResult>' +
      '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></PublishResponse>',
  );
const snsError = (res: ServerResponse, status: number, code: string, message: string) =>
  xml(
    res,
    status,
    `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${status < 500 ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-err</RequestId></ErrorResponse>`,
  );

let server: Server;
let port: number;
const sockets = new Set<Socket>();
/** What the stand-in does with the n-th request (0-based); the last one repeats. */
let behaviours: Behaviour[] = [];
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const behaviour = behaviours[Math.min(requests, behaviours.length - 1)];
    requests++;
    // Read the whole request first: it has reached "SNS" before anything goes wrong.
    req.resume();
    req.on('end', () => behaviour?.(req, res));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterEach(() => {
  for (const socket of sockets) socket.destroy();
  requests = 0;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function client(config: SNSClientConfig = snsClientConfig(TIMEOUTS), endpointPort = port): SNSClient {
  return new SNSClient({
    ...config,
    endpoint: `http://127.0.0.1:${endpointPort}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** Publish once; the error it rejects with (or undefined) and how long it took. */
async function publish(sns: SNSClient): Promise<{ error: unknown; result?: { messageId: string }; ms: number }> {
  const started = performance.now();
  try {
    const result = await new SnsSmsSender(sns).send(sms);
    return { error: undefined, result, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  } finally {
    sns.destroy();
  }
}

describe('SnsSmsSender against a stand-in SNS on 127.0.0.1', () => {
  it('publishes and returns the message id', async () => {
    behaviours = [(_req, res) => published(res)];
    const { result } = await publish(client());
    expect(result).toEqual({ messageId: 'sns-message-1' });
    expect(requests).toBe(1);
  });

  it('gives up on a hanging SNS within the bound, reports the outcome as unknown, and does not retry', async () => {
    behaviours = [() => undefined];
    const { error, ms } = await publish(client());
    expect(error).toBeInstanceOf(SmsOutcomeUnknownError);
    expect((error as Error).message).toMatch(/TimeoutError ETIMEDOUT/);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUTS.requestTimeoutMs - 20);
    expect(ms).toBeLessThan(BOUND_MS);
    // Give a retry, had there been one, time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requests).toBe(1);
  });

  it('reports a connection reset after the request was sent as unknown, without a retry', async () => {
    behaviours = [(req) => req.socket.destroy()];
    const { error, ms } = await publish(client());
    expect(error).toBeInstanceOf(SmsOutcomeUnknownError);
    expect((error as Error).message).toMatch(/ECONNRESET/);
    expect(ms).toBeLessThan(BOUND_MS);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requests).toBe(1);
  });

  it('gives up on an answer whose body stalls after a 200 (socketTimeout), as unknown', async () => {
    behaviours = [
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/xml', 'content-length': '400' });
        res.write('<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">');
      },
    ];
    const { error, ms } = await publish(client());
    expect(error).toBeInstanceOf(SmsOutcomeUnknownError);
    expect(ms).toBeLessThan(BOUND_MS + TIMEOUTS.requestTimeoutMs);
    expect(requests).toBe(1);
  });

  it('reports a 200 without a MessageId as unknown (SNS took it)', async () => {
    behaviours = [(_req, res) => xml(res, 200, '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult/></PublishResponse>')];
    const { error } = await publish(client());
    expect(error).toBeInstanceOf(SmsOutcomeUnknownError);
  });

  it('retries a throttled publish once, and it goes out', async () => {
    behaviours = [(_req, res) => snsError(res, 429, 'Throttled', 'Rate exceeded'), (_req, res) => published(res)];
    const { result, ms } = await publish(client());
    expect(result).toEqual({ messageId: 'sns-message-1' });
    expect(requests).toBe(2);
    expect(ms).toBeLessThan(BOUND_MS + 500);
  });

  it('stops after two throttled attempts with the service error, not an unknown outcome', async () => {
    behaviours = [(_req, res) => snsError(res, 429, 'Throttled', 'Rate exceeded')];
    const { error } = await publish(client());
    expect(error).not.toBeInstanceOf(SmsOutcomeUnknownError);
    expect(error).toMatchObject({ name: 'ThrottledException', $metadata: { httpStatusCode: 429 } });
    expect(requests).toBe(2);
  });

  it('does not retry a 5xx (SNS may have taken it) and does not call it unknown (SNS answered)', async () => {
    behaviours = [(_req, res) => snsError(res, 500, 'InternalError', 'Internal failure')];
    const { error } = await publish(client());
    expect(error).not.toBeInstanceOf(SmsOutcomeUnknownError);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 500 } });
    expect(publishFailure(error)).toBe('rejected');
    expect(requests).toBe(1);
  });

  it('does not retry an invalid parameter answer', async () => {
    behaviours = [(_req, res) => snsError(res, 400, 'InvalidParameter', 'Invalid parameter: PhoneNumber')];
    const { error } = await publish(client());
    expect(error).toMatchObject({ name: 'InvalidParameterException' });
    expect(publishFailure(error)).toBe('rejected');
    expect(requests).toBe(1);
  });

  it('reports a refused connection as not sent (nothing reached SNS), quickly', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const { error, ms } = await publish(client(snsClientConfig(TIMEOUTS), closedPort));
    expect(error).not.toBeInstanceOf(SmsOutcomeUnknownError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(publishFailure(error)).toBe('not-connected');
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('reports a connect timeout as not sent: the request never got a connection', async () => {
    // One socket, held by a hanging publish: the second publish never connects.
    behaviours = [() => undefined];
    const base = snsClientConfig({ connectionTimeoutMs: 100, requestTimeoutMs: 600 });
    const httpAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const config = { ...base, requestHandler: { ...(base.requestHandler as object), httpAgent } } as SNSClientConfig;
    const sns = client(config);
    const sender = new SnsSmsSender(sns);
    const first = sender.send(sms).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await sender.send(sms).catch((error: unknown) => error);
    expect(second).not.toBeInstanceOf(SmsOutcomeUnknownError);
    expect(second).toMatchObject({ name: 'TimeoutError', message: expect.stringMatching(/did not establish a connection/) });
    expect(publishFailure(second)).toBe('not-connected');
    expect(await first).toBeInstanceOf(SmsOutcomeUnknownError);
    expect(requests).toBe(1);
    sns.destroy();
    httpAgent.destroy();
  });
});

describe('the API in front of a hanging SNS', () => {
  it('answers 504 SEND_OUTCOME_UNKNOWN within the bound, and a retry with the same key replays it without a second publish', async () => {
    behaviours = [() => undefined];
    const sns = client();
    const { counters, lists, verifications, idempotency, tenants } = createMemoryStores(systemClock);
    const app = composeShield({
      counters,
      lists,
      verifications,
      idempotency,
      geo: testGeo,
      tenants,
      sender: new SnsSmsSender(sns),
      hasher,
      clock: systemClock,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const { apiKey } = await createTenant(tenants, { id: 'shop' }, Date.now());
    const body = {
      phone: '+44 7400 123456',
      scenario: 'login',
      ip: '81.2.69.142',
      userAgent: BROWSER_UA,
      device: 'device-1',
      message: 'Your code is 123456',
      idempotencyKey: 'k-1',
    };

    const started = performance.now();
    const first = await invoke(app.handler, 'POST', '/v1/sms/send', { key: apiKey, body });
    const ms = performance.now() - started;
    expect(first.status).toBe(504);
    expect(first.body).toMatchObject({ sent: null, error: { code: 'SEND_OUTCOME_UNKNOWN' } });
    expect(ms).toBeLessThan(BOUND_MS);

    const retry = await invoke(app.handler, 'POST', '/v1/sms/send', { key: apiKey, body });
    expect(retry).toEqual(first);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requests).toBe(1);
    sns.destroy();
  });
});

describe('publishFailure', () => {
  const withStatus = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
  it.each([
    [
      'the SDK request timeout',
      Object.assign(new Error('a request has exceeded the configured 3000 ms requestTimeout'), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
        $metadata: { attempts: 1 },
      }),
      'unknown',
    ],
    ['a reset connection (renamed by the handler)', Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }), 'unknown'],
    ['a broken pipe', Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }), 'unknown'],
    ['an idle socket timeout', Object.assign(new Error('the request socket timed out after 3000 ms of inactivity'), { name: 'TimeoutError' }), 'unknown'],
    ['an unreadable 200', withStatus('SyntaxError', 200), 'unknown'],
    ['something unrecognised', new Error('boom'), 'unknown'],
    ['not an Error', 'boom', 'unknown'],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED', syscall: 'connect' }), 'not-connected'],
    [
      'a DNS failure',
      Object.assign(new Error('getaddrinfo ENOTFOUND sns.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND', syscall: 'getaddrinfo' }),
      'not-connected',
    ],
    ['an unreachable network on connect', Object.assign(new Error('connect ENETUNREACH'), { code: 'ENETUNREACH', syscall: 'connect' }), 'not-connected'],
    [
      'the SDK connect timeout',
      Object.assign(
        new Error('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 1000 ms.'),
        { name: 'TimeoutError' },
      ),
      'not-connected',
    ],
    ['missing credentials', Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }), 'not-connected'],
    ['SNS throttling (429)', withStatus('ThrottledException', 429), 'throttled'],
    ['a throttling code on a 400', withStatus('Throttling', 400), 'throttled'],
    ['an invalid parameter', withStatus('InvalidParameterException', 400), 'rejected'],
    ['an opted-out number', withStatus('OptedOutException', 400), 'rejected'],
    ['a 5xx', withStatus('InternalErrorException', 500), 'rejected'],
  ])('%s: %s', (_label, error, expected) => {
    expect(publishFailure(error)).toBe(expected);
  });
});

describe('publishRetryStrategy', () => {
  const retry = async (error: unknown, count = 0) => {
    const strategy = publishRetryStrategy({ throttledDelayMs: 1, notConnectedDelayMs: 1 });
    const token = { getRetryCount: () => count, getRetryDelay: () => 0 };
    return strategy.refreshRetryTokenForRetry(token, { error: error as never, errorType: 'TRANSIENT' }).then(
      (next) => next.getRetryCount(),
      () => 'no retry',
    );
  };
  it('retries throttling and a connection that never opened, once', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException', $metadata: { httpStatusCode: 429 } });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', syscall: 'connect' });
    expect(await retry(throttled)).toBe(1);
    expect(await retry(refused)).toBe(1);
    expect(await retry(throttled, 1)).toBe('no retry');
  });
  it('never retries what SNS may have taken, whatever the SDK calls it', async () => {
    expect(await retry(Object.assign(new Error('timeout'), { name: 'TimeoutError', code: 'ETIMEDOUT' }))).toBe('no retry');
    expect(await retry(Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }))).toBe('no retry');
    expect(await retry(Object.assign(new Error('Internal'), { name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } }))).toBe('no retry');
  });
});
