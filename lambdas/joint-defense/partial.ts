/**
 * Per-minute partial aggregates of the joint-defense job: each verdict event is folded once, into
 * the partial of its minute, and the promotion (`promote.ts`) judges the hour from 60 partials
 * instead of re-reading an hour of raw events every minute.
 *
 * A partial keeps, per subject (number, source, range, country), what the window's statistics
 * (`stats.ts`) are built from: counts, per-tenant counts in first-seen order, up to 16 networks,
 * and per tenant the numbers (refs) asked for in first-seen order with their verified flags. The
 * time-dependent parts need no event times: windows are unions of whole minutes (the fast victim
 * window, range maturity), and "first seen" across minutes is minute order.
 *
 * Verifications credit the last send of the same tenant and number (ref), possibly minutes
 * earlier. Within a minute that is resolved while folding. Across minutes a partial records, per
 * (tenant, ref) it saw, its still-uncredited last send (`activity`); a later minute whose first
 * word on that pair is a verification walks back to the latest minute that saw the pair and, if
 * that send is still open, records a `credit` naming the send's minute and subjects. The
 * promotion counts a credit only when that minute is in its window, as a raw aggregation would.
 *
 * Folding needs no thresholds: a partial holds for the last hour whatever the config says.
 */
import type { VerdictEvent } from '../ports/event-store';
import { inTimeOrder } from './aggregate';
import { blockedByOwnRules, DESTINATION_SIGNALS, Evidence, evidenceOf, networkOf } from './evidence';
import { MAX_KEYS, MAX_NUMBERS, SOURCE_KINDS, type SourceKind } from './stats';

/**
 * Tenants kept per subject and minute: far more than any threshold counts. Past it a tenant's
 * detail is dropped and the partial says so (`saturated`).
 */
export const MAX_PART_TENANTS = 1_024;
/**
 * Numbers (refs) kept per destination, tenant and minute: what the window's statistics keep in
 * all (`MAX_NUMBERS`, the first ones asked for). Not counted as saturation: past it, the only
 * detail lost is a verified flag of a number asked for earlier, in a destination already
 * holding its 500 numbers (busy countries, every minute) — the sample the statistics
 * judge the verified share on.
 */
export const MAX_PART_REFS = MAX_NUMBERS;

/** A number's part while its minute is folded (kept as a row of a `NumberTable`). */
export interface NumberPart {
  attempts: number;
  sends: number;
  verified: number;
  lastAt: number;
  /** Tenants and their attempts, side by side (arrays: far lighter than a map per number). */
  readonly tenants: string[];
  readonly counts: number[];
  /** Distinct, at most 16: the statistics only ever ask how many, up to 16. */
  readonly networks: string[];
}

/** A source's part while its minute is folded (kept as a row of a `SourceTable`). */
export interface SourcePart {
  attempts: number;
  sent: number;
  verified: number;
  blocked: number;
  /** Epoch ms of the latest block of the minute (0: none). */
  lastAt: number;
  /** Blocks per tenant, in the order of each tenant's first block (`NO_BLOCKS` until the first). */
  blockedPerTenant: Map<string, number>;
}

/** The blocks of a source never blocked, shared (most sources): never written to. */
export const NO_BLOCKS: ReadonlyMap<string, number> = new Map();

/**
 * A ref's position of its first event in the minute (orders refs of different tenants) and
 * whether any of its sends was verified, in one number: `2 * seq + (verified ? 1 : 0)`.
 */
export type RefPart = number;
export const refPart = (seq: number, ok: boolean): RefPart => 2 * seq + (ok ? 1 : 0);
export const refOk = (r: RefPart): boolean => r % 2 === 1;
export const refSeq = (r: RefPart): number => Math.floor(r / 2);

export interface DestinationTenantPart {
  sends: number;
  lastAt: number;
  /** Distinct, at most 16. */
  readonly networks: string[];
  /** Refs in first-seen order. */
  readonly refs: Map<string, RefPart>;
}

