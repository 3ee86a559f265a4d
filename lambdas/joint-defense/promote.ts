/**
 * The promotion step over per-minute partials (`partial.ts`): the window's statistics are built
 * from the partials of its minutes and judged exactly as `aggregateReputation` judges raw events.
 *
 * Windows are whole minutes, ending with the minute of `nowMs` (the one still open, if given):
 * the window is the `windowMinutes` closed minutes before it, the fast victim window the last
 * `fastWindowMinutes` of them, and a minute is mature once it ended `maturitySeconds` (rounded up
 * to whole minutes) before the current one began. At a whole minute, with no open minute given,
 * that is what `aggregateReputation` computes over the same events.
 */
import { minuteOf } from '../ports/event-store';
import type { ListEntry } from '../ports/list-store';
import { judge } from './aggregate';
import { DEFAULT_JOINT_DEFENSE, type JointDefenseConfig } from './config';
import type { Credit, DestinationPart, MinutePartial } from './partial';
import { addKey, type DestinationStats, MAX_KEYS, MAX_NUMBERS, type NumberStats, SOURCE_KINDS, type SourceKind, type SourceStats } from './stats';

export interface Promotion {
  readonly entries: ListEntry[];
  /** Partials in the window. */
  readonly partials: number;
  /** Details the window's partials dropped at their caps. */
  readonly saturated: number;
}

/** Minutes of the window at `nowMs`: `[from, to]`, `to` being the current (open) minute. */
export function windowMinutes(nowMs: number, config: JointDefenseConfig): { from: number; to: number } {
  const to = minuteOf(nowMs);
  return { from: to - config.windowMinutes, to };
}

/**
 * Entries the partials support at `nowMs`. Partials outside the window are ignored; the rest
 * may come in any order.
 */
