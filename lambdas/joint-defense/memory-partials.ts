import type { PartialStore } from '../ports/partial-store';

/**
 * Partials in process memory: the job's own store in replay, local mode and tests (the Lambda
 * keeps them in the Events table). Minutes more than `retentionMinutes` before the newest one
 * written are dropped, so a replay of many days keeps about two hours of partials.
 */
export class MemoryPartialStore<T> implements PartialStore<T> {
  private readonly partials = new Map<number, T>();
  private newest = Number.NEGATIVE_INFINITY;
  /** Partials handed out by `read`, for tests. */
  reads = 0;

  constructor(private readonly retentionMinutes = 120) {}

  async read(fromMinute: number, toMinute: number): Promise<Map<number, T>> {
    const out = new Map<number, T>();
    for (let minute = fromMinute; minute <= toMinute; minute++) {
      const partial = this.partials.get(minute);
      if (partial !== undefined) out.set(minute, partial);
    }
    this.reads += out.size;
    return out;
  }

  async write(minute: number, partial: T): Promise<void> {
    this.partials.set(minute, partial);
    if (minute > this.newest) {
      this.newest = minute;
      for (const m of this.partials.keys()) if (m < minute - this.retentionMinutes) this.partials.delete(m);
    }
  }

  /** Partials held, for tests. */
  get size(): number {
    return this.partials.size;
  }
}