/** A range's or country's part while its minute is folded (kept as rows of a `DestinationTable`). */
export interface DestinationPart {
  /** Qualifying events of any tenant: a cheap upper bound of the numbers it can count. */
  touches: number;
  /** Tenants in first-seen order. */
  readonly tenants: Map<string, DestinationTenantPart>;
}

/** The subjects one send counted for: what a later verification credits. */
export interface OpenSend {
  readonly number?: string;
  readonly ip?: string;
  readonly subnet?: string;
  readonly device?: string;
  readonly range?: string;
  readonly country?: string;
}

/** A verification in this minute that credited an open send of an earlier minute. */
export interface Credit extends OpenSend {
  /** The minute of the credited send. */
  readonly origin: number;
  readonly tenant: string;
  readonly ref: string;
}

/**
 * The numbers of a minute as columns, one row per number (not an object, three arrays and a map
 * entry per number: a partial is kept for an hour, and numbers are most of it). Row `i` of the
 * per-tenant and network columns spans `tenantStart[i] .. tenantStart[i + 1]` (resp. `netStart`).
 */
export interface NumberTable {
  /** Number → row, in first-seen order. */
  readonly index: ReadonlyMap<string, number>;
  readonly attempts: Int32Array;
  readonly sends: Int32Array;
  readonly verified: Int32Array;
  readonly lastAt: Float64Array;
  readonly tenantStart: Int32Array;
  /** Tenants in first-seen order and their attempts. */
  readonly tenants: readonly string[];
  readonly tenantCounts: Int32Array;
  readonly netStart: Int32Array;
  /** Distinct, at most 16 per number. */
  readonly nets: readonly string[];
}

/**
 * The ranges (or countries) of a minute as columns: one row per subject and tenant (tenants of a
 * subject together, in first-seen order), subject `i`'s rows spanning `rowStart[i] ..
 * rowStart[i + 1]`, row `r`'s networks `netStart[r] .. netStart[r + 1]` and its refs (first-seen
 * order) `refStart[r] .. refStart[r + 1]`.
 */
export interface DestinationTable {
  /** Subject → index, in first-seen order. */
  readonly index: ReadonlyMap<string, number>;
  readonly touches: Int32Array;
  readonly rowStart: Int32Array;
  readonly tenants: readonly string[];
  readonly sends: Int32Array;
  readonly lastAt: Float64Array;
  readonly netStart: Int32Array;
  readonly nets: readonly string[];
  readonly refStart: Int32Array;
  readonly refs: readonly string[];
  readonly refParts: Float64Array;
}

/**
 * The sources of one kind of a minute as columns, one row per source; row `i`'s blocks per
 * tenant (in the order of each tenant's first block) span `blockStart[i] .. blockStart[i + 1]`.
 */
export interface SourceTable {
  /** Source → row, in first-seen order. */
  readonly index: ReadonlyMap<string, number>;
  readonly attempts: Int32Array;
  readonly sent: Int32Array;
  readonly verified: Int32Array;
  readonly blocked: Int32Array;
  /** Epoch ms of the latest block of the minute (0: none). */
  readonly lastAt: Float64Array;
  readonly blockStart: Int32Array;
  readonly blockTenants: readonly string[];
  readonly blockCounts: Int32Array;
}

export interface MinutePartial {
  /** Epoch minute. */
  readonly minute: number;
  /** Raw events folded. */
  readonly events: number;
  /** The minute had more events than the fold read: evidence was dropped (an alarm). */
  readonly truncated: boolean;
  /** Tenants dropped at the per-minute cap (`MAX_PART_TENANTS`). */
  readonly saturated: number;
  /** Tenants that reported a verification outcome. */
  readonly reporting: Set<string>;
  readonly numbers: NumberTable;
  readonly sources: Record<SourceKind, SourceTable>;
  readonly ranges: DestinationTable;
  readonly countries: DestinationTable;
  /**
   * Tenant → ref seen this minute → its last send if still uncredited, else null (per tenant:
   * the ref strings are the ones the columns keep, no pair key per ref).
   */
  readonly activity: Activity;
  readonly credits: readonly Credit[];
}

