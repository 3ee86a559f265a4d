import { type EventPage, type EventStore, type VerdictEvent, minuteOf } from '../../ports/event-store';

export interface MemoryEventStoreOptions {
  /** How long events are kept, in milliseconds of event time. @default 2 hours (the job reads one) */
  readonly retentionMs?: number;
}

/**
 * Verdict events in memory, bucketed by minute like the Events table: for replay, tests and
 * engine tests. Buckets older than the retention are dropped as time moves on, so a replay of
 * many days keeps only the last hours in memory.
 */
export class MemoryEventStore implements EventStore {
  private readonly buckets = new Map<number, VerdictEvent[]>();
  private readonly retentionMinutes: number;
  private oldest = Number.POSITIVE_INFINITY;
  private newest = Number.NEGATIVE_INFINITY;

  constructor(options: MemoryEventStoreOptions = {}) {
    this.retentionMinutes = Math.ceil((options.retentionMs ?? 2 * 3_600_000) / 60_000);
  }

  async record(event: VerdictEvent): Promise<void> {
    const minute = minuteOf(event.at);
    let bucket = this.buckets.get(minute);
    if (!bucket) this.buckets.set(minute, (bucket = []));
    bucket.push(event);
    if (minute < this.oldest) this.oldest = minute;
    if (minute > this.newest) {
      this.newest = minute;
      this.sweep();
    }
  }

  async read(fromMs: number, toMs: number, limit: number): Promise<EventPage> {
    // Newest minutes first, like the DynamoDB adapter: a cut keeps the most recent evidence.
    // The answer is in time order (buckets fill in time order).
    const picked: (readonly VerdictEvent[])[] = [];
    let count = 0;
    let truncated = false;
    for (let minute = minuteOf(toMs - 1); minute >= minuteOf(fromMs) && !truncated; minute--) {
      const bucket = this.buckets.get(minute);
      if (!bucket) continue;
      const whole = minute * 60_000 >= fromMs && (minute + 1) * 60_000 <= toMs;
      let inWindow: readonly VerdictEvent[] = whole ? bucket : bucket.filter((e) => e.at >= fromMs && e.at < toMs);
      if (count + inWindow.length > limit) {
        truncated = true;
        inWindow = inWindow.slice(count + inWindow.length - limit);
      }
      count += inWindow.length;
      picked.push(inWindow);
    }
    const events: VerdictEvent[] = [];
    for (let i = picked.length - 1; i >= 0; i--) for (const e of picked[i] as readonly VerdictEvent[]) events.push(e);
    return { events, truncated };
  }

  async sizes(fromMinute: number, toMinute: number): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (let minute = fromMinute; minute <= toMinute; minute++) {
      const bucket = this.buckets.get(minute);
      if (bucket) out.set(minute, bucket.length);
    }
    return out;
  }

  /** Events held, for tests. */
  get size(): number {
    let n = 0;
    for (const bucket of this.buckets.values()) n += bucket.length;
    return n;
  }

  private sweep(): void {
    const keepFrom = this.newest - this.retentionMinutes;
    if (this.oldest >= keepFrom) return;
    for (const minute of this.buckets.keys()) if (minute < keepFrom) this.buckets.delete(minute);
    this.oldest = keepFrom;
  }
}
