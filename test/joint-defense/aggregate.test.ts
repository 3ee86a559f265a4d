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
const verify = (minutesAgo: number, tenant: string, ref: string): VerdictEvent => ({
  ...base,
  at: NOW - minutesAgo * MINUTE,
  kind: 'verify',
  tenant,
  ref,
  decision: undefined,
  sent: undefined,
});
const reasons = (events: VerdictEvent[]) => aggregateReputation(events, NOW).map((e) => `${e.reason} ${e.kind} ${e.value}`);

describe('aggregateReputation', () => {
  it('promotes a number attempted through two tenants from two networks within minutes, with evidence, confidence and TTL', () => {
    const events = Array.from({ length: 6 }, (_, i) => send(5 - i * 0.5, { tenant: i % 2 ? 'shop' : 'bank', number: 'victim', ref: 'v', subnet: `net-${i}` }));
    const [entry, ...rest] = aggregateReputation(events, NOW);
    expect(rest).toEqual([]);
    expect(entry).toEqual({
      scope: 'rep',
      kind: 'number',
      value: 'victim',
      action: 'block',
      reason: 'JOINT_DEFENSE_VICTIM',
      display: '6 attempts counted via 2 tenants and 6 networks, 0 verified',
      evidence: 6,
      confidence: confidenceOf(6, 6),
      source: 'local',
      createdAt: NOW / 1000,
      // 15 minutes past the latest evidence (2.5 minutes ago), not past the run.
      expiresAt: NOW / 1000 - 150 + 900,
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

  it('never promotes a number on one tenant alone, however many attempts it sends or from how many networks', () => {
    // One end user calling one app's send-code endpoint 20 times an hour, most of it refused…
    const refused = Array.from({ length: 20 }, (_, i) =>
      send(59 - i * 2, {
        number: 'n',
        ref: 'n',
        subnet: 'home',
        sent: i === 0,
        decision: i === 0 ? 'allow' : 'block',
        reasons: i === 0 ? undefined : ['NUMBER_VELOCITY'],
      }),
    );
    expect(reasons(refused)).toEqual([]);
    // …or a malicious tenant sending 100 clean attempts from made-up networks.
    const flood = Array.from({ length: 100 }, (_, i) => send(50 - i * 0.1, { number: 'n', ref: 'n', subnet: `fake-${i}` }));
    expect(reasons(flood)).toEqual([]);
    // One tenant's share is capped: 100 of its own plus three at a second tenant are not enough.
    const plusThree = [...flood, ...Array.from({ length: 3 }, (_, i) => send(4 - i, { tenant: 'bank', number: 'n', ref: 'n', subnet: 'elsewhere' }))];
    expect(reasons(plusThree)).toEqual([]);
  });

  it('never promotes a number on evidence from one network alone, across tenants', () => {
    const events = Array.from({ length: 12 }, (_, i) =>
      send(10 - i * 0.5, { tenant: ['shop', 'bank', 'news'][i % 3], number: 'n', ref: 'n', subnet: 'one-home' }),
    );
    expect(reasons(events)).toEqual([]);
  });

  it('counts neither verdict-only calls on their own nor attempts refused by velocity or reputation rules', () => {
    const across = (extra: Partial<VerdictEvent>) =>
      Array.from({ length: 12 }, (_, i) => send(10 - i * 0.5, { tenant: i % 2 ? 'shop' : 'bank', number: 'n', ref: 'n', subnet: `net-${i}`, ...extra }));
    expect(reasons(across({ via: 'verdict' }))).toEqual([]);
    for (const cause of [
      'NUMBER_VELOCITY',
      'GLOBAL_NUMBER_VELOCITY',
      'NUMBER_UNVERIFIED',
      'NUMBER_MANY_TENANTS',
      'NUMBER_MANY_NETWORKS',
      'JOINT_DEFENSE_VICTIM',
    ]) {
      expect(reasons(across({ decision: 'block', sent: false, reasons: [cause, 'MISSING_DEVICE', 'COUNTRY_MISMATCH'] })), cause).toEqual([]);
      expect(reasons(across({ decision: 'challenge', sent: false, reasons: ['CHALLENGE_REQUIRED', cause] })), cause).toEqual([]);
    }
    // Refused with something the requests themselves showed (a bot's signals), they are evidence.
    expect(reasons(across({ decision: 'challenge', sent: false, reasons: ['CHALLENGE_REQUIRED', 'NUMBER_MANY_TENANTS', 'AUTOMATION_USER_AGENT'] }))).toEqual([
      'JOINT_DEFENSE_VICTIM number n',
    ]);
    // Verdict-only calls corroborate evidence from protected sends.
    const mixed = [...across({ via: 'verdict' }).slice(0, 4), ...across({}).slice(4, 6)];
    expect(reasons(mixed)).toEqual(['JOINT_DEFENSE_VICTIM number n']);
  });

  it('promotes addresses and devices blocked by their own behaviour at two tenants, never a busy shared address', () => {
    const events: VerdictEvent[] = [];
    for (let i = 0; i < 12; i++) {
      events.push(
        send(50 - i, {
          tenant: i % 2 ? 'shop' : 'bank',
          ip: 'bad-ip',
          subnet: 'bad-net',
          device: 'bad-device',
          decision: 'block',
          sent: false,
          reasons: ['DEVICE_VELOCITY'],
        }),
      );
    }
    // A carrier NAT address: many people, a few blocked, most served.
    for (let i = 0; i < 40; i++) {
      events.push(
        send(55 - i, { tenant: i % 2 ? 'shop' : 'bank', ip: 'nat', ...(i % 4 === 0 && { decision: 'block', sent: false, reasons: ['NUMBER_VELOCITY'] }) }),
      );
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
    const pumped = (tenant: string, minutesAgo: number, i: number) => send(minutesAgo, { tenant, range: 'r', ref: `p${i}`, subnet: `net-${i}` });
    const reporting = [verify(30, 'shop', 'someone'), verify(30, 'bank', 'someone-else')];
    const six = Array.from({ length: 6 }, (_, i) => pumped(i % 2 ? 'shop' : 'bank', 40 - i, i));
    expect(reasons([...reporting, ...six])).toEqual(['JOINT_DEFENSE_RANGE prefix r']);
    // The same at tenants that never report outcomes: their traffic only looks unverified.
    expect(reasons(six)).toEqual([]);
    // Still within the last 5 minutes: their codes may yet be verified.
    expect(reasons([...reporting, ...six.map((e) => ({ ...e, at: NOW - 2 * MINUTE }))])).toEqual([]);
    // At one tenant only, never: however many numbers one tenant reports unverified.
    const solo = (n: number) => Array.from({ length: n }, (_, i) => pumped('shop', 40 - i, i));
    expect(reasons([...reporting, ...solo(30)])).toEqual([]);
    // One tenant's share is capped at 4 numbers: 30 of its own and 1 at another are not enough, 2 are.
    const other = (n: number) => Array.from({ length: n }, (_, i) => pumped('bank', 30 - i, 100 + i));
    expect(reasons([...reporting, ...solo(30), ...other(1)])).toEqual([]);
    expect(reasons([...reporting, ...solo(30), ...other(2)])).toEqual(['JOINT_DEFENSE_RANGE prefix r']);
    // From one network alone: not joint.
    expect(reasons([...reporting, ...six.map((e) => ({ ...e, subnet: 'one-net' }))])).toEqual([]);
    // Verdict-only calls alone, or attempts refused by velocity rules, are no evidence.
    expect(reasons([...reporting, ...six.map((e) => ({ ...e, via: 'verdict' as const }))])).toEqual([]);
    expect(reasons([...reporting, ...six.map((e) => ({ ...e, decision: 'block' as const, sent: false, reasons: ['RANGE_VELOCITY'] }))])).toEqual([]);
  });

  it('counts a refusal abroad (country mismatch) for a range, never against a single number (a travelling owner)', () => {
    const reporting = [verify(30, 'shop', 'someone'), verify(30, 'bank', 'someone-else')];
    const abroad = { decision: 'challenge' as const, sent: false, reasons: ['CHALLENGE_REQUIRED', 'NUMBER_MANY_TENANTS', 'COUNTRY_MISMATCH'] };
    const range = Array.from({ length: 6 }, (_, i) =>
      send(40 - i, { tenant: i % 2 ? 'shop' : 'bank', range: 'r', ref: `p${i}`, subnet: `net-${i}`, ...abroad }),
    );
    expect(reasons([...reporting, ...range])).toEqual(['JOINT_DEFENSE_RANGE prefix r']);
    const owner = Array.from({ length: 12 }, (_, i) =>
      send(10 - i * 0.5, { tenant: i % 2 ? 'shop' : 'bank', number: 'n', ref: 'n', subnet: `hotel-${i}`, ...abroad }),
    );
    expect(reasons(owner)).toEqual([]);
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
    for (let i = 0; i < 40; i++)
      events.push(
        send(50 - i * 0.5, { tenant: i % 2 ? 'shop' : 'bank', country: 'UZ', ref: `n${i}`, sent: false, decision: 'block', reasons: ['DATACENTER_IP'] }),
      );
    expect(reasons(events)).toEqual(['JOINT_DEFENSE_COUNTRY country UZ']);
    // Forty numbers from one tenant and a few from another: one tenant's share is capped at 20.
    const lopsided = [verify(59, 'shop', 'a'), verify(59, 'bank', 'b')];
    for (let i = 0; i < 40; i++) lopsided.push(send(50 - i * 0.5, { tenant: i < 38 ? 'shop' : 'bank', country: 'UZ', ref: `n${i}` }));
    expect(reasons(lopsided)).toEqual([]);
  });

  it('is deterministic and bounded: the strongest entries first, at most maxEntries', () => {
    const events: VerdictEvent[] = [];
    // Number v is asked through 2 + v tenants, three times each: more tenants, stronger evidence.
    for (let v = 0; v < 5; v++) {
      for (let i = 0; i < 3 * (2 + v); i++) events.push(send(10 - i * 0.1, { tenant: `t${i % (2 + v)}`, number: `v${v}`, ref: `v${v}` }));
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

  it('is idempotent: runs that see only the same evidence write nothing; new evidence extends the entry', async () => {
    const events = new MemoryEventStore();
    const lists = new MemoryListStore();
    await bombing(events);
    const lastEvidence = NOW - 5 * MINUTE + 7 * 0.5 * MINUTE;
    expect(await runJointDefense({ events, lists }, NOW)).toMatchObject({ events: 8, promoted: 1, written: 1, byReason: { JOINT_DEFENSE_VICTIM: 1 } });
    expect(await runJointDefense({ events, lists }, NOW)).toMatchObject({ promoted: 1, written: 0 });
    expect(await runJointDefense({ events, lists }, NOW + MINUTE)).toMatchObject({ promoted: 1, written: 0 });
    expect(await runJointDefense({ events, lists }, NOW + 4 * MINUTE)).toMatchObject({ promoted: 1, written: 0 });
    expect((await lists.listScope('rep', NOW / 1000))[0]?.expiresAt).toBe(lastEvidence / 1000 + 900);
    // Fresh evidence three and a half minutes on: the entry now lives 15 minutes past it.
    await events.record(send(-3.5, { tenant: 'news', number: 'victim', ref: 'v' }));
    expect(await runJointDefense({ events, lists }, NOW + 4 * MINUTE)).toMatchObject({ promoted: 1, written: 1 });
    expect((await lists.listScope('rep', NOW / 1000))[0]?.expiresAt).toBe((NOW + 3.5 * MINUTE) / 1000 + 900);
  });

  it('folds at most maxEventsPerMinute a minute, newest first, and says evidence was dropped', async () => {
    const events = new MemoryEventStore();
    await bombing(events);
    // Eight attempts over four minutes, two a minute: one a minute is folded.
    expect(await runJointDefense({ events, lists: new MemoryListStore(), maxEventsPerMinute: 1 }, NOW)).toMatchObject({ events: 4, truncated: true });
    expect(await runJointDefense({ events, lists: new MemoryListStore(), maxEventsPerMinute: 1 }, NOW + MINUTE)).toMatchObject({ events: 0, truncated: false });
  });

  it('rejects when the store fails, so the scheduler counts an error', async () => {
    const events = new MemoryEventStore();
    await bombing(events);
    const lists = new MemoryListStore();
    lists.put = () => Promise.reject(new Error('throttled'));
    await expect(runJointDefense({ events, lists }, NOW)).rejects.toThrow('throttled');
  });

  it('keeps the longer expiry of an entry already there (e.g. from a partner feed)', () => {
    const next = {
      scope: 'rep',
      kind: 'number' as const,
      value: 'v',
      action: 'block' as const,
      reason: 'JOINT_DEFENSE_VICTIM',
      evidence: 8,
      confidence: 0.8,
      source: 'local',
      createdAt: 1000,
      expiresAt: 1900,
    };
    expect(mergeEntry(undefined, next)).toBe(next);
    expect(mergeEntry({ ...next, source: 'feed:partner', expiresAt: 5000 }, next)).toEqual({ ...next, expiresAt: 5000 });
    expect(mergeEntry({ ...next, expiresAt: 1800 }, next)).toBeUndefined();
    expect(mergeEntry({ ...next, expiresAt: 1500 }, next)).toEqual(next);
    expect(mergeEntry({ ...next, evidence: 3 }, next)).toEqual(next);
  });
});