export type Activity = Map<string, Map<string, OpenSend | null>>;

function setActivity(activity: Activity, tenant: string, ref: string, open: OpenSend | null): void {
  let refs = activity.get(tenant);
  if (!refs) activity.set(tenant, (refs = new Map()));
  refs.set(ref, open);
}

/** An earlier minute's partial, if it was folded (a lookup, so folding reads only what it needs). */
export type EarlierPartial = (minute: number) => MinutePartial | undefined;

const pair = (tenant: string, ref: string) => `${tenant}\u0000${ref}`;

/**
 * Fold the events of one minute into its partial. `earlier` gives the partials of the minutes
 * before it (at most `lookback` of them are asked), for crediting their open sends.
 */
export function foldMinute(
  minute: number,
  events: readonly VerdictEvent[],
  earlier: EarlierPartial,
  options: { lookback: number; truncated?: boolean },
): MinutePartial {
  const ordered = inTimeOrder(events);
  const intern = interner();
  const reporting = new Set<string>();
  const activity: Activity = new Map();
  const credits: Credit[] = [];
  // Verifications first: which sends of this minute are credited, which pairs start with a verification.
  const ok = new Uint8Array(ordered.length);
  const lastSent = new Map<string, number>();
  const heads: { tenant: string; ref: string }[] = [];
  for (let i = 0; i < ordered.length; i++) {
    const e = ordered[i] as VerdictEvent;
    if (e.ref === undefined) continue;
    const key = pair(e.tenant, e.ref);
    if (e.kind === 'verify') {
      reporting.add(e.tenant);
      const send = lastSent.get(key);
      if (send !== undefined) ok[send] = 1;
      else if (activity.get(e.tenant)?.has(e.ref) !== true) {
        setActivity(activity, intern(e.tenant), intern(e.ref), null);
        heads.push({ tenant: e.tenant, ref: e.ref });
      }
    } else if (e.sent) lastSent.set(key, i);
  }
  for (const { tenant, ref } of heads) {
    for (let m = minute - 1; m >= minute - options.lookback; m--) {
      const seen = earlier(m)?.activity.get(tenant)?.get(ref);
      if (seen === undefined) continue;
      if (seen !== null) credits.push({ origin: m, tenant, ref, ...seen });
      break;
    }
  }

  const numbers = new Map<string, NumberPart>();
  const sources: Record<SourceKind, Map<string, SourcePart>> = { ip: new Map(), subnet: new Map(), device: new Map() };
  const ranges = new Map<string, DestinationPart>();
  const countries = new Map<string, DestinationPart>();
  let saturated = 0;
  // A pair's last send: credited here (null), or open for a later minute's verification.
  const open = new Set<number>();
  for (const i of lastSent.values()) {
    const e = ordered[i] as VerdictEvent;
    setActivity(activity, intern(e.tenant), intern(e.ref as string), null);
    if (!ok[i]) open.add(i);
  }
  for (let i = 0; i < ordered.length; i++) {
    const e = ordered[i] as VerdictEvent;
    if (e.kind === 'verify') continue;
    const verified = ok[i] === 1;
    const blocked = blockedByOwnRules(e);
    for (const kind of SOURCE_KINDS) {
      const value = e[kind];
      if (value === undefined) continue;
      let s = sources[kind].get(value);
      if (!s) sources[kind].set(value, (s = { attempts: 0, sent: 0, verified: 0, blocked: 0, lastAt: 0, blockedPerTenant: NO_BLOCKS as Map<string, number> }));
      s.attempts++;
      if (e.sent) s.sent++;
      if (verified) s.verified++;
      if (blocked) {
        s.blocked++;
        s.lastAt = e.at;
        if (s.blockedPerTenant === NO_BLOCKS) s.blockedPerTenant = new Map();
        const n = s.blockedPerTenant.get(e.tenant);
        if (n !== undefined) s.blockedPerTenant.set(e.tenant, n + 1);
        else if (s.blockedPerTenant.size < MAX_PART_TENANTS) s.blockedPerTenant.set(e.tenant, 1);
        else saturated++;
      }
    }
    const evidence = evidenceOf(e);
    if (evidence !== Evidence.None && e.number !== undefined) {
      let s = numbers.get(e.number);
      if (!s) numbers.set(e.number, (s = { attempts: 0, sends: 0, verified: 0, lastAt: 0, tenants: [], counts: [], networks: [] }));
      s.attempts++;
      s.lastAt = e.at;
      if (evidence === Evidence.Full) s.sends++;
      if (verified) s.verified++;
      const at = s.tenants.indexOf(e.tenant);
      if (at >= 0) s.counts[at] = (s.counts[at] as number) + 1;
      else if (s.tenants.length < MAX_PART_TENANTS) {
        s.tenants.push(e.tenant);
        s.counts.push(1);
      } else saturated++;
      addNetwork(s.networks, networkOf(e));
    }
    const destination = evidence === Evidence.Full || evidence === Evidence.Corroborating ? evidence : evidenceOf(e, DESTINATION_SIGNALS);
    if (destination !== Evidence.None && e.ref !== undefined) {
      if (e.range !== undefined) saturated += addDestination(ranges, e.range, e, i, verified, destination);
      if (e.country !== undefined) saturated += addDestination(countries, e.country, e, i, verified, destination);
    }
    if (open.has(i)) {
      // One shape for all (absent subjects undefined): compact in memory, omitted in JSON.
      setActivity(activity, intern(e.tenant), intern(e.ref as string), {
        number: evidence !== Evidence.None ? maybe(intern, e.number) : undefined,
        ip: maybe(intern, e.ip),
        subnet: maybe(intern, e.subnet),
        device: maybe(intern, e.device),
        range: destination !== Evidence.None ? maybe(intern, e.range) : undefined,
        country: destination !== Evidence.None ? maybe(intern, e.country) : undefined,
      });
    }
  }
  return {
    minute,
    events: ordered.length,
    truncated: options.truncated ?? false,
    saturated,
    reporting,
    numbers: numberTable(numbers, intern),
    sources: { ip: sourceTable(sources.ip, intern), subnet: sourceTable(sources.subnet, intern), device: sourceTable(sources.device, intern) },
    ranges: destinationTable(ranges, intern),
    countries: destinationTable(countries, intern),
    activity,
    credits,
  };
}

