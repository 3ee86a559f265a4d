import type { CounterIncrement, CounterStore } from '../ports/counter-store';

interface Entry {
  readonly key: string;
  readonly field: string | undefined;
  /** Value as of the last sync (every process's contributions). */
  synced: number;
  /** What this process added since the last sync, not yet written. */
  pending: number;
  expiresAt: number;
  /** Read since the last sync: worth refreshing. Idle statistics are not synced at all. */
  used: boolean;
  /** Dropped from `entries` (expired): a handle to it must be looked up again. */
  removed: boolean;
}

/** Which counter a statistic is: an item key, a field in it, and the item's expiry. */
export type StatCounter = Pick<CounterIncrement, 'key' | 'field' | 'expiresAt'>;

const idOf = (c: StatCounter) => (c.field === undefined ? c.key : `${c.key}|${c.field}`);

/**
 * Tenant- and country-wide statistics (attempts, sends, verifications) that feed the spike and
 * conversion baselines. Writing them on every verdict would make one DynamoDB item absorb a
 * tenant's whole traffic (a hot key); instead each process adds in memory and syncs every
 * `syncEveryMs`: one `ADD` per key with its accumulated delta, reading back the total that all
 * processes wrote. Values are therefore at most one sync interval stale, which is fine for
 * baselines measured over hours and days — and never used for hard limits.
 */
export class AggregateStats {
  private readonly entries = new Map<string, Entry>();
  /**
   * The entry of each counter object read: the engine reuses its counter objects (planned once
   * per hour), so most calls skip building the id string and hashing it. Weak, so counters
   * nobody holds any more cost nothing.
   */
  private readonly handles = new WeakMap<StatCounter, Entry>();
  private lastSync = Number.NEGATIVE_INFINITY;
  private syncing: Promise<void> | undefined;

  constructor(
    private readonly counters: CounterStore,
    private readonly syncEveryMs = 10_000,
  ) {}

  /** Current best value: last synced total plus this process's unsynced additions. */
  value(counter: StatCounter): number {
    let e = this.live(counter);
    if (!e) {
      e = this.entries.get(idOf(counter));
      if (!e) return 0;
      // Read means reused (the engine's planned statistics): worth a handle. One-off counters
      // (`add` from a settlement) are not remembered.
      this.handles.set(counter, e);
    }
    e.used = true;
    return e.synced + e.pending;
  }

  /** Add to a statistic (kept in memory until the next sync). */
  add(counter: StatCounter, by: number): void {
    this.entry(counter).pending += by;
  }

  /** Make sure a statistic is read at the next sync even if this process never adds to it. */
  track(counter: StatCounter): void {
    this.entry(counter);
  }

  /** True when a sync should ride along with the current store wave. */
  due(nowMs: number): boolean {
    return this.syncing === undefined && nowMs - this.lastSync >= this.syncEveryMs;
  }

  /**
   * Write every pending delta and read back the totals in use, as one call. Statistics nobody
   * read since the last sync are skipped (they refresh on the sync after their next use). Drops
   * expired ones.
   */
  sync(nowMs: number): Promise<void> {
    if (this.syncing) return this.syncing;
    this.lastSync = nowMs;
    const nowSeconds = nowMs / 1000;
    // Entries themselves are kept for the answer: nothing deletes one while a sync is in flight.
    const synced: Entry[] = [];
    const sent: number[] = [];
    const increments: CounterIncrement[] = [];
    // forEach, not for…of: no [id, entry] pair per entry, and a sync runs every few verdicts.
    this.entries.forEach((e, id) => {
      if (e.expiresAt <= nowSeconds) {
        this.entries.delete(id);
        e.removed = true;
        return;
      }
      if (e.pending === 0 && !e.used) return;
      e.used = false;
      synced.push(e);
      sent.push(e.pending);
      increments.push({ key: e.key, field: e.field, by: e.pending, expiresAt: e.expiresAt });
    });
    if (increments.length === 0) return Promise.resolve();
    this.syncing = this.counters
      .increment(increments)
      .then((values) => {
        for (let i = 0; i < synced.length; i++) {
          const e = synced[i] as Entry;
          // Additions made while the sync was in flight stay pending for the next one.
          e.pending -= sent[i] as number;
          e.synced = values[i] ?? e.synced;
        }
      })
      // A failed sync is retried at the next interval with everything still pending; a
      // statistics hiccup must never fail a verdict.
      .catch(() => undefined)
      .finally(() => {
        this.syncing = undefined;
      });
    return this.syncing;
  }

  private live(counter: StatCounter): Entry | undefined {
    const e = this.handles.get(counter);
    return e === undefined || e.removed ? undefined : e;
  }

  private entry(counter: StatCounter): Entry {
    const known = this.live(counter);
    if (known) return known;
    const id = idOf(counter);
    let e = this.entries.get(id);
    if (!e) {
      e = { key: counter.key, field: counter.field, synced: 0, pending: 0, expiresAt: counter.expiresAt, used: true, removed: false };
      this.entries.set(id, e);
    }
    return e;
  }
}
