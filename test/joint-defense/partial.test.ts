import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateReputation, type JointDefenseConfig, jointDefenseConfig } from '../../lambdas/joint-defense/aggregate';
import { foldMinute, type MinutePartial } from '../../lambdas/joint-defense/partial';
import { partialCodec } from '../../lambdas/joint-defense/partial-codec';
import { PromotionIndex, promote } from '../../lambdas/joint-defense/promote';
import { minuteOf, type VerdictEvent } from '../../lambdas/ports/event-store';
import { T0 } from '../support/engine';

const MINUTE = 60_000;
const NOW = T0 + 120 * MINUTE;

/** Thresholds low enough that random events of a few subjects promote entries of every kind. */
const LOW = jointDefenseConfig({
  victim: { fastMinAttempts: 2, minAttempts: 3, minTenants: 2, minNetworks: 2, maxPerTenant: 2, maxVerifiedRatio: 0.5 },
  source: { minTenants: 2, minBlocked: 2, maxPerTenant: 2, minBlockedRatio: 0.3, maxVerifiedRatio: 0.5 },
  range: { minNumbers: 2, minTenants: 2, minNetworks: 1, maxPerTenant: 2, maxVerifiedRatio: 0.5 },
  country: { minNumbers: 3, minTenants: 2, maxPerTenant: 2, maxVerifiedRatio: 0.5 },
});

const REASONS = ['DATACENTER_IP', 'COUNTRY_MISMATCH', 'JOINT_DEFENSE_VICTIM', 'NUMBER_VELOCITY', 'AUTOMATION_USER_AGENT'];
const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 4 });

/** Events of a few tenants, numbers and networks over the 70 minutes before NOW, times with ties. */
const eventArb = (spanMinutes: number): fc.Arbitrary<VerdictEvent> =>
  fc
    .record({
      at: fc.oneof(
        fc.integer({ min: NOW - spanMinutes * MINUTE, max: NOW - 1 }),
        fc.integer({ min: 0, max: spanMinutes * 4 }).map((q) => NOW - q * 15_000 - 1),
      ),
      kind: fc.constantFrom<'send' | 'verify'>('send', 'send', 'send', 'verify'),
      tenant: pick(['a', 'b', 'c']),
      ref: optional(pick(['r0', 'r1', 'r2', 'r3', 'r4', 'r5'])),
      via: fc.option(fc.constant<'verdict'>('verdict'), { nil: undefined, freq: 4 }),
      decision: fc.constantFrom<'allow' | 'block' | 'challenge'>('allow', 'allow', 'block', 'challenge'),
      sent: fc.boolean(),
      reasons: optional(fc.subarray(REASONS, { minLength: 1, maxLength: 2 })),
      number: optional(pick(['n0', 'n1', 'n2'])),
      range: optional(pick(['R0', 'R1'])),
      country: optional(pick(['UZ', 'NL'])),
      ip: optional(pick(['i0', 'i1'])),
      subnet: optional(pick(['s0', 's1', 's2'])),
      device: optional(pick(['d0', 'd1'])),
    })
    .map((e) => {
      if (e.kind === 'verify') return { at: e.at, kind: 'verify', tenant: e.tenant, ...(e.ref !== undefined && { ref: e.ref }) } as VerdictEvent;
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(e)) if (val !== undefined) out[k] = val;
      return out as unknown as VerdictEvent;
    });

/** Fold every minute of `events` once, oldest first, as the job does. */
function foldAll(events: readonly VerdictEvent[], config: JointDefenseConfig): MinutePartial[] {
  const byMinute = new Map<number, VerdictEvent[]>();
  for (const e of events) {
    const m = minuteOf(e.at);
    let bucket = byMinute.get(m);
    if (!bucket) byMinute.set(m, (bucket = []));
    bucket.push(e);
  }
  const folded = new Map<number, MinutePartial>();
  for (const m of [...byMinute.keys()].sort((a, b) => a - b)) {
    folded.set(
      m,
      foldMinute(m, byMinute.get(m) as VerdictEvent[], (x) => folded.get(x), { lookback: config.windowMinutes }),
    );
  }
  return [...folded.values()];
}