export function addNetwork(networks: string[], network: string): void {
  if (networks.length < MAX_KEYS && !networks.includes(network)) networks.push(network);
}

function addDestination(map: Map<string, DestinationPart>, key: string, e: VerdictEvent, seq: number, ok: boolean, evidence: Evidence): number {
  let d = map.get(key);
  if (!d) map.set(key, (d = { touches: 0, tenants: new Map() }));
  d.touches++;
  let t = d.tenants.get(e.tenant);
  if (!t) {
    if (d.tenants.size >= MAX_PART_TENANTS) return 1;
    d.tenants.set(e.tenant, (t = { sends: 0, lastAt: 0, networks: [], refs: new Map() }));
  }
  if (evidence === Evidence.Full) t.sends++;
  t.lastAt = e.at;
  addNetwork(t.networks, networkOf(e));
  const ref = e.ref as string;
  const seen = t.refs.get(ref);
  if (seen !== undefined) {
    if (ok && !refOk(seen)) t.refs.set(ref, seen + 1);
    return 0;
  }
  if (t.refs.size >= MAX_PART_REFS) return 0;
  t.refs.set(ref, refPart(seq, ok));
  return 0;
}

/**
 * One copy of each string: events parsed from storage hold a copy of a tenant, key or ref per
 * event, and a partial keeps the same ones in several columns (a tenant in every row).
 */
export type Intern = (s: string) => string;

export function interner(): Intern {
  const pool = new Map<string, string>();
  return (s) => {
    const had = pool.get(s);
    if (had !== undefined) return had;
    pool.set(s, s);
    return s;
  };
}

const maybe = (intern: Intern, s: string | undefined) => (s === undefined ? undefined : intern(s));

