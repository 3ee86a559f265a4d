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
import { type Credit, type DestinationTable, type MinutePartial, type RefPart, refOk, refSeq } from './partial';
import {
  addKey,
  countedNumbers,
  type DestinationStats,
  MAX_KEYS,
  MAX_NUMBERS,
  type NumberStats,
  SOURCE_KINDS,
  type SourceKind,
  type SourceStats,
} from './stats';

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
export function promote(
  all: readonly MinutePartial[],
  nowMs: number,
  config: JointDefenseConfig = DEFAULT_JOINT_DEFENSE,
  index: PromotionIndex = new PromotionIndex(config),
): Promotion {
  const { from, to } = windowMinutes(nowMs, config);
  const partials = all.filter((p) => p.minute >= from && p.minute <= to).sort((a, b) => a.minute - b.minute);
  const fastFrom = to - config.victim.fastWindowMinutes;
  const v = config.victim;
  const src = config.source;
  const matureBefore = to - Math.ceil(config.range.maturitySeconds / 60);
  const mature = partials.filter((p) => p.minute < matureBefore);
  index.sync(partials, mature);

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
  const numbers = new Map<string, NumberStats>();
  for (const key of index.numbers.over) {
    // Verified too often already (credits from later minutes only add to it): never an entry.
    if (index.numberVerified.get(key) > v.maxVerifiedRatio * index.numbers.get(key)) continue;
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
      const t = p.numbers;
      const i = t.index.get(key);
      if (i === undefined) continue;
      s.attempts += t.attempts[i] as number;
      s.sends += t.sends[i] as number;
      s.verified += t.verified[i] as number;
      if ((t.lastAt[i] as number) > s.lastAt) s.lastAt = t.lastAt[i] as number;
      for (let j = t.tenantStart[i] as number; j < (t.tenantStart[i + 1] as number); j++) {
        const tenant = t.tenants[j] as string;
        const count = t.tenantCounts[j] as number;
        s.perTenant.set(tenant, (s.perTenant.get(tenant) ?? 0) + count);
        if (p.minute >= fastFrom) s.fastPerTenant.set(tenant, (s.fastPerTenant.get(tenant) ?? 0) + count);
      }
      for (let j = t.netStart[i] as number; j < (t.netStart[i + 1] as number); j++) addKey(s.networks, t.nets[j] as string);
    }
    numbers.set(key, s);
  }

  // Sources: only those blocked often enough.
  const sources: Record<SourceKind, Map<string, SourceStats>> = { ip: new Map(), subnet: new Map(), device: new Map() };
  for (const kind of SOURCE_KINDS) {
    for (const key of index.sources[kind].over) {
      // Blocked too rarely, or verified too often already: never an entry.
      const attempts = index.sourceAttempts[kind].get(key);
      const blocked = index.sources[kind].get(key);
      if (blocked < src.minBlockedRatio * attempts || index.sourceVerified[kind].get(key) > src.maxVerifiedRatio * Math.max(1, index.sourceSent[kind].get(key)))
        continue;
      const s: SourceStats = { attempts: 0, blocked: 0, lastAt: 0, sent: 0, verified: credited[kind].get(key) ?? 0, blockedPerTenant: new Map() };
      for (const p of partials) {
        const t = p.sources[kind];
        const i = t.index.get(key);
        if (i === undefined) continue;
        s.attempts += t.attempts[i] as number;
        s.blocked += t.blocked[i] as number;
        s.sent += t.sent[i] as number;
        s.verified += t.verified[i] as number;
        if ((t.lastAt[i] as number) > s.lastAt) s.lastAt = t.lastAt[i] as number;
        // A tenant counts once it is among the first 16 to block: minutes in order, tenants in order.
        for (let j = t.blockStart[i] as number; j < (t.blockStart[i + 1] as number); j++) {
          const tenant = t.blockTenants[j] as string;
          const count = t.blockCounts[j] as number;
          const had = s.blockedPerTenant.get(tenant);
          if (had !== undefined) s.blockedPerTenant.set(tenant, had + count);
          else if (s.blockedPerTenant.size < MAX_KEYS) s.blockedPerTenant.set(tenant, count);
        }
      }
      sources[kind].set(key, s);
    }
  }

  // Ranges and countries: mature minutes, tenants that report outcomes.
  // Ranges and countries: judged in steps, so the many busy, well-verified ones cost little: sums
  // first, then the verified share (which stops as soon as it alone rules the subject out), then
  // tenants, networks and counted numbers.
  const destinations = (tag: 'r' | 'c', of: (p: MinutePartial) => DestinationTable, running: RunningCount, rules: DestinationRules) => {
    const out = new Map<string, DestinationStats>();
    for (const key of running.over) {
      // The mature partials that hold this subject, oldest first.
      const holding = running.where?.get(key) ?? [];
      // What rules most subjects out costs no allocation: sends, the numbers and tenants at most.
      let sends = 0;
      let refsAtMost = 0;
      let tenantsAtMost = 0;
      for (const p of holding) {
        const d = of(p);
        const i = d.index.get(key);
        if (i === undefined) continue;
        for (let row = d.rowStart[i] as number; row < (d.rowStart[i + 1] as number); row++) {
          if (!reporting.has(d.tenants[row] as string)) continue;
          sends += d.sends[row] as number;
          refsAtMost += (d.refStart[row + 1] as number) - (d.refStart[row] as number);
          tenantsAtMost++;
        }
      }
      if (sends === 0 || refsAtMost < rules.minNumbers || tenantsAtMost < rules.minTenants) continue;
      const s: DestinationStats = { numbers: new Map(), counted: new Map(), networks: new Set(), sends: 0, lastAt: 0 };
      // The verified share first: it rules busy, well-verified subjects out after a few numbers.
      // More verified numbers than the share allows of the most numbers it can keep rule it out
      // whatever follows (the verified count only grows).
      const enough = rules.maxVerifiedRatio * Math.min(MAX_NUMBERS, refsAtMost);
      let ok = 0;
      const add = (ref: string, verified: boolean) => {
        const seen = s.numbers.get(ref);
        if (seen === undefined) {
          if (s.numbers.size < MAX_NUMBERS) {
            s.numbers.set(ref, verified);
            if (verified) ok++;
          }
        } else if (verified && !seen) {
          s.numbers.set(ref, true);
          ok++;
        }
      };
      const verifiedRef = (p: MinutePartial, tenant: string, ref: string, r: RefPart) =>
        refOk(r) || (creditedRefs.size > 0 && creditedRefs.has(refKey(tag, key, p.minute, tenant, ref)));
      let ruledOut = false;
      for (const p of holding) {
        const d = of(p);
        const i = d.index.get(key);
        if (i === undefined) continue;
        const rows: number[] = [];
        for (let row = d.rowStart[i] as number; row < (d.rowStart[i + 1] as number); row++) if (reporting.has(d.tenants[row] as string)) rows.push(row);
        if (rows.length === 1) {
          const row = rows[0] as number;
          const tenant = d.tenants[row] as string;
          for (let j = d.refStart[row] as number; j < (d.refStart[row + 1] as number); j++)
            add(d.refs[j] as string, verifiedRef(p, tenant, d.refs[j] as string, d.refParts[j] as number));
        } else {
          // Several tenants in one minute: their numbers in the order they were first asked for.
          const refs: { ref: string; ok: boolean; seq: number }[] = [];
          for (const row of rows) {
            const tenant = d.tenants[row] as string;
            for (let j = d.refStart[row] as number; j < (d.refStart[row + 1] as number); j++) {
              const ref = d.refs[j] as string;
              const r = d.refParts[j] as number;
              refs.push({ ref, ok: verifiedRef(p, tenant, ref, r), seq: refSeq(r) });
            }
          }
          refs.sort((x, y) => x.seq - y.seq);
          for (const { ref, ok: verified } of refs) add(ref, verified);
        }
        if (ok > enough) {
          ruledOut = true;
          break;
        }
      }
      if (ruledOut) continue;
      // Then tenants, networks and the numbers counted per tenant.
      for (const p of holding) {
        const d = of(p);
        const i = d.index.get(key);
        if (i === undefined) continue;
        for (let row = d.rowStart[i] as number; row < (d.rowStart[i + 1] as number); row++) {
          const tenant = d.tenants[row] as string;
          if (!reporting.has(tenant)) continue;
          s.sends += d.sends[row] as number;
          if ((d.lastAt[row] as number) > s.lastAt) s.lastAt = d.lastAt[row] as number;
          for (let j = d.netStart[row] as number; j < (d.netStart[row + 1] as number); j++) addKey(s.networks, d.nets[j] as string);
          let mine = s.counted.get(tenant);
          if (!mine && s.counted.size < MAX_KEYS) s.counted.set(tenant, (mine = []));
          if (!mine) continue;
          for (let j = d.refStart[row] as number; j < (d.refStart[row + 1] as number); j++) {
            if (mine.length >= rules.maxPerTenant) break;
            const ref = d.refs[j] as string;
            if (!mine.includes(ref)) mine.push(ref);
          }
        }
      }
      if (s.sends === 0 || s.counted.size < rules.minTenants || s.networks.size < rules.minNetworks || countedNumbers(s) < rules.minNumbers) continue;
      out.set(key, s);
    }
    return out;
  };
  const r = config.range;
  const c = config.country;
  const ranges = destinations('r', (p) => p.ranges, index.ranges, r);
  const countries = destinations('c', (p) => p.countries, index.countries, { ...c, minNetworks: 0 });

  return { entries: judge(numbers, sources, ranges, countries, nowMs, config), partials: partials.length, saturated };
}

