import { type EventStore, minuteOf } from '../ports/event-store';
import { type ListEntry, type ListStore, listKeyId } from '../ports/list-store';
import type { PartialStore } from '../ports/partial-store';
import { jointDefenseConfig, type JointDefenseOverrides } from './aggregate';
import { MemoryPartialStore } from './memory-partials';
import { foldMinute, type MinutePartial } from './partial';
import { PromotionIndex, promote, windowMinutes } from './promote';

export interface JointDefenseJobDeps {
  readonly events: EventStore;
  readonly lists: ListStore;
  /** Where folded minutes are kept. @default one store in process memory per event store */
  readonly partials?: PartialStore<MinutePartial>;
  /** Thresholds and windows. @default DEFAULT_JOINT_DEFENSE */
  readonly config?: JointDefenseOverrides;
  /**
   * Events folded per minute at most: bounds the memory of one fold. A minute with more is
   * folded from the newest ones and the run says so (`truncated`), which an alarm watches.
   * @default 1_000_000
   */
  readonly maxEventsPerMinute?: number;
  /**
   * How long after its end a minute is folded and stored for good: events written later than
   * that are never counted, so it must exceed how late an event can be written (the API
   * function's timeout). Younger minutes are read raw by each run. @default 0
   */
  readonly foldLagMs?: number;
  /** Entries written in parallel. @default 16 */
  readonly writeConcurrency?: number;
}

/** What one run did, for logs and metrics. */
export interface JointDefenseReport {
  /** Raw events read: the minutes folded by this run and the ones too young to fold. */
  readonly events: number;
  /** Minutes this run folded and stored. */
  readonly folded: number;
  /** Partials the promotion judged (the window's minutes). */
  readonly partials: number;
  /**
   * Evidence was dropped: a minute this run read had more events than `maxEventsPerMinute`.
   * Never silent: the metric of it has an alarm.
   */
  readonly truncated: boolean;
  /** Details the window's partials dropped at their per-minute caps (saturated subjects). */
  readonly saturated: number;
  /** Entries the events support right now. */
  readonly promoted: number;
  /** Entries written (new, stronger, or due for a TTL refresh); the rest were already there. */
  readonly written: number;
  /** Promoted entries by reason code. */
  readonly byReason: Record<string, number>;
}

/**
 * What the job keeps between runs in one process, per partial store: the window's partials
 * (a minute, once folded and stored, never changes), and the promotion's running index.
 */
interface JobState {
  readonly partials: Map<number, MinutePartial>;
  index?: PromotionIndex;
  indexConfig?: string;
}
const states = new WeakMap<PartialStore<MinutePartial>, JobState>();
const defaultPartials = new WeakMap<EventStore, MemoryPartialStore<MinutePartial>>();

/**
 * One run of the joint-defense job: fold each closed minute of the window once into its partial
 * (stored), fold the minutes too young to store afresh, promote shared reputation from the
 * window's partials, and write what is new or due for refresh to the `rep` scope of the list
 * store. Each event is read once when its minute is folded, plus once per run while its minute
 * is younger than `foldLagMs` (and open): not once per run for the whole window. Idempotent
 * (entries are keyed; a second run at the same time writes nothing) and bounded (at most the
 * window's minutes folded, `maxEventsPerMinute` each, `maxEntries` written). A failure rejects,
 * so the scheduler counts an error and the alarm sees it.
 */
export async function runJointDefense(deps: JointDefenseJobDeps, nowMs: number): Promise<JointDefenseReport> {
  const config = jointDefenseConfig(deps.config);
  const store = deps.partials ?? partialsOf(deps.events);
  let state = states.get(store);
  if (!state) states.set(store, (state = { partials: new Map() }));
  const limit = deps.maxEventsPerMinute ?? 1_000_000;
  const { from, to } = windowMinutes(nowMs, config);
  // Minutes before `closed` are stored once folded; later ones (the open one, and the last
  // `foldLagMs`) are folded afresh by each run.
  const closed = Math.min(minuteOf(nowMs - (deps.foldLagMs ?? 0)), to);
  const partials = state.partials;
  for (const minute of partials.keys()) if (minute < from || minute >= closed) partials.delete(minute);
  const missing: number[] = [];
  for (let minute = from; minute < closed; minute++) if (!partials.has(minute)) missing.push(minute);
  if (missing.length > 0)
    for (const [minute, p] of await store.read(missing[0] as number, missing.at(-1) as number)) if (!partials.has(minute)) partials.set(minute, p);
  // Events written into a minute after it was folded (a store that can tell): fold it and the
  // minutes after it again, since their verification credits may change.
  const sizes = await deps.events.sizes?.(from, closed - 1);
  if (sizes) {
    const stale = [...partials.values()].find((p) => (sizes.get(p.minute) ?? 0) !== p.events && !p.truncated);
    if (stale) for (const m of [...partials.keys()]) if (m >= stale.minute) partials.delete(m);
  }
  let events = 0;
  let folded = 0;
  let truncated = false;
  const window: MinutePartial[] = [];
  const young = new Map<number, MinutePartial>();
  const earlier = (m: number) => partials.get(m) ?? young.get(m);
  for (let minute = from; minute <= to; minute++) {
    let partial = earlier(minute);
    if (!partial) {
      const page = await deps.events.read(minute * 60_000, Math.min((minute + 1) * 60_000, nowMs), limit);
      events += page.events.length;
      truncated ||= page.truncated;
      partial = foldMinute(minute, page.events, earlier, { lookback: config.windowMinutes, truncated: page.truncated });
      if (minute < closed) {
        await store.write(minute, partial);
        partials.set(minute, partial);
        folded++;
      } else young.set(minute, partial);
    }
    window.push(partial);
  }
  const indexConfig = JSON.stringify(config);
  if (state.indexConfig !== indexConfig) {
    state.index = new PromotionIndex(config);
    state.indexConfig = indexConfig;
  }
  const { entries, saturated } = promote(window, nowMs, config, state.index);
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
  return { events, folded, partials: window.length, truncated, saturated, promoted: entries.length, written: writes.length, byReason };
}

/** The in-memory partials of an event store (replay, local mode, tests): one per store. */
function partialsOf(events: EventStore): MemoryPartialStore<MinutePartial> {
  let store = defaultPartials.get(events);
  if (!store) defaultPartials.set(events, (store = new MemoryPartialStore()));
  return store;
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
