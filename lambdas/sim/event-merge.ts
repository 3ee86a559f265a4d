/**
 * The merge at the heart of the simulator: every user flow and attack campaign is a small
 * generator of events in time order (a line, or "spawn this child source at t"), and one
 * min-heap merges the active sources. Memory is bounded by the number of flows in progress
 * at once, not by the length of the simulation.
 */
import type { SimLine } from './types';

/** What a source produces, in non-decreasing `t`: a line, or a child source that starts at `t`. */
export interface SimEvent {
  readonly t: number;
  readonly line?: SimLine;
  readonly spawn?: Source;
}

/** A flow, campaign or spawner: its events, pulled one at a time by the merge. */
export type Source = Iterator<SimEvent, void, undefined>;

interface HeapEntry {
  t: number;
  seq: number;
  src: Source;
  ev: SimEvent;
}

/** Binary min-heap on (t, seq); `seq` makes ties deterministic (first scheduled, first out). */
class EventHeap {
  private readonly items: HeapEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  push(entry: HeapEntry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as HeapEntry;
      if (!before(entry, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = entry;
  }

  pop(): HeapEntry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    const n = items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let child = l;
      if (r < n && before(items[r] as HeapEntry, items[l] as HeapEntry)) child = r;
      const c = items[child] as HeapEntry;
      if (!before(c, last)) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}

/** The lines of all sources, and of the sources they spawn, in time order. */
export function* mergeSources(sources: readonly Source[]): Generator<SimLine, void, undefined> {
  const heap = new EventHeap();
  let seq = 0;
  const schedule = (src: Source): void => {
    const next = src.next();
    if (!next.done) heap.push({ t: next.value.t, seq: seq++, src, ev: next.value });
  };
  for (const src of sources) schedule(src);
  let last = Number.NEGATIVE_INFINITY;
  for (let entry = heap.pop(); entry; entry = heap.pop()) {
    const { ev } = entry;
    if (ev.line) {
      if (entry.t < last) throw new Error(`simulator emitted out of order at ${ev.line.ts}`);
      last = entry.t;
      yield ev.line;
    } else if (ev.spawn) {
      if (entry.t < last) throw new Error('simulator spawned a source in the past');
      schedule(ev.spawn);
    }
    schedule(entry.src);
  }
}

/** Yields small, pre-built event lists in time order (stable for equal times). */
export function* sorted(events: SimEvent[]): Generator<SimEvent, void, undefined> {
  events.sort((a, b) => a.t - b.t);
  yield* events;
}
