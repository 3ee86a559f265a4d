import { PublishCommand, type SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { SmsOutcomeUnknownError, type OutgoingSms, type SmsSender } from '../../ports/sms-sender';

/** Sends through Amazon SNS as a Transactional SMS (higher delivery priority than Promotional). */
export class SnsSmsSender implements SmsSender {
  constructor(
    private readonly client: SNSClient,
    private readonly senderId?: string,
  ) {}

  /** Rejects with `SmsOutcomeUnknownError` when SNS may have taken the publish (see `publishFailure`). */
  async send(sms: OutgoingSms): Promise<{ messageId: string }> {
    const senderId = sms.senderId ?? this.senderId;
    let messageId: string | undefined;
    try {
      const result = await this.client.send(
        new PublishCommand({
          PhoneNumber: sms.e164,
          Message: sms.body,
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
            ...(senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: senderId } } : {}),
          },
        }),
      );
      messageId = result.MessageId;
    } catch (error) {
      if (publishFailure(error) === 'unknown') {
        // Name and code only: the cause's message can echo the request.
        const { name, code } = error as { name?: string; code?: string };
        throw new SmsOutcomeUnknownError(`The publish may have reached SNS, its answer did not come back (${name ?? 'Error'}${code ? ` ${code}` : ''})`, {
          cause: error,
        });
      }
      throw error;
    }
    if (!messageId) throw new SmsOutcomeUnknownError('SNS accepted the publish but returned no MessageId');
    return { messageId };
  }
}

/**
 * What a failed publish says about the SMS:
 * - `throttled`: SNS answered with a throttling error, it did not take the message (a retry is safe);
 * - `not-connected`: the request never reached SNS (connection refused, DNS failure, connect
 *   timeout, no credentials), nothing was sent (a retry is safe);
 * - `rejected`: SNS answered with another error (invalid parameter, opted-out number, 5xx):
 *   it did not accept the message, but a 5xx is not retried, in case it did;
 * - `unknown`: the request may have reached SNS and its answer was lost (a request timeout, a
 *   connection reset or broken after connecting, an answer that could not be read, anything
 *   unrecognised): the SMS may be out, so it is neither retried nor reported as not sent.
 */
export type PublishFailure = 'throttled' | 'not-connected' | 'rejected' | 'unknown';

const THROTTLING_ERRORS = new Set([
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'KMSThrottlingException',
]);
/** Node system error codes and calls that fail before a connection exists. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const NOT_CONNECTED_SYSCALLS = new Set(['connect', 'getaddrinfo']);
/** How `@smithy/node-http-handler` words its connect timeout (its request timeout carries `code: 'ETIMEDOUT'`). */
const CONNECT_TIMEOUT = /did not establish a connection/;

/** Classify a publish error; see {@link PublishFailure}. */
export function publishFailure(error: unknown): PublishFailure {
  if (!(error instanceof Error)) return 'unknown';
  const { name, code, syscall, $metadata, $retryable } = error as Error & {
    code?: string;
    syscall?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: { throttling?: boolean };
  };
  const status = $metadata?.httpStatusCode;
  if (typeof status === 'number') {
    // A success status that still failed (an unreadable answer): SNS took the message.
    if (status >= 200 && status < 300) return 'unknown';
    return status === 429 || THROTTLING_ERRORS.has(name) || $retryable?.throttling === true ? 'throttled' : 'rejected';
  }
  if ((code && NOT_CONNECTED_CODES.has(code)) || (syscall && NOT_CONNECTED_SYSCALLS.has(syscall))) return 'not-connected';
  if (name === 'TimeoutError' && !code && CONNECT_TIMEOUT.test(error.message)) return 'not-connected';
  if (name === 'CredentialsProviderError') return 'not-connected';
  return 'unknown';
}

type RetryStrategyV2 = Extract<NonNullable<SNSClientConfig['retryStrategy']>, { acquireInitialRetryToken: unknown }>;
type RetryToken = Awaited<ReturnType<RetryStrategyV2['acquireInitialRetryToken']>>;

export interface PublishRetryOptions {
  /** Attempts in all, the first included. @default 2 */
  readonly maxAttempts?: number;
  /** Upper bound of the random wait before retrying a throttled publish, in ms. @default 500 */
  readonly throttledDelayMs?: number;
  /** Upper bound of the random wait before retrying a publish that never connected, in ms. @default 100 */
  readonly notConnectedDelayMs?: number;
}

/**
 * The SDK's standard strategy retries timeouts, resets and 5xx: for a Publish that may send
 * the SMS twice. This one retries only what SNS certainly did not take — throttling answers
 * and requests that never connected — with full jitter, and nothing else.
 */
export function publishRetryStrategy(options: PublishRetryOptions = {}): RetryStrategyV2 {
  const maxAttempts = options.maxAttempts ?? 2;
  const token = (count: number, delay: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delay });
  return {
    acquireInitialRetryToken: async () => token(0, 0),
    refreshRetryTokenForRetry: async (previous, { error }) => {
      const failure = publishFailure(error);
      if (previous.getRetryCount() + 1 >= maxAttempts || (failure !== 'throttled' && failure !== 'not-connected')) {
        throw error ?? new Error('No retry for this publish');
      }
      const bound = failure === 'throttled' ? (options.throttledDelayMs ?? 500) : (options.notConnectedDelayMs ?? 100);
      // The retry middleware waits `getRetryDelay()` before the next attempt.
      return token(previous.getRetryCount() + 1, Math.floor(Math.random() * bound));
    },
    recordSuccess: () => undefined,
  };
}
