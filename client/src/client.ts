/**
 * Typed Node client for the SMS Shield HTTP API v1, for a tenant's backend. Only `fetch`, no
 * dependencies. Non-2xx answers become a `ShieldHttpError`; a send that was blocked or
 * challenged (403 / 428 / 429) or failed at the provider (502) becomes a `ShieldBlockedError`
 * carrying the verdict; one whose outcome is unknown (504, a timeout, a dropped connection: the
 * SMS may have been sent) a `ShieldOutcomeUnknownError`.
 */
import { ShieldBase } from './base.js';
import type { ShieldConnectionOptions } from './transport.js';
import type {
  AttemptInput,
  ListEntry,
  ListEntryInput,
  ListEntryPage,
  ListKind,
  ListPageOptions,
  OtpSendInput,
  OtpVerifyInput,
  OtpVerifyResult,
  SendInput,
  SendResult,
  Verdict,
  VerificationReport,
} from './types.js';

export interface ShieldClientOptions extends ShieldConnectionOptions {
  /** The tenant API key (`ssk_…`). */
  readonly apiKey: string;
}

/** The tenant's own lists (`/v1/lists`). */
export interface TenantLists {
  /** Every entry, page after page. */
  list(): Promise<ListEntry[]>;
  /** One page (`limit` 1–500, default 100); pass `nextCursor` back as `cursor` for the next. */
  page(options?: ListPageOptions): Promise<ListEntryPage>;
  add(entry: ListEntryInput): Promise<ListEntry>;
  remove(kind: ListKind, value: string): Promise<{ removed: boolean }>;
}

/** Largest page a list read asks for. */
const PAGE = 500;

export class ShieldClient extends ShieldBase {
  constructor(options: ShieldClientOptions) {
    super('ShieldClient', options, { name: 'apiKey', value: options?.apiKey });
  }

  /** `POST /v1/sms/send`: verdict, then the SMS on allow; throws `ShieldBlockedError` otherwise. */
  send(input: SendInput): Promise<SendResult> {
    return this.sendCall('/v1/sms/send', input);
  }

  /** `POST /v1/verdicts`: the verdict only (counted as an attempt); never throws for a block. */
  async verdict(input: AttemptInput): Promise<Verdict> {
    const body = await this.call<{ verdict: Verdict }>({ method: 'POST', path: '/v1/verdicts', body: input });
    return body.verdict;
  }

  /** `POST /v1/otp/send`: the shield generates and sends the code. */
  otpSend(input: OtpSendInput): Promise<SendResult> {
    return this.sendCall('/v1/otp/send', input);
  }

  /** `POST /v1/otp/verify`. */
  otpVerify(input: OtpVerifyInput): Promise<OtpVerifyResult> {
    return this.call({ method: 'POST', path: '/v1/otp/verify', body: input });
  }

  /** `POST /v1/events/verification`: report the outcome when you check codes yourself. */
  reportVerification(input: VerificationReport): Promise<{ credited: boolean }> {
    return this.call({ method: 'POST', path: '/v1/events/verification', body: input });
  }

  /** The tenant's own block and allow lists. */
  readonly lists: TenantLists = {
    list: async () => {
      const entries: ListEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.lists.page({ limit: PAGE, cursor });
        entries.push(...page.entries);
        cursor = page.nextCursor;
      } while (cursor);
      return entries;
    },
    page: (options = {}) => this.call({ method: 'GET', path: '/v1/lists', query: { limit: options.limit, cursor: options.cursor } }),
    add: (entry) => this.call({ method: 'POST', path: '/v1/lists', body: entry }),
    remove: (kind, value) => this.call({ method: 'DELETE', path: '/v1/lists', query: { kind, value } }),
  };
}
