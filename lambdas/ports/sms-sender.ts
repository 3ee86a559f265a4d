/** Delivers one SMS. The only port that costs money. */
export interface SmsSender {
  /**
   * Resolves with the provider's message id. Rejects with {@link SmsOutcomeUnknownError} when
   * the message may have gone out (the provider got the request but its answer was lost); any
   * other rejection means the provider refused or was never reached, so nothing was sent.
   */
  send(message: OutgoingSms): Promise<{ messageId: string }>;
}

export interface OutgoingSms {
  readonly tenant: string;
  /** E.164 destination. */
  readonly e164: string;
  /** Display-safe form of the destination for logs. */
  readonly masked: string;
  readonly body: string;
  /** Sender id or origination number, when the tenant has one. */
  readonly senderId?: string;
}

/**
 * The provider may or may not have accepted the message: the request reached it and its answer
 * never came (a timeout or a reset connection) or could not be read. Sending again could
 * deliver the SMS twice, and saying nothing was sent could be false.
 */
export class SmsOutcomeUnknownError extends Error {
  override readonly name = 'SmsOutcomeUnknownError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