export function promote(all: readonly MinutePartial[], nowMs: number, config: JointDefenseConfig = DEFAULT_JOINT_DEFENSE): Promotion {
  const { from, to } = windowMinutes(nowMs, config);
  const partials = all.filter((p) => p.minute >= from && p.minute <= to).sort((a, b) => a.minute - b.minute);
  const fastFrom = to - config.victim.fastWindowMinutes;
  const matureBefore = to - Math.ceil(config.range.maturitySeconds / 60);
  const v = config.victim;

  const reporting = new Set<string>();
  let saturated = 0;
  // Verifications that credited a send of an earlier minute in the window.
  const credited = { number: new Map<string, number>(), ip: new Map<string, number>(), subnet: new Map<string, number>(), device: new Map<string, number>() };
  const creditedRefs = new Set<string>();
  for (const p of partials) {
    saturated += p.saturated;
    for (const t of p.reporting) reporting.add(t);
    for (const c of p.credits) if (c.origin >= from) credit(c);
  }
  function credit(c: Credit): void {
    for (const kind of ['number', ...SOURCE_KINDS] as const) {
      const value = c[kind];
      if (value !== undefined) credited[kind].set(value, (credited[kind].get(value) ?? 0) + 1);
    }
    if (c.range !== undefined) creditedRefs.add(refKey('r', c.range, c.origin, c.tenant, c.ref));
    if (c.country !== undefined) creditedRefs.add(refKey('c', c.country, c.origin, c.tenant, c.ref));
  }

  // Numbers: only those with enough attempts in the window can qualify.
  const minNumberAttempts = Math.min(v.fastMinAttempts, v.minAttempts);
  const numbers = new Map<string, NumberStats>();
  for (const key of candidates(
    partials,
    (p) => p.numbers,
    (n) => n.attempts,
    minNumberAttempts,
  )) {
    const s: NumberStats = {
      attempts: 0,
      verified: credited.number.get(key) ?? 0,
      sends: 0,
      lastAt: 0,
      perTenant: new Map(),
      fastPerTenant: new Map(),
      networks: new Set(),
    };
    for (const p of partials) {
      const n = p.numbers.get(key);
      if (!n) continue;
      s.attempts += n.attempts;
      s.sends += n.sends;
      s.verified += n.verified;
      if (n.lastAt > s.lastAt) s.lastAt = n.lastAt;
      for (const [tenant, count] of n.perTenant) {
        s.perTenant.set(tenant, (s.perTenant.get(tenant) ?? 0) + count);
        if (p.minute >= fastFrom) s.fastPerTenant.set(tenant, (s.fastPerTenant.get(tenant) ?? 0) + count);
      }
      for (const network of n.networks) addKey(s.networks, network);
    }
    numbers.set(key, s);
  }

  // Sources: only those blocked often enough.
  const sources: Record<SourceKind, Map<string, SourceStats>> = { ip: new Map(), subnet: new Map(), device: new Map() };
  for (const kind of SOURCE_KINDS) {
    for (const key of candidates(
      partials,
      (p) => p.sources[kind],
      (n) => n.blocked,
      config.source.minBlocked,
    )) {
      const s: SourceStats = { attempts: 0, blocked: 0, lastAt: 0, sent: 0, verified: credited[kind].get(key) ?? 0, blockedPerTenant: new Map() };
      for (const p of partials) {
        const n = p.sources[kind].get(key);
        if (!n) continue;
        s.attempts += n.attempts;
        s.blocked += n.blocked;
        s.sent += n.sent;
        s.verified += n.verified;
        if (n.lastAt > s.lastAt) s.lastAt = n.lastAt;
        // A tenant counts once it is among the first 16 to block: minutes in order, tenants in order.
        for (const [tenant, count] of n.blockedPerTenant) {
          const had = s.blockedPerTenant.get(tenant);
          if (had !== undefined) s.blockedPerTenant.set(tenant, had + count);
          else if (s.blockedPerTenant.size < MAX_KEYS) s.blockedPerTenant.set(tenant, count);
        }
      }
      sources[kind].set(key, s);
    }
  }

  // Ranges and countries: mature minutes, tenants that report outcomes.
  const mature = partials.filter((p) => p.minute < matureBefore);
  const destinations = (tag: 'r' | 'c', of: (p: MinutePartial) => ReadonlyMap<string, DestinationPart>, minNumbers: number, maxPerTenant: number) => {
    const out = new Map<string, DestinationStats>();
    for (const key of candidates(mature, of, (d) => d.touches, minNumbers)) {
      const s: DestinationStats = { numbers: new Map(), counted: new Map(), networks: new Set(), sends: 0, lastAt: 0 };
      for (const p of mature) {
        const d = of(p).get(key);
        if (!d) continue;
        const refs: { ref: string; ok: boolean; seq: number }[] = [];
        for (const [tenant, t] of d.tenants) {
          if (!reporting.has(tenant)) continue;
          s.sends += t.sends;
          if (t.lastAt > s.lastAt) s.lastAt = t.lastAt;
          for (const network of t.networks) addKey(s.networks, network);
          let mine = s.counted.get(tenant);
          if (!mine && s.counted.size < MAX_KEYS) s.counted.set(tenant, (mine = []));
          for (const [ref, r] of t.refs) {
            if (mine && mine.length < maxPerTenant && !mine.includes(ref)) mine.push(ref);
            refs.push({ ref, ok: r.ok || creditedRefs.has(refKey(tag, key, p.minute, tenant, ref)), seq: r.seq });
          }
        }
        refs.sort((a, b) => a.seq - b.seq);
        for (const { ref, ok } of refs) {
          const seen = s.numbers.get(ref);
          if (seen === undefined) {
            if (s.numbers.size < MAX_NUMBERS) s.numbers.set(ref, ok);
          } else if (ok && !seen) s.numbers.set(ref, true);
        }
      }
      if (s.sends > 0 || s.counted.size > 0) out.set(key, s);
    }
    return out;
  };
  const ranges = destinations('r', (p) => p.ranges, config.range.minNumbers, config.range.maxPerTenant);
  const countries = destinations('c', (p) => p.countries, config.country.minNumbers, config.country.maxPerTenant);

  return { entries: judge(numbers, sources, ranges, countries, nowMs, config), partials: partials.length, saturated };
}

function refKey(tag: string, key: string, minute: number, tenant: string, ref: string): string {
  return `${tag}\u0000${key}\u0000${minute}\u0000${tenant}\u0000${ref}`;
}

/** Keys whose counts over the partials reach `min`. */
function candidates<T>(partials: readonly MinutePartial[], of: (p: MinutePartial) => ReadonlyMap<string, T>, count: (t: T) => number, min: number): string[] {
  if (partials.length === 1) {
    const out: string[] = [];
    for (const [key, t] of of(partials[0] as MinutePartial)) if (count(t) >= min) out.push(key);
    return out;
  }
  const totals = new Map<string, number>();
  for (const p of partials) for (const [key, t] of of(p)) totals.set(key, (totals.get(key) ?? 0) + count(t));
  const out: string[] = [];
  for (const [key, n] of totals) if (n >= min) out.push(key);
  return out;
}
