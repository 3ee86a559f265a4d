import { createHash } from 'node:crypto';
import type { Clock } from '../ports/clock';
import type { IdempotencyStore } from '../ports/idempotency-store';
import { ShieldError, storeUnavailable } from '../domain/errors';
import type { SendOutcome } from './send-outcome';

export interface IdempotencyOptions {
  /**
   * How long an in-flight claim blocks duplicates, in seconds; longer than any request can
   * take (the API function's timeout), so a live attempt is never run twice. @default 60
   */
  readonly lockSeconds?: number;
  /** How long a finished response is replayed, in seconds. @default 86_400 */
  readonly retainSeconds?: number;
  /** Told when recording an outcome fails (the outcome is still returned). @default ignore */
  readonly onStoreError?: (error: unknown) => void;
}

/** What is replayed: the settled outcome, as the first request got it. */
type StoredOutcome = SendOutcome;

/** Outcomes stored before outcomes had kinds carried their HTTP status instead. */
const KIND_OF_STORED_STATUS: Readonly<Record<number, SendOutcome['kind']>> = {
  200: 'sent',
  403: 'refused',
  428: 'challenge',
  429: 'rate-limited',
  502: 'provider-failed',
  504: 'outcome-unknown',
};

/** A stored outcome as a kind, also when it was stored with an HTTP status (kept 24 h). */
function storedOutcome(json: string): StoredOutcome {
  const stored = JSON.parse(json) as StoredOutcome | (Omit<StoredOutcome, 'kind'> & { status: number });
  if ('kind' in stored) return stored;
  const { status, ...rest } = stored;
  return { ...rest, kind: KIND_OF_STORED_STATUS[status] ?? 'refused' } as StoredOutcome;
}

/**
 * Request deduplication for the sending routes. The first request with a key claims it with a
 * conditional write and runs; a retry with the same key (per tenant and route) gets the stored
 * response and never sends again. A retry while the first is still running gets 409
 * `IDEMPOTENCY_IN_PROGRESS` (retry shortly), a key reused with another body gets 422.
 * When nothing was sent and a retry is safe (provider failure, unexpected error) the claim is
 * given back, so the same key can be retried. When the SMS may have been sent (504
 * `SEND_OUTCOME_UNKNOWN`) the answer is kept like any other: a retry gets the 504 again, never
 * a second SMS.
 */
export class Idempotency {
  private readonly lockSeconds: number;
  private readonly retainSeconds: number;
  private readonly onStoreError: (error: unknown) => void;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly clock: Clock,
    options: IdempotencyOptions = {},
  ) {
    this.lockSeconds = options.lockSeconds ?? 60;
    this.retainSeconds = options.retainSeconds ?? 86_400;
    this.onStoreError = options.onStoreError ?? (() => undefined);
  }

  /**
   * Run `run` once per `idempotencyKey` of `tenant` and `route`. When the key cannot be claimed
   * because the store fails, `onUnavailable` decides: `refuse` answers 503 `STORE_UNAVAILABLE`
   * (nothing runs), `run` runs without deduplication (for scenarios that fail open).
   */
  async once(
    tenant: string,
    route: string,
    request: { readonly idempotencyKey?: string },
    run: () => Promise<SendOutcome>,
    onUnavailable: 'refuse' | 'run' = 'refuse',
  ): Promise<SendOutcome> {
    const { idempotencyKey, ...rest } = request;
    if (idempotencyKey === undefined) return run();
    const id = `${tenant}#${sha256(`${route}\n${idempotencyKey}`)}`;
    const fingerprint = sha256(canonicalJson(rest));
    const now = Math.floor(this.clock.now() / 1000);
    let existing: Awaited<ReturnType<IdempotencyStore['claim']>>;
    try {
      existing = await this.store.claim(id, fingerprint, now + this.lockSeconds, now);
    } catch (error) {
      this.onStoreError(error);
      // Nothing was claimed, so there is nothing to complete or release afterwards either.
      if (onUnavailable === 'run') return run();
      throw storeUnavailable(error);
    }
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw new ShieldError('IDEMPOTENCY_KEY_REUSED', 'This idempotencyKey was used with a different request body');
      }
      if (existing.state === 'in_progress') {
        throw new ShieldError('IDEMPOTENCY_IN_PROGRESS', 'A request with this idempotencyKey is still being processed; retry shortly', undefined, 1);
      }
      return storedOutcome(existing.response);
    }
    let outcome: SendOutcome;
    try {
      outcome = await run();
    } catch (error) {
      await this.store.release(id).catch(this.onStoreError);
      throw error;
    }
    // The outcome is real (an SMS may be out): a store failure must not turn it into an error.
    // Unrecorded, the claim stays in progress until its lock expires. Only a 502 (nothing sent)
    // frees the key; a 504 (may be sent) is kept, so a retry cannot send it twice.
    const settle =
      outcome.kind === 'provider-failed' ? this.store.release(id) : this.store.complete(id, fingerprint, JSON.stringify(outcome), now + this.retainSeconds);
    await settle.catch(this.onStoreError);
    return outcome;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so field order does not change the fingerprint. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