const inWindow = (events: readonly VerdictEvent[], now: number, config: JointDefenseConfig) =>
  events.filter((e) => e.at >= now - config.windowMinutes * MINUTE && e.at < now);

describe('promotion over per-minute partials', () => {
  it('gives exactly the entries of the aggregation over the raw events of the window (low thresholds)', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(fc.array(eventArb(70), { minLength: 100, maxLength: 500 }), (events) => {
        const expected = aggregateReputation(inWindow(events, NOW, LOW), NOW, LOW);
        for (const entry of expected) kinds.add(entry.kind);
        expect(promote(foldAll(events, LOW), NOW, LOW).entries).toEqual(expected);
      }),
      { numRuns: 300 },
    );
    // The comparison was not vacuous: every kind of entry was promoted in some run.
    expect([...kinds].sort()).toEqual(['cidr', 'country', 'device', 'ip', 'number', 'prefix']);
  });

  it('does so at the default thresholds, and in short windows where most events fall outside', () => {
    const short = jointDefenseConfig({
      ...LOW,
      windowMinutes: 10,
      victim: { ...LOW.victim, fastWindowMinutes: 3 },
      range: { ...LOW.range, maturitySeconds: 120 },
    });
    for (const config of [jointDefenseConfig(), short]) {
      fc.assert(
        fc.property(fc.array(eventArb(20), { minLength: 50, maxLength: 300 }), (events) => {
          expect(promote(foldAll(events, config), NOW, config).entries).toEqual(aggregateReputation(inWindow(events, NOW, config), NOW, config));
        }),
        { numRuns: 150 },
      );
    }
  });

  it('does so minute after minute with one index kept as the window slides (and partials replaced)', () => {
    const short = jointDefenseConfig({
      ...LOW,
      windowMinutes: 12,
      victim: { ...LOW.victim, fastWindowMinutes: 4 },
      range: { ...LOW.range, maturitySeconds: 180 },
    });
    fc.assert(
      fc.property(fc.array(eventArb(20), { minLength: 100, maxLength: 400 }), fc.integer({ min: 0, max: 19 }), (events, replaced) => {
        const partials = foldAll(events, short);
        const index = new PromotionIndex(short);
        for (let back = 8; back >= 0; back--) {
          const now = NOW - back * MINUTE;
          // A partial folded again (the same content, a new object) must replace the old one in the index.
          // (Only closed minutes: at a whole minute the open one has no events yet.)
          const window = partials.filter((p) => p.minute < minuteOf(now)).map((p) => (p.minute === minuteOf(now) - 1 - (replaced % 12) ? { ...p } : p));
          const upTo = events.filter((e) => e.at < now);
          expect(promote(window, now, short, index).entries).toEqual(aggregateReputation(inWindow(upTo, now, short), now, short));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a partial through its JSON form, and refuses stored data that is not one', () => {
    fc.assert(
      fc.property(fc.array(eventArb(5), { minLength: 20, maxLength: 200 }), (events) => {
        for (const p of foldAll(events, LOW)) {
          const back = partialCodec.decode(JSON.parse(JSON.stringify(partialCodec.encode(p))));
          expect(back).toEqual(p);
          // Same orders too: first-seen order is what the promotion reads.
          expect([...(back?.sources.subnet.index.keys() ?? [])]).toEqual([...p.sources.subnet.index.keys()]);
          expect(back?.sources.subnet.blockTenants).toEqual(p.sources.subnet.blockTenants);
        }
      }),
      { numRuns: 50 },
    );
    const valid = partialCodec.encode(
      foldAll([{ at: NOW - 1, kind: 'send', tenant: 'a', number: 'n', ref: 'r', sent: true }], LOW)[0] as MinutePartial,
    ) as Record<string, unknown>;
    for (const bad of [
      null,
      'x',
      [],
      { ...valid, v: 2 },
      { ...valid, numbers: [['n', 'one']] },
      { ...valid, activity: 7 },
      { ...valid, activity: [['no-separator', null]] },
      { ...valid, credits: [{}] },
    ]) {
      expect(partialCodec.decode(bad)).toBeUndefined();
    }
  });
});
