import type { Verdict } from '../domain/types';

/** What happened to a protected send, as kinds: `handlers/` maps each to its HTTP status. */
export type SendOutcomeKind = SendOutcome['kind'];

/**
 * The answer to a send. `sent` is the truth: `true` with a message id, `false` when nothing
 * went out, `null` (`outcome-unknown`) when the provider's answer was lost and the SMS may be
 * out: the quota stays taken, a code stays verifiable, and a retry with the same idempotency key
 * gets this answer again instead of a second SMS. `body` is the wire body, whatever the kind.
 */
export type SendOutcome =
  | { readonly kind: 'sent'; readonly body: { decision: 'allow'; sent: true; messageId: string; verdict: Verdict } }
  | { readonly kind: 'refused' | 'challenge' | 'provider-failed'; readonly body: RefusedBody }
  | { readonly kind: 'rate-limited'; readonly body: RefusedBody; readonly retryAfterSeconds: number }
  | {
      readonly kind: 'outcome-unknown';
      readonly body: { decision: string; sent: null; verdict: Verdict; error: { code: 'SEND_OUTCOME_UNKNOWN'; message: string } };
    };

interface RefusedBody {
  decision: string;
  sent: false;
  verdict: Verdict;
  error?: { code: string; message: string };
}
