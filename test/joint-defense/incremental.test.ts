import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../lambdas/adapters/memory/memory-event-store';
import { MemoryListStore } from '../../lambdas/adapters/memory/memory-list-store';
import { aggregateReputation, jointDefenseConfig } from '../../lambdas/joint-defense/aggregate';
import { runJointDefense } from '../../lambdas/joint-defense/job';
import { MemoryPartialStore } from '../../lambdas/joint-defense/memory-partials';
import type { MinutePartial } from '../../lambdas/joint-defense/partial';
import type { EventPage, EventStore, VerdictEvent } from '../../lambdas/ports/event-store';
import { T0 } from '../support/engine';

const MINUTE = 60_000;

/** An event store that counts how often each event is handed out by `read`. */
class CountingEventStore implements EventStore {
  readonly inner = new MemoryEventStore({ retentionMs: 4 * 3_600_000 });
  readonly reads = new Map<VerdictEvent, number>();
  record(event: VerdictEvent): Promise<void> {
    return this.inner.record(event);
  }
  async read(fromMs: number, toMs: number, limit: number): Promise<EventPage> {
    const page = await this.inner.read(fromMs, toMs, limit);
    for (const e of page.events) this.reads.set(e, (this.reads.get(e) ?? 0) + 1);
    return page;
  }
  sizes(fromMinute: number, toMinute: number): Promise<Map<number, number>> {
    return this.inner.sizes(fromMinute, toMinute);
  }
  get mostReads(): number {
    return Math.max(0, ...this.reads.values());
  }
}

/** A deterministic stream of traffic: background sends and verifications, and a victim bombed via several tenants now and then. */
function trafficOf(minute: number): VerdictEvent[] {
  const out: VerdictEvent[] = [];
  for (let i = 0; i < 40; i++) {
    const at = T0 + minute * MINUTE + i * 1_400;
    const n = (minute * 40 + i) % 300;
    out.push({
      at,
      kind: 'send',
      tenant: `t${i % 5}`,
      ref: `r${n}`,
      number: `n${n}`,
      range: `g${n % 7}`,
      country: 'UZ',
      subnet: `s${i % 9}`,
      decision: 'allow',
      sent: true,
    });
    if (i % 3 === 0) out.push({ at: at + 700, kind: 'verify', tenant: `t${i % 5}`, ref: `r${n}` });
    if (minute % 10 < 4 && i % 8 === 0) {
      out.push({
        at: at + 300,
        kind: 'send',
        tenant: `t${i % 3}`,
        ref: 'rv',
        number: 'victim',
        subnet: `bot${i}`,
        decision: 'block',
        reasons: ['DATACENTER_IP'],
        sent: false,
      });
    }
  }
  return out;
}

describe('incremental joint-defense job', () => {
  it('reads each event once per promotion window, not once per run, and promotes what the raw events support', async () => {
    const events = new CountingEventStore();
    const partials = new MemoryPartialStore<MinutePartial>();
    const lists = new MemoryListStore();
    const all: VerdictEvent[] = [];
    const RUNS = 150;
    for (let minute = 0; minute < RUNS; minute++) {
      for (const e of trafficOf(minute)) {
        all.push(e);
        await events.record(e);
      }
      const now = T0 + (minute + 1) * MINUTE;
      const readsBefore = partials.reads;
      const report = await runJointDefense({ events, lists, partials }, now);
      // The promotion judged the window's 60 minutes and the open one, and read at most one of them from the store.
      expect(report.partials).toBe(61);
      expect(partials.reads - readsBefore).toBeLessThanOrEqual(1);
      expect(report.folded).toBe(minute === 0 ? 60 : 1);
      // …and it judged exactly as the aggregation over the raw events of the window does.
      const expected = aggregateReputation(
        all.filter((e) => e.at >= now - 60 * MINUTE && e.at < now),
        now,
      );
      expect(report.promoted).toBe(expected.length);
    }
    // 150 runs over an hour's window each, yet every event was read once.
    expect(events.reads.size).toBe(all.length);
    expect(events.mostReads).toBe(1);
    expect((await lists.listScope('rep', (T0 + RUNS * MINUTE) / 1000)).length).toBeGreaterThan(0);
  });

  it('reads a minute at most twice more while younger than the fold lag, or open at an off-minute run', async () => {
    const events = new CountingEventStore();
    const lists = new MemoryListStore();
    for (let minute = 0; minute < 90; minute++) {
      for (const e of trafficOf(minute)) await events.record(e);
      // Runs 20 s into each minute, folding only minutes closed for a minute.
      await runJointDefense({ events, lists, foldLagMs: MINUTE }, T0 + (minute + 1) * MINUTE + 20_000);
    }
    expect(events.mostReads).toBeLessThanOrEqual(3);
    const readTwiceOrMore = [...events.reads.values()].filter((n) => n > 1).length;
    expect(readTwiceOrMore).toBeGreaterThan(0);
  });

  it('folds again a minute that got events after it was folded (a store that can tell), and its later minutes', async () => {
    const events = new MemoryEventStore();
    const lists = new MemoryListStore();
    const config = jointDefenseConfig();
    const now = T0 + 10 * MINUTE;
    expect((await runJointDefense({ events, lists }, now)).folded).toBe(60);
    // Written late into minutes already folded: a victim bombed through two tenants.
    for (let i = 0; i < 8; i++) {
      await events.record({
        at: now - 5 * MINUTE + i * 20_000,
        kind: 'send',
        tenant: i % 2 ? 'a' : 'b',
        number: 'victim',
        subnet: `s${i}`,
        decision: 'allow',
        sent: true,
      });
    }
    const report = await runJointDefense({ events, lists, config }, now);
    expect(report).toMatchObject({ folded: 5, events: 8, promoted: 1, byReason: { JOINT_DEFENSE_VICTIM: 1 } });
  });
});
