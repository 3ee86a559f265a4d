import type { EventStore } from '../ports/event-store';
import { type ListEntry, type ListStore, listKeyId } from '../ports/list-store';
import { aggregateReputation, jointDefenseConfig, type JointDefenseOverrides } from './aggregate';

export interface JointDefenseJobDeps {
  readonly events: EventStore;
  readonly lists: ListStore;
  /** Thresholds and windows. @default DEFAULT_JOINT_DEFENSE */
  readonly config?: JointDefenseOverrides;
  /** Events read per run at most (newest first): bounds the work of one run. @default 200_000 */
  readonly maxEvents?: number;
  /** Entries written in parallel. @default 16 */
  readonly writeConcurrency?: number;
}

/** What one run did, for logs and metrics. */
export interface JointDefenseReport {
  readonly events: number;
  /** More events existed than `maxEvents`: the run judged the newest ones only. */
  readonly truncated: boolean;
  /** Entries the events support right now. */
  readonly promoted: number;
  /** Entries written (new, stronger, or due for a TTL refresh); the rest were already there. */
  readonly written: number;
  /** Promoted entries by reason code. */
  readonly byReason: Record<string, number>;
}

/**
 * One run of the joint-defense job: read the window's events, compute shared reputation, and
 * write what is new or due for refresh to the `rep` scope of the list store. Idempotent (entries
 * are keyed; a second run at the same time writes nothing) and bounded (`maxEvents` read,
 * `maxEntries` written). A failure rejects, so the scheduler counts an error and the alarm sees it.
 */
export async function runJointDefense(deps: JointDefenseJobDeps, nowMs: number): Promise<JointDefenseReport> {
  const config = jointDefenseConfig(deps.config);
  const { events, truncated } = await deps.events.read(nowMs - config.windowMinutes * 60_000, nowMs, deps.maxEvents ?? 200_000);
  const entries = aggregateReputation(events, nowMs, config);
  const nowSeconds = Math.floor(nowMs / 1000);
  const existing = new Map((await deps.lists.getMany(entries, nowSeconds)).map((e) => [listKeyId(e), e]));
  const writes: ListEntry[] = [];
  for (const entry of entries) {
    const merged = mergeEntry(existing.get(listKeyId(entry)), entry);
    if (merged) writes.push(merged);
  }
  await inBatches(writes, deps.writeConcurrency ?? 16, (entry) => deps.lists.put(entry));
  const byReason: Record<string, number> = {};
  for (const e of entries) byReason[e.reason ?? '?'] = (byReason[e.reason ?? '?'] ?? 0) + 1;
  return { events: events.length, truncated, promoted: entries.length, written: writes.length, byReason };
}

/**
 * What to write for a freshly promoted entry given the live one under its key, or undefined
 * when the live one already says as much: same reason, no weaker evidence than half the new
 * one's, and at least three quarters of the new TTL left. A longer-lived entry (e.g. from a
 * partner feed) keeps its expiry.
 */
export function mergeEntry(current: ListEntry | undefined, next: ListEntry): ListEntry | undefined {
  if (!current) return next;
  const ttl = (next.expiresAt ?? 0) - next.createdAt;
  const fresh = current.expiresAt === undefined || current.expiresAt >= next.createdAt + 0.75 * ttl;
  const strong = (current.evidence ?? 0) * 2 >= (next.evidence ?? 0) && (current.confidence ?? 1) >= (next.confidence ?? 1) - 0.25;
  if (current.reason === next.reason && current.source === next.source && fresh && strong) return undefined;
  return { ...next, expiresAt: Math.max(current.expiresAt ?? 0, next.expiresAt ?? 0) };
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/** A job on a fixed cadence, as the replay (simulated time) and local mode run it. */
export interface CadenceJob {
  readonly name: string;
  readonly everyMs: number;
  run(nowMs: number): Promise<void>;
}

/** The joint-defense job at its cadence (EventBridge runs it every minute in AWS). */
export function jointDefenseJob(deps: JointDefenseJobDeps, everyMs = 60_000, onReport?: (report: JointDefenseReport, nowMs: number) => void): CadenceJob {
  return {
    name: 'joint-defense',
    everyMs,
    run: async (nowMs) => {
      const report = await runJointDefense(deps, nowMs);
      onReport?.(report, nowMs);
    },
  };
}