/** The numbers folded, as the columns a partial keeps. */
export function numberTable(numbers: ReadonlyMap<string, NumberPart>, intern: Intern = interner()): NumberTable {
  const n = numbers.size;
  const index = new Map<string, number>();
  const attempts = new Int32Array(n);
  const sends = new Int32Array(n);
  const verified = new Int32Array(n);
  const lastAt = new Float64Array(n);
  const tenantStart = new Int32Array(n + 1);
  const netStart = new Int32Array(n + 1);
  const tenants: string[] = [];
  const tenantCounts: number[] = [];
  const nets: string[] = [];
  let i = 0;
  for (const [key, s] of numbers) {
    index.set(intern(key), i);
    attempts[i] = s.attempts;
    sends[i] = s.sends;
    verified[i] = s.verified;
    lastAt[i] = s.lastAt;
    for (let j = 0; j < s.tenants.length; j++) {
      tenants.push(intern(s.tenants[j] as string));
      tenantCounts.push(s.counts[j] as number);
    }
    for (const net of s.networks) nets.push(intern(net));
    i++;
    tenantStart[i] = tenants.length;
    netStart[i] = nets.length;
  }
  return { index, attempts, sends, verified, lastAt, tenantStart, tenants, tenantCounts: Int32Array.from(tenantCounts), netStart, nets };
}

/** The ranges or countries folded, as the columns a partial keeps. */
export function destinationTable(map: ReadonlyMap<string, DestinationPart>, intern: Intern = interner()): DestinationTable {
  const index = new Map<string, number>();
  const touches = new Int32Array(map.size);
  const rowStart = new Int32Array(map.size + 1);
  const tenants: string[] = [];
  const sends: number[] = [];
  const lastAt: number[] = [];
  const netStart: number[] = [0];
  const nets: string[] = [];
  const refStart: number[] = [0];
  const refs: string[] = [];
  const refParts: number[] = [];
  let i = 0;
  for (const [key, d] of map) {
    index.set(intern(key), i);
    touches[i] = d.touches;
    for (const [tenant, t] of d.tenants) {
      tenants.push(intern(tenant));
      sends.push(t.sends);
      lastAt.push(t.lastAt);
      for (const net of t.networks) nets.push(intern(net));
      netStart.push(nets.length);
      for (const [ref, r] of t.refs) {
        refs.push(intern(ref));
        refParts.push(r);
      }
      refStart.push(refs.length);
    }
    i++;
    rowStart[i] = tenants.length;
  }
  return {
    index,
    touches,
    rowStart,
    tenants,
    sends: Int32Array.from(sends),
    lastAt: Float64Array.from(lastAt),
    netStart: Int32Array.from(netStart),
    nets,
    refStart: Int32Array.from(refStart),
    refs,
    refParts: Float64Array.from(refParts),
  };
}

/** The sources of one kind folded, as the columns a partial keeps. */
export function sourceTable(sources: ReadonlyMap<string, SourcePart>, intern: Intern = interner()): SourceTable {
  const n = sources.size;
  const index = new Map<string, number>();
  const attempts = new Int32Array(n);
  const sent = new Int32Array(n);
  const verified = new Int32Array(n);
  const blocked = new Int32Array(n);
  const lastAt = new Float64Array(n);
  const blockStart = new Int32Array(n + 1);
  const blockTenants: string[] = [];
  const blockCounts: number[] = [];
  let i = 0;
  for (const [key, s] of sources) {
    index.set(intern(key), i);
    attempts[i] = s.attempts;
    sent[i] = s.sent;
    verified[i] = s.verified;
    blocked[i] = s.blocked;
    lastAt[i] = s.lastAt;
    for (const [tenant, count] of s.blockedPerTenant) {
      blockTenants.push(intern(tenant));
      blockCounts.push(count);
    }
    i++;
    blockStart[i] = blockTenants.length;
  }
  return { index, attempts, sent, verified, blocked, lastAt, blockStart, blockTenants, blockCounts: Int32Array.from(blockCounts) };
}
