import type { EventStore, VerdictEvent } from '../ports/event-store';
import type { Assessment } from './assessment';

/** Reasons kept per event: the hard one first, then the heaviest; enough to tell what stopped an attempt. */
const EVENT_REASONS = 6;

/** The short number reference that joins a verification event to its send. */
function eventRef(phoneHash: string): string {
  return phoneHash.slice(0, 12);
}

/**
 * The compact, hashed event of one settled verdict. Every event has the same fields (absent
 * ones undefined, dropped when serialised): one object shape keeps the job's loops fast.
 */
export function verdictEvent(a: Assessment, sent: boolean): VerdictEvent {
  const { verdict, subjects: s } = a;
  return {
    at: a.at,
    kind: 'send',
    tenant: a.tenant,
    ref: a.phoneHash === undefined ? undefined : eventRef(a.phoneHash),
    via: a.verdictOnly ? 'verdict' : undefined,
    scenario: a.scenario,
    decision: verdict.decision,
    sent,
    reasons: verdict.reasons.length > 0 ? verdict.reasons.slice(0, EVENT_REASONS) : undefined,
    number: s.number,
    range: s.range,
    country: s.country,
    ip: s.ip,
    subnet: s.subnet,
    device: s.device,
  };
}

/** The event of a verified code: which tenant, which number (by reference). */
export function verifyEvent(at: number, tenant: string, phoneHash: string): VerdictEvent {
  return {
    at,
    kind: 'verify',
    tenant,
    ref: eventRef(phoneHash),
    via: undefined,
    scenario: undefined,
    decision: undefined,
    sent: undefined,
    reasons: undefined,
    number: undefined,
    range: undefined,
    country: undefined,
    ip: undefined,
    subnet: undefined,
    device: undefined,
  };
}

/** Records events when an event store is configured; a failure is reported, never thrown. */
export class EventRecorder {
  constructor(
    private readonly events: EventStore | undefined,
    private readonly onError?: (error: unknown) => void,
  ) {}

  record(event: VerdictEvent): Promise<void> | undefined {
    if (!this.events) return undefined;
    return this.events.record(event).catch((error: unknown) => this.onError?.(error));
  }
}
