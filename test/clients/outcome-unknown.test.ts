/**
 * A 504 from a send route is neither "sent" nor "blocked": the typed client and the SNS drop-in
 * surface it as `ShieldOutcomeUnknownError`, so a caller's retry loop cannot mistake it for
 * "nothing was sent".
 */
import { Readable } from 'node:stream';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { ShieldBlockedError, ShieldClient, ShieldHttpError, ShieldOutcomeUnknownError } from '../../client/src/client';
import { withSmsShield } from '../../client/src/sns';

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
  return new ShieldClient({ baseUrl: 'http://shield.test', apiKey: 'ssk_test', fetch });
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
