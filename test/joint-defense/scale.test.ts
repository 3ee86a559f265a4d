import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../lambdas/adapters/memory/memory-event-store';
import { MemoryListStore } from '../../lambdas/adapters/memory/memory-list-store';
import { aggregateReputation } from '../../lambdas/joint-defense/aggregate';
import { type JointDefenseReport, jointDefenseJob } from '../../lambdas/joint-defense/job';
import type { VerdictEvent } from '../../lambdas/ports/event-store';
import { T0 } from '../support/engine';

const MINUTE = 60_000;
/** Ten times the events the job used to read per run (200,000), in its one-hour window. */
const EVENTS = 2_000_000;
const PER_MINUTE = Math.ceil(EVENTS / 60);

/**
 * One minute of traffic as replay records it: busy, ordinary sends through 20 tenants (three in
 * four verified), and in the oldest minutes of the hour a victim bombed through four tenants and a
 * range pumped through two — evidence a read of the newest 200,000 events never saw.
 */
function minuteOf(minute: number): VerdictEvent[] {
  const out: VerdictEvent[] = [];
  const start = T0 + minute * MINUTE;
  for (let i = 0; i < PER_MINUTE; i++) {
    const n = (minute * PER_MINUTE + i) % 100_003;
    const tenant = `t${i % 20}`;
    const at = start + Math.floor((i * MINUTE) / PER_MINUTE);
    out.push({
      at,
      kind: 'send',
      tenant,
      ref: `r${n}`,
      number: `n${n}`,
      range: `g${n % 9_973}`,
      country: 'NL',
      subnet: `s${i % 10_007}`,
      decision: 'allow',
      sent: true,
    });
    if (i % 4 !== 3) out.push({ at, kind: 'verify', tenant, ref: `r${n}` });
  }
  if (minute >= 2 && minute < 14) {
    const i = minute - 2;
    out.push({ at: start + 1, kind: 'send', tenant: `v${i % 4}`, ref: 'victim', number: 'victim', subnet: `bot-${i}`, decision: 'allow', sent: true });
  }
  if (minute >= 2 && minute < 10) {
    const tenant = `t${minute % 2}`;
    out.push({
      at: start + 2,
      kind: 'send',
      tenant,
      ref: `pumped-${minute}`,
      range: 'pumped',
      subnet: `net-${minute}`,
      decision: 'block',
      sent: false,
      reasons: ['DATACENTER_IP'],
    });
  }
  return out;
}

describe('joint defense at ten times the old cap', () => {
  it('drops no evidence with 2,000,000 events in the window, judged minute after minute as replay runs it', { timeout: 600_000 }, async () => {
    const events = new MemoryEventStore({ retentionMs: 2 * 3_600_000 });
    const lists = new MemoryListStore();
    const reports: JointDefenseReport[] = [];
    const job = jointDefenseJob({ events, lists }, MINUTE, (report) => reports.push(report));
    let recorded = 0;
    for (let minute = 0; minute < 60; minute++) {
      for (const e of minuteOf(minute)) {
        await events.record(e);
        recorded++;
      }
      // The job's first run comes late (it folds the 57 minutes before it at once), then every minute.
      if (minute >= 56) await job.run(T0 + (minute + 1) * MINUTE);
    }
    expect(recorded).toBeGreaterThan(EVENTS);
    const last = reports.at(-1) as JointDefenseReport;
    // The last run judged the whole hour: every event folded once, nothing cut.
    expect(reports.reduce((n, r) => n + r.events, 0)).toBe(recorded);
    expect(reports.some((r) => r.truncated)).toBe(false);
    expect(last.saturated).toBe(0);
    expect(last.byReason).toEqual({ JOINT_DEFENSE_VICTIM: 1, JOINT_DEFENSE_RANGE: 1 });
    // What reading the newest 200,000 events (the old job) would have judged: neither.
    const newest = await events.read(T0, T0 + 60 * MINUTE, 200_000);
    expect(newest.truncated).toBe(true);
    expect(aggregateReputation(newest.events, T0 + 60 * MINUTE)).toEqual([]);
  });
});
