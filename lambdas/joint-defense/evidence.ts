/** What one verdict event says about its number, its destination and its source. */
import type { VerdictEvent } from '../ports/event-store';
import { Reason } from '../domain/reasons';

/**
 * What the request itself showed that a person's request does not: automation, a datacenter,
 * a forged or burst-minted device token, a source the tenant listed (not a country mismatch:
 * travellers have one). A refused attempt is evidence about its
 * number or range only with one of these. Refused for the number's own recent attempts (velocity,
 * conversion, the live cross-tenant signal) or for shared reputation, it only says "this number
 * was asked for again": counting it would let one end user calling one app's endpoint grow an
 * entry, the owner's own retries renew it, and an entry feed on the refusals it causes.
 */
export const REQUESTER_SIGNALS: ReadonlySet<string> = new Set([
  Reason.AUTOMATION_USER_AGENT,
  Reason.HEADLESS_BROWSER,
  Reason.AUTOMATION_MARKERS,
  Reason.DATACENTER_IP,
  Reason.FOREIGN_DATACENTER,
  Reason.DEVICE_TOKEN_INVALID,
  Reason.DEVICE_MINT_VELOCITY,
  Reason.ACCOUNT_TAKEOVER_RISK,
  Reason.BLOCKLISTED_IP,
  Reason.BLOCKLISTED_DEVICE,
  Reason.BLOCKLISTED_ASN,
]);

/** How much an attempt says about its number or range (see `JointDefenseConfig`). */
export const Evidence = {
  None: 0,
  /** A verdict-only call: it counts only next to evidence from protected sends. */
  Corroborating: 1,
  Full: 2,
} as const;
export type Evidence = (typeof Evidence)[keyof typeof Evidence];

/**
 * A number asked for from abroad is also what pumping looks like; for a range or a country it is
 * evidence. Not for a single number: a travelling owner's refused retries must not count against
 * their own number (a range needs six different numbers, which no traveller has).
 */
export const DESTINATION_SIGNALS: ReadonlySet<string> = new Set([...REQUESTER_SIGNALS, Reason.COUNTRY_MISMATCH]);

export function evidenceOf(e: VerdictEvent, signals: ReadonlySet<string> = REQUESTER_SIGNALS): Evidence {
  if (e.decision !== 'allow' && e.decision !== undefined && !e.reasons?.some((r) => signals.has(r))) return Evidence.None;
  return e.via === 'verdict' ? Evidence.Corroborating : Evidence.Full;
}

/** The network an attempt came from; a non-public address (no subnet) counts as its tenant's own. */
export function networkOf(e: VerdictEvent): string {
  return e.subnet ?? `~${e.tenant}`;
}

/**
 * Blocked for its own behaviour: a block with a reason other than joint defense itself, so an
 * entry never sustains itself on the blocks it causes.
 */
export function blockedByOwnRules(e: VerdictEvent): boolean {
  if (e.decision !== 'block' || !e.reasons) return false;
  for (const reason of e.reasons) if (!reason.startsWith('JOINT_DEFENSE_')) return true;
  return false;
}