/** What the two steps of a range or country judgement need of its config. */
interface DestinationRules {
  readonly minNumbers: number;
  readonly minTenants: number;
  readonly minNetworks: number;
  readonly maxPerTenant: number;
  readonly maxVerifiedRatio: number;
}

function refKey(tag: string, key: string, minute: number, tenant: string, ref: string): string {
  return `${tag}\u0000${key}\u0000${minute}\u0000${tenant}\u0000${ref}`;
}

/**
 * Per key, a count summed over a set of partials, and the keys whose sum reaches `min`; with
 * `where`, also the partials each key is in, oldest first (what judging a key walks).
 */
class RunningCount {
  private readonly totals = new Map<string, number>();
  readonly over = new Set<string>();

  get(key: string): number {
    return this.totals.get(key) ?? 0;
  }
  readonly where?: Map<string, MinutePartial[]>;

  constructor(
    private readonly min: number,
    tracked = false,
  ) {
    if (tracked) this.where = new Map();
  }

  add<T>(p: MinutePartial, map: Iterable<[string, T]>, count: (t: T) => number, sign: 1 | -1): void {
    const min = this.min;
    const where = this.where;
    for (const [key, t] of map) {
      if (where) {
        const list = where.get(key);
        if (sign === 1) {
          if (!list) where.set(key, [p]);
          else {
            let i = list.length;
            while (i > 0 && (list[i - 1] as MinutePartial).minute > p.minute) i--;
            list.splice(i, 0, p);
          }
        } else if (list) {
          const rest = list.filter((x) => x !== p);
          if (rest.length > 0) where.set(key, rest);
          else where.delete(key);
        }
      }
      const n = count(t);
      if (n === 0) continue;
      const before = this.totals.get(key) ?? 0;
      const after = before + sign * n;
      if (after === 0) this.totals.delete(key);
      else this.totals.set(key, after);
      if (before < min && after >= min) this.over.add(key);
      else if (before >= min && after < min) this.over.delete(key);
    }
  }
}

