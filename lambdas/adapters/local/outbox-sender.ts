import { appendFile, mkdir } from 'node:fs/promises';
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
  private writes: Promise<void> = Promise.resolve();

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
      // Appends are chained so lines never interleave; a failed write fails this send.
      const write = this.writes.then(async () => {
        await mkdir(dirname(file), { recursive: true });
        await appendFile(file, `${JSON.stringify(message)}\n`, 'utf8');
      });
      this.writes = write.catch(() => undefined);
      await write;
    }
    return { messageId: message.messageId };
  }

  /** Messages of one tenant, newest last. */
  list(tenant: string): OutboxMessage[] {
    return this.messages.filter((m) => m.tenant === tenant);
  }
}
