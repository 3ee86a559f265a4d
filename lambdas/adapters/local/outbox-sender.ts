import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Hasher } from '../../engine/hasher';
import type { OutgoingSms, SmsSender } from '../../ports/sms-sender';

/** One SMS as local mode "delivered" it. The number is kept masked and hashed, never plain. */
export interface OutboxMessage {
  readonly messageId: string;
  readonly at: string;
  readonly tenant: string;
  readonly to: string;
  readonly toHash: string;
  readonly body: string;
}

export interface OutboxOptions {
  /** JSON Lines file every message is appended to; omit to keep messages in memory only. */
  readonly file?: string;
  /** Prints one masked line per message, e.g. to the console. */
  readonly print?: (line: string) => void;
  /** How many messages to keep in memory for the outbox route and tests. @default 1000 */
  readonly keep?: number;
}

/** Local stand-in for SNS: the SMS "lands" in a file and in memory, not on a phone. */
export class OutboxSender implements SmsSender {
  private readonly messages: OutboxMessage[] = [];
  /** Lines waiting for the next append, each with the send that waits for it. */
  private pending: { line: string; done: (error?: unknown) => void }[] = [];
  private flushScheduled = false;
  private dirReady = false;

  constructor(
    private readonly hasher: Hasher,
    private readonly options: OutboxOptions = {},
  ) {}

  async send(sms: OutgoingSms): Promise<{ messageId: string }> {
    const message: OutboxMessage = {
      messageId: randomUUID(),
      at: new Date().toISOString(),
      tenant: sms.tenant,
      to: sms.masked,
      toHash: this.hasher(sms.e164),
      body: sms.body,
    };
    this.messages.push(message);
    if (this.messages.length > (this.options.keep ?? 1000)) this.messages.shift();
    this.options.print?.(`SMS to ${message.to} [${message.tenant}]: ${message.body}`);
    const file = this.options.file;
    if (file) {
      // A send returns once its line is on disk; a failed write fails this send.
      await new Promise<void>((resolve, reject) => {
        this.pending.push({ line: `${JSON.stringify(message)}\n`, done: (error) => (error === undefined ? resolve() : reject(error)) });
        if (!this.flushScheduled) {
          this.flushScheduled = true;
          setImmediate(() => this.flush(file));
        }
      });
    }
    return { messageId: message.messageId };
  }

  /**
   * Group commit: once per turn of the event loop, one append carries every line that arrived
   * in it — lines never interleave, and a burst of sends costs one append, not one each. The
   * append is synchronous (a local file, a few kilobytes at most): the asynchronous one took
   * three thread-pool round trips (open, write, close), each waiting for a turn of a loop busy
   * with verdicts, and made a send several times slower than a verdict under load. The file is
   * opened by name on every append, so a deleted outbox file is created again.
   */
  private flush(file: string): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      if (!this.dirReady) {
        mkdirSync(dirname(file), { recursive: true });
        this.dirReady = true;
      }
      appendFileSync(file, batch.map((p) => p.line).join(''), 'utf8');
    } catch (error) {
      this.dirReady = false;
      for (const p of batch) p.done(error ?? new Error('outbox write failed'));
      return;
    }
    for (const p of batch) p.done();
  }

  /** Messages of one tenant, newest last. */
  list(tenant: string): OutboxMessage[] {
    return this.messages.filter((m) => m.tenant === tenant);
  }
}