/** Per key, a count summed over a set of partials (kept beside a `RunningCount`). */
class RunningSum {
  private readonly totals = new Map<string, number>();

  get(key: string): number {
    return this.totals.get(key) ?? 0;
  }

  add<T>(map: Iterable<[string, T]>, count: (t: T) => number, sign: 1 | -1): void {
    for (const [key, t] of map) {
      const n = count(t);
      if (n === 0) continue;
      const after = (this.totals.get(key) ?? 0) + sign * n;
      if (after === 0) this.totals.delete(key);
      else this.totals.set(key, after);
    }
  }
}

/**
 * Which subjects have enough evidence in the window to be worth judging (attempts of a number,
 * blocks of a source, qualifying events of a range or country in mature minutes), kept up to
 * date as partials enter and leave the window: a run adds the newest minute and subtracts the
 * one that left, rather than summing the whole window again. One index serves one config.
 */
export class PromotionIndex {
  /** Attempts per number (one sum serves both the threshold and the verified share). */
  readonly numbers: RunningCount;
  /** Verified attempts (within their minute: a lower bound) per number. */
  readonly numberVerified = new RunningSum();
  readonly sources: Record<SourceKind, RunningCount>;
  /** Attempts, sends and verified sends (within their minute) per source. */
  readonly sourceAttempts: Record<SourceKind, RunningSum> = { ip: new RunningSum(), subnet: new RunningSum(), device: new RunningSum() };
  readonly sourceSent: Record<SourceKind, RunningSum> = { ip: new RunningSum(), subnet: new RunningSum(), device: new RunningSum() };
  readonly sourceVerified: Record<SourceKind, RunningSum> = { ip: new RunningSum(), subnet: new RunningSum(), device: new RunningSum() };
  readonly ranges: RunningCount;
  readonly countries: RunningCount;
  private readonly window = new Map<number, MinutePartial>();
  private readonly mature = new Map<number, MinutePartial>();

