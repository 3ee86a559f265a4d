import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../lambdas/adapters/memory/memory-event-store';
import { MemoryListStore } from '../../lambdas/adapters/memory/memory-list-store';
import { aggregateReputation, confidenceOf, jointDefenseConfig } from '../../lambdas/joint-defense/aggregate';
import { mergeEntry, runJointDefense } from '../../lambdas/joint-defense/job';
import type { VerdictEvent } from '../../lambdas/ports/event-store';
import { T0 } from '../support/engine';

const MINUTE = 60_000;
const NOW = T0 + 60 * MINUTE;
const base: VerdictEvent = {
  at: 0,
  kind: 'send',
  tenant: 'shop',
  ref: undefined,
  scenario: 'register',
  decision: 'allow',
  sent: true,
  reasons: undefined,
  number: undefined,
  range: undefined,
  country: undefined,
  ip: undefined,
  subnet: undefined,
  device: undefined,
};
const send = (minutesAgo: number, extra: Partial<VerdictEvent>): VerdictEvent => ({ ...base, at: NOW - minutesAgo * MINUTE, ...extra });
const verify = (minutesAgo: number, tenant: string, ref: string): VerdictEvent => ({ ...base, at: NOW - minutesAgo * MINUTE, kind: 'verify', tenant, ref, decision: undefined, sent: undefined });
const reasons = (events: VerdictEvent[]) => aggregateReputation(events, NOW).map((e) => `${e.reason} ${e.kind} ${e.value}`);

describe('aggregateReputation', () => {
  it('promotes a number attempted through two tenants within minutes, with evidence, confidence and TTL', () => {
    const events = Array.from({ length: 6 }, (_, i) => send(5 - i * 0.5, { tenant: i % 2 ? 'shop' : 'bank', number: 'victim', ref: 'v', decision: 'block', sent: false, reasons: ['NUMBER_VELOCITY'] }));
    const [entry, ...rest] = aggregateReputation(events, NOW);
    expect(rest).toEqual([]);
    expect(entry).toEqual({
      scope: 'rep',
      kind: 'number',
      value: 'victim',
      action: 'block',
      reason: 'JOINT_DEFENSE_VICTIM',
      display: '6 attempts via 2 tenant(s), 0 verified',
      evidence: 6,
      confidence: confidenceOf(6, 6),
      source: 'local',
      createdAt: NOW / 1000,
      expiresAt: NOW / 1000 + 900,
    });
  });

  it('does not promote a number with few attempts, or one whose owner keeps verifying', () => {
    const two = [send(10, { number: 'n', ref: 'n' }), send(5, { tenant: 'bank', number: 'n', ref: 'n' })];
    expect(reasons(two)).toEqual([]);
    // Eight codes through two tenants, but the owner verified three of them: not a bombing.
    const verified: VerdictEvent[] = [];
    for (let i = 0; i < 8; i++) {
      const tenant = i % 2 ? 'shop' : 'bank';
      verified.push(send(50 - i * 5, { tenant, number: 'n', ref: 'n' }));
      if (i < 3) verified.push(verify(49 - i * 5, tenant, 'n'));
    }
    expect(reasons(verified)).toEqual([]);
  });

  it('promotes a number far above normal at one tenant only past the solo threshold', () => {
    const at = (n: number) => Array.from({ length: n }, (_, i) => send(59 - i * 2, { number: 'n', ref: 'n', sent: false, decision: 'block', reasons: ['NUMBER_VELOCITY'] }));
    expect(reasons(at(19))).toEqual([]);
    expect(reasons(at(20))).toEqual(['JOINT_DEFENSE_VICTIM number n']);
  });

  it('promotes addresses and devices blocked by their own behaviour at two tenants, never a busy shared address', () => {
    const events: VerdictEvent[] = [];
    for (let i = 0; i < 12; i++) {
      events.push(send(50 - i, { tenant: i % 2 ? 'shop' : 'bank', ip: 'bad-ip', subnet: 'bad-net', device: 'bad-device', decision: 'block', sent: false, reasons: ['DEVICE_VELOCITY'] }));
    }
    // A carrier NAT address: many people, a few blocked, most served.
    for (let i = 0; i < 40; i++) {
      events.push(send(55 - i, { tenant: i % 2 ? 'shop' : 'bank', ip: 'nat', ...(i % 4 === 0 && { decision: 'block', sent: false, reasons: ['NUMBER_VELOCITY'] }) }));
    }
    expect(reasons(events).sort()).toEqual(['JOINT_DEFENSE_DEVICE device bad-device', 'JOINT_DEFENSE_IP cidr bad-net', 'JOINT_DEFENSE_IP ip bad-ip']);
  });

  it('never keeps an entry alive on the blocks it causes itself', () => {
    const events = Array.from({ length: 12 }, (_, i) =>
      send(50 - i, { tenant: i % 2 ? 'shop' : 'bank', ip: 'ip', decision: 'block', sent: false, reasons: ['JOINT_DEFENSE_IP', 'JOINT_DEFENSE_DEVICE'] }),
    );
    expect(reasons(events)).toEqual([]);
  });

  it('judges range conversion only on matured attempts of tenants that report verifications', () => {
    const pumped = (tenant: string, minutesAgo: number, i: number) => send(minutesAgo, { tenant, range: 'r', ref: `p${i}`, decision: 'challenge', sent: false });
    const reporting = [verify(30, 'shop', 'someone'), verify(30, 'bank', 'someone-else')];
    const six = Array.from({ length: 6 }, (_, i) => pumped(i % 2 ? 'shop' : 'bank', 40 - i, i));
    expect(reasons([...reporting, ...six])).toEqual(['JOINT_DEFENSE_RANGE prefix r']);
    // The same at tenants that never report outcomes: their traffic only looks unverified.
    expect(reasons(six)).toEqual([]);
    // Still within the last 5 minutes: their codes may yet be verified.
    expect(reasons([...reporting, ...six.map((e) => ({ ...e, at: NOW - 2 * MINUTE }))])).toEqual([]);
    // At one tenant only, ten numbers are needed.
    const solo = (n: number) => Array.from({ length: n }, (_, i) => pumped('shop', 40 - i, i));
    expect(reasons([...reporting, ...solo(9)])).toEqual([]);
    expect(reasons([...reporting, ...solo(10)])).toEqual(['JOINT_DEFENSE_RANGE prefix r']);
  });

  it('credits a verification to the send it follows, at the same tenant', () => {
    const events: VerdictEvent[] = [verify(58, 'shop', 'x'), verify(58, 'bank', 'y')];
    for (let i = 0; i < 6; i++) {
      const tenant = i % 2 ? 'shop' : 'bank';
      events.push(send(50 - i * 5, { tenant, range: 'legit', ref: `u${i}` }));
      events.push(verify(49 - i * 5, tenant, `u${i}`));
    }
    expect(reasons(events)).toEqual([]);
    // The same verifications reported by the other tenant credit nothing.
    const swapped = events.map((e) => (e.kind === 'verify' && e.ref?.startsWith('u') ? { ...e, tenant: e.tenant === 'shop' ? 'bank' : 'shop' } : e));
    expect(reasons(swapped)).toEqual(['JOINT_DEFENSE_RANGE prefix legit']);
  });

  it('promotes a pumped country at two tenants', () => {
    const events = [verify(59, 'shop', 'a'), verify(59, 'bank', 'b')];
    for (let i = 0; i < 40; i++) events.push(send(50 - i * 0.5, { tenant: i % 2 ? 'shop' : 'bank', country: 'UZ', ref: `n${i}`, sent: false, decision: 'block', reasons: ['RANGE_VELOCITY'] }));
    expect(reasons(events)).toEqual(['JOINT_DEFENSE_COUNTRY country UZ']);
  });

  it('is deterministic and bounded: the strongest entries first, at most maxEntries', () => {
    const events: VerdictEvent[] = [];
    for (let v = 0; v < 5; v++) {
      for (let i = 0; i < 6 + v; i++) events.push(send(10 - i * 0.1, { tenant: i % 2 ? 'shop' : 'bank', number: `v${v}`, ref: `v${v}` }));
    }
    const config = jointDefenseConfig({ maxEntries: 2 });
    expect(aggregateReputation(events, NOW, config).map((e) => e.value)).toEqual(['v4', 'v3']);
    expect(aggregateReputation([...events].reverse(), NOW, config)).toEqual(aggregateReputation(events, NOW, config));
  });
});

