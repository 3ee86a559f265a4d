import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShieldBlockedError, ShieldClient, ShieldHttpError } from '../../client/src/index';
import { SHIELD_ATTRIBUTES, ShieldContextError, withSmsShield } from '../../client/src/sns';
import { startLocalServer, type LocalServer } from '../../lambdas/local/server';
import { ManualClock } from '../../lambdas/ports/clock';
import type { ServiceLogger } from '../../lambdas/service/shield-service';
import { T0 } from '../support/engine';

const logger: ServiceLogger = { info: () => {}, warn: () => {}, error: () => {} };
let server: LocalServer;
let dir: string;
let shield: ShieldClient;

/**
 * A stand-in SNS at the transport: the real SDK serializes the command through its whole
 * middleware stack (ours included) and this records the wire request. (aws-sdk-client-mock
 * stubs `send` itself, which would skip the middleware under test.)
 */
function fakeSns() {
  const requests: { path: string; body: URLSearchParams }[] = [];
  const requestHandler = {
    handle: async (request: { path: string; body?: unknown }) => {
      requests.push({ path: request.path, body: new URLSearchParams(String(request.body ?? '')) });
      const xml =
        '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>sns-topic-message</MessageId></PublishResult>' +
        '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></PublishResponse>';
      return { response: { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(xml)]) } };
    },
  };
  const client = new SNSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: requestHandler as never,
    maxAttempts: 1,
  });
  return { client, requests };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-sns-'));
  server = await startLocalServer({ port: 0, dataDir: dir, logger, clock: new ManualClock(T0), jointDefenseEveryMs: 0 });
  shield = new ShieldClient({ baseUrl: server.url, apiKey: server.demoApiKey ?? '' });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('SNS drop-in middleware', () => {
  it('sends a phone publish through the shield into the outbox, not to SNS', async () => {
    const { client, requests } = fakeSns();
    const sns = withSmsShield(client, { shield, context: () => ({ scenario: 'login', ip: '81.2.69.142', device: 'sns-test-device' }) });
    const out = await sns.send(new PublishCommand({ PhoneNumber: '+44 7400 111222', Message: 'Your code is 424242' }));
    expect(out.MessageId).toBeTruthy();
    expect(requests).toHaveLength(0);
    const messages = server.outbox.list('demo');
    expect(messages.some((m) => JSON.stringify(m).includes(out.MessageId ?? 'none'))).toBe(true);
  });

  it('passes a topic publish to SNS untouched', async () => {
    const { client, requests } = fakeSns();
    const sns = withSmsShield(client, { shield, defaultScenario: 'other' });
    const before = server.outbox.list('demo').length;
    const out = await sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:orders', Message: 'order shipped' }));
    expect(out.MessageId).toBe('sns-topic-message');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.body.get('Action')).toBe('Publish');
    expect(requests[0]?.body.get('TopicArn')).toBe('arn:aws:sns:eu-west-1:123456789012:orders');
    expect(requests[0]?.body.get('Message')).toBe('order shipped');
    expect(server.outbox.list('demo')).toHaveLength(before);
  });

  it('passes other commands through', async () => {
    const { client, requests } = fakeSns();
    const sns = withSmsShield(client, { shield });
    await sns.send(new ListTopicsCommand({})).catch(() => undefined); // the fake answers a Publish body; only the routing matters
    expect(requests[0]?.body.get('Action')).toBe('ListTopics');
  });

  it('reads the context from message attributes, which win over the hook', async () => {
    const { client, requests } = fakeSns();
    const sns = withSmsShield(client, { shield, context: () => ({ scenario: 'login', ip: '10.0.0.1' }) });
    const out = await sns.send(
      new PublishCommand({
        PhoneNumber: '+44 7400 333444',
        Message: 'Your code is 111111',
        MessageAttributes: {
          [SHIELD_ATTRIBUTES.scenario]: { DataType: 'String', StringValue: 'register' },
          [SHIELD_ATTRIBUTES.ip]: { DataType: 'String', StringValue: '81.2.69.143' },
        },
      }),
    );
    expect(out.MessageId).toBeTruthy();
    expect(requests).toHaveLength(0);
  });

  it('surfaces a blocked verdict as a typed error with reasons', async () => {
    const { client, requests } = fakeSns();
    const sns = withSmsShield(client, { shield, context: () => ({ scenario: 'register', ip: '81.2.69.142' }) });
    const error = await sns.send(new PublishCommand({ PhoneNumber: '+44 909 879 0000', Message: 'Your code is 123456' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShieldBlockedError);
    const blocked = error as ShieldBlockedError;
    expect(blocked.status).toBe(403);
    expect(blocked.decision).toBe('block');
    expect(blocked.reasons[0]).toBe('PREMIUM_RATE_NUMBER');
    expect(requests).toHaveLength(0);
  });

  it('fails before any request when the scenario or IP is missing', async () => {
    const { client, requests } = fakeSns();
    const sns = withSmsShield(client, { shield });
    await expect(sns.send(new PublishCommand({ PhoneNumber: '+44 7400 555666', Message: 'x' }))).rejects.toBeInstanceOf(ShieldContextError);
    expect(requests).toHaveLength(0);
  });
});

describe('typed HTTP client', () => {
  it('sends, and reports a rate limit with retryAfterSeconds', async () => {
    const input = { phone: '+44 7400 777888', scenario: 'login' as const, ip: '81.2.69.150', device: 'client-dev', message: 'Your code is 123456' };
    const first = await shield.send(input);
    expect(first).toMatchObject({ decision: 'allow', sent: true });
    const error = await shield.send(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShieldBlockedError);
    expect((error as ShieldBlockedError).status).toBe(429);
    expect((error as ShieldBlockedError).reasons).toContain('NUMBER_VELOCITY');
    expect((error as ShieldBlockedError).retryAfterSeconds).toBeGreaterThan(0);
  });

  it('asks for a verdict without sending', async () => {
    const verdict = await shield.verdict({ phone: '+44 909 879 0000', scenario: 'register', ip: '81.2.69.142' });
    expect(verdict.decision).toBe('block');
    expect(verdict.reasons).toContain('PREMIUM_RATE_NUMBER');
  });

  it('sends and verifies an OTP, and reports verifications', async () => {
    const sent = await shield.otpSend({ phone: '+44 7400 222333', scenario: 'login', ip: '81.2.69.151', device: 'otp-dev', template: 'Code: {code}' });
    expect(sent.sent).toBe(true);
    const message = server.outbox.list('demo').find((m) => JSON.stringify(m).includes(sent.messageId));
    const code = /Code: (\d+)/.exec(JSON.stringify(message))?.[1];
    expect(code).toBeTruthy();
    expect(await shield.otpVerify({ phone: '+44 7400 222333', code: '0000000' })).toMatchObject({ verified: false, reason: 'WRONG_CODE' });
    expect(await shield.otpVerify({ phone: '+44 7400 222333', code: code ?? '' })).toEqual({ verified: true });
    expect(await shield.reportVerification({ phone: '+44 7400 777888', success: true })).toHaveProperty('credited');
  });

  it('manages lists', async () => {
    await shield.lists.add({ kind: 'ip', value: '203.0.113.9', action: 'block', reason: 'test' });
    expect((await shield.lists.list()).map((e) => e.value)).toContain('203.0.113.9');
    expect(await shield.lists.remove('ip', '203.0.113.9')).toEqual({ removed: true });
    expect((await shield.lists.list()).map((e) => e.value)).not.toContain('203.0.113.9');
  });

  it('turns error statuses into typed errors', async () => {
    const bad = new ShieldClient({ baseUrl: server.url, apiKey: 'ssk_wrong' });
    await expect(bad.verdict({ phone: '+44 7400 123456', scenario: 'login', ip: '81.2.69.142' })).rejects.toMatchObject({
      name: 'ShieldHttpError',
      status: 401,
      code: 'UNAUTHORIZED',
    });
    const invalid = await shield.verdict({ phone: '+44 7400 123456', scenario: 'login', ip: 'not-an-ip' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ShieldHttpError);
    expect((invalid as ShieldHttpError).status).toBe(400);
  });
});