  constructor(readonly config: JointDefenseConfig) {
    const source = () => new RunningCount(config.source.minBlocked);
    this.numbers = new RunningCount(Math.min(config.victim.fastMinAttempts, config.victim.minAttempts));
    this.sources = { ip: source(), subnet: source(), device: source() };
    this.ranges = new RunningCount(config.range.minNumbers, true);
    this.countries = new RunningCount(config.country.minNumbers, true);
  }

  /** Make the sums those of exactly these partials (a partial is known by identity). */
  sync(window: readonly MinutePartial[], mature: readonly MinutePartial[]): void {
    syncSet(this.window, window, (p, sign) => {
      const n = p.numbers;
      this.numbers.add(p, n.index, (i) => n.attempts[i] as number, sign);
      this.numberVerified.add(n.index, (i) => n.verified[i] as number, sign);
      for (const kind of SOURCE_KINDS) {
        const s = p.sources[kind];
        this.sources[kind].add(p, s.index, (i) => s.blocked[i] as number, sign);
        this.sourceAttempts[kind].add(s.index, (i) => s.attempts[i] as number, sign);
        this.sourceSent[kind].add(s.index, (i) => s.sent[i] as number, sign);
        this.sourceVerified[kind].add(s.index, (i) => s.verified[i] as number, sign);
      }
    });
    syncSet(this.mature, mature, (p, sign) => {
      this.ranges.add(p, p.ranges.index, (i) => p.ranges.touches[i] as number, sign);
      this.countries.add(p, p.countries.index, (i) => p.countries.touches[i] as number, sign);
    });
  }
}

function syncSet(held: Map<number, MinutePartial>, wanted: readonly MinutePartial[], apply: (p: MinutePartial, sign: 1 | -1) => void): void {
  const want = new Map(wanted.map((p) => [p.minute, p]));
  for (const [minute, p] of held) {
    if (want.get(minute) === p) continue;
    apply(p, -1);
    held.delete(minute);
  }
  for (const [minute, p] of want) {
    if (held.has(minute)) continue;
    apply(p, 1);
    held.set(minute, p);
  }
}