describe('runJointDefense', () => {
  const bombing = async (events: MemoryEventStore) => {
    for (let i = 0; i < 8; i++) await events.record(send(5 - i * 0.5, { tenant: i % 2 ? 'shop' : 'bank', number: 'victim', ref: 'v' }));
  };

  it('is idempotent: a second run at the same time, or a minute later, writes nothing; a due refresh rewrites', async () => {
    const events = new MemoryEventStore();
    const lists = new MemoryListStore();
    await bombing(events);
    expect(await runJointDefense({ events, lists }, NOW)).toMatchObject({ events: 8, promoted: 1, written: 1, byReason: { JOINT_DEFENSE_VICTIM: 1 } });
    expect(await runJointDefense({ events, lists }, NOW)).toMatchObject({ promoted: 1, written: 0 });
    expect(await runJointDefense({ events, lists }, NOW + MINUTE)).toMatchObject({ promoted: 1, written: 0 });
    // A quarter of the 15-minute TTL gone: refreshed.
    expect(await runJointDefense({ events, lists }, NOW + 4 * MINUTE)).toMatchObject({ promoted: 1, written: 1 });
    const [entry] = await lists.listScope('rep', NOW / 1000);
    expect(entry?.expiresAt).toBe((NOW + 4 * MINUTE) / 1000 + 900);
  });

  it('reads at most maxEvents, newest first, and says the run was cut', async () => {
    const events = new MemoryEventStore();
    await bombing(events);
    expect(await runJointDefense({ events, lists: new MemoryListStore(), maxEvents: 5 }, NOW)).toMatchObject({ events: 5, truncated: true });
  });

  it('rejects when the store fails, so the scheduler counts an error', async () => {
    const events = new MemoryEventStore();
    await bombing(events);
    const lists = new MemoryListStore();
    lists.put = () => Promise.reject(new Error('throttled'));
    await expect(runJointDefense({ events, lists }, NOW)).rejects.toThrow('throttled');
  });

  it('keeps the longer expiry of an entry already there (e.g. from a partner feed)', () => {
    const next = { scope: 'rep', kind: 'number' as const, value: 'v', action: 'block' as const, reason: 'JOINT_DEFENSE_VICTIM', evidence: 8, confidence: 0.8, source: 'local', createdAt: 1000, expiresAt: 1900 };
    expect(mergeEntry(undefined, next)).toBe(next);
    expect(mergeEntry({ ...next, source: 'feed:partner', expiresAt: 5000 }, next)).toEqual({ ...next, expiresAt: 5000 });
    expect(mergeEntry({ ...next, expiresAt: 1800 }, next)).toBeUndefined();
    expect(mergeEntry({ ...next, expiresAt: 1500 }, next)).toEqual(next);
    expect(mergeEntry({ ...next, evidence: 3 }, next)).toEqual(next);
  });
});
