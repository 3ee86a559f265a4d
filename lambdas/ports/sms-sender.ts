/** Delivers one SMS. The only port that costs money. */
export interface SmsSender {
  /** Resolves with the provider's message id; rejects when the provider refused or failed. */
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
