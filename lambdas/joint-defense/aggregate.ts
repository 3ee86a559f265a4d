import type { ListEntry } from '../ports/list-store';
import type { VerdictEvent } from '../ports/event-store';
import { REPUTATION_KINDS, REPUTATION_REASONS, REPUTATION_SCOPE, type ReputationSubject } from '../engine/reputation';

/** Thresholds of the joint-defense aggregation. Windows end at the run's time. */
export interface JointDefenseConfig {
  /** Events read per run: the longest window below. */
  readonly windowMinutes: number;
  /** Bombing victims: one number hammered through several tenants, or far above a person's rate. */
  readonly victim: {
    /** Short window: a burst through several tenants is promoted within minutes. */
    readonly fastWindowMinutes: number;
    readonly fastMinAttempts: number;
    readonly minTenants: number;
    /** Attempts in the whole window through at least `minTenants` tenants. */
    readonly minAttempts: number;
    /** Attempts in the whole window through any number of tenants ("far above normal"). */
    readonly soloMinAttempts: number;
    /** Verified codes per attempt at most: a number whose owner keeps verifying is not bombed. */
    readonly maxVerifiedRatio: number;
    readonly ttlSeconds: number;
  };
  /** Abusive IPs, subnets and devices: blocked for their own behaviour at several tenants. */
  readonly source: {
    readonly minTenants: number;
    /** Attempts blocked by rules other than joint defense itself. */
    readonly minBlocked: number;
    readonly minBlockedRatio: number;
    readonly maxVerifiedRatio: number;
    readonly ttlSeconds: number;
  };
  /** Pumped ranges: many different numbers of one 10,000-number range, almost none verified. */
  readonly range: {
    readonly minNumbers: number;
    readonly minTenants: number;
    /** Different numbers needed when only one tenant saw them. */
    readonly soloMinNumbers: number;
    /** Share of those numbers with a verified code, at most. */
    readonly maxVerifiedRatio: number;
    /** Attempts younger than this are left out: their codes may still be verified. */
    readonly maturitySeconds: number;
    readonly ttlSeconds: number;
  };
  /** Pumped countries: the same across a whole destination country (only ever a score). */
  readonly country: {
    readonly minNumbers: number;
    readonly minTenants: number;
    readonly maxVerifiedRatio: number;
    readonly ttlSeconds: number;
  };
  /** Entries produced per run at most, strongest evidence first. */
  readonly maxEntries: number;
}

export const DEFAULT_JOINT_DEFENSE: JointDefenseConfig = {
  windowMinutes: 60,
  victim: { fastWindowMinutes: 15, fastMinAttempts: 6, minTenants: 2, minAttempts: 8, soloMinAttempts: 20, maxVerifiedRatio: 0.25, ttlSeconds: 900 },
  source: { minTenants: 2, minBlocked: 10, minBlockedRatio: 0.8, maxVerifiedRatio: 0.2, ttlSeconds: 3_600 },
  range: { minNumbers: 6, minTenants: 2, soloMinNumbers: 10, maxVerifiedRatio: 0.1, maturitySeconds: 300, ttlSeconds: 2 * 3_600 },
  country: { minNumbers: 40, minTenants: 2, maxVerifiedRatio: 0.1, ttlSeconds: 2 * 3_600 },
  maxEntries: 1_000,
};

/** A partial config merged onto the defaults, section by section. */
export type JointDefenseOverrides = { readonly [K in keyof JointDefenseConfig]?: JointDefenseConfig[K] extends object ? Partial<JointDefenseConfig[K]> : JointDefenseConfig[K] };

export function jointDefenseConfig(overrides: JointDefenseOverrides = {}): JointDefenseConfig {
  const d = DEFAULT_JOINT_DEFENSE;
  return {
    windowMinutes: overrides.windowMinutes ?? d.windowMinutes,
    victim: { ...d.victim, ...overrides.victim },
    source: { ...d.source, ...overrides.source },
    range: { ...d.range, ...overrides.range },
    country: { ...d.country, ...overrides.country },
    maxEntries: overrides.maxEntries ?? d.maxEntries,
  };
}

/** Distinct numbers kept per range or country: enough to judge, bounded in memory. */
const MAX_NUMBERS = 500;

/** Up to a handful of distinct tenants: the thresholds only ever ask for a few. */
function addTenant(tenants: string[], tenant: string): void {
  if (tenants.length < 16 && !tenants.includes(tenant)) tenants.push(tenant);
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Events of the last window → shared reputation entries (scope `rep`, TTL, evidence, reason).
 * Pure and deterministic: the same events at the same time give the same entries, so running
 * the job twice writes nothing new. Verifications are credited to the send they follow
 * (same tenant and number), so conversion is judged across tenants without any store read.
 *
 * Two passes keep it cheap (it runs every minute over an hour of events): the first only
 * counts per key, the second builds detailed statistics for the few keys that could qualify.
 */
export function aggregateReputation(events: readonly VerdictEvent[], nowMs: number, config: JointDefenseConfig = DEFAULT_JOINT_DEFENSE): ListEntry[] {
  const ordered = inTimeOrder(events);
  const nowSeconds = Math.floor(nowMs / 1000);
  const fastFrom = nowMs - config.victim.fastWindowMinutes * 60_000;
  const matureBefore = nowMs - config.range.maturitySeconds * 1000;
  const v = config.victim;
  const src = config.source;
  const r = config.range;
  const c = config.country;

  // Which sends were verified, and which tenants report outcomes at all (a tenant that never
  // reports would make all of its traffic look unverified).
  const lastSent = new Map<string, Map<string, VerdictEvent>>();
  const verified = new Set<VerdictEvent>();
  const reporting = new Set<string>();
  // First pass: plain counts.
  const numberCount = new Map<string, number>();
  const blockedCount: Record<SourceKind, Map<string, number>> = { ip: new Map(), subnet: new Map(), device: new Map() };
  const rangeCount = new Map<string, number>();
  const countryCount = new Map<string, number>();
  for (const e of ordered) {
    if (e.kind === 'verify') {
      if (e.ref === undefined) continue;
      reporting.add(e.tenant);
      const send = lastSent.get(e.tenant)?.get(e.ref);
      if (send) verified.add(send);
      continue;
    }
    if (e.sent && e.ref !== undefined) {
      let sends = lastSent.get(e.tenant);
      if (!sends) lastSent.set(e.tenant, (sends = new Map()));
      sends.set(e.ref, e);
    }
    if (e.number !== undefined) bump(numberCount, e.number);
    if (blockedByOwnRules(e)) {
      if (e.ip !== undefined) bump(blockedCount.ip, e.ip);
      if (e.subnet !== undefined) bump(blockedCount.subnet, e.subnet);
      if (e.device !== undefined) bump(blockedCount.device, e.device);
    }
    if (e.at < matureBefore) {
      if (e.range !== undefined) bump(rangeCount, e.range);
      if (e.country !== undefined) bump(countryCount, e.country);
    }
  }

  // Second pass: details for the candidates only.
  const minNumberAttempts = Math.min(v.fastMinAttempts, v.minAttempts, v.soloMinAttempts);
  const numbers = new Map<string, NumberStats>();
  const sources: Record<SourceKind, Map<string, SourceStats>> = { ip: new Map(), subnet: new Map(), device: new Map() };
  const ranges = new Map<string, DestinationStats>();
  const countries = new Map<string, DestinationStats>();
  const minRangeNumbers = Math.min(r.minNumbers, r.soloMinNumbers);
  for (const e of ordered) {
    if (e.kind !== 'send') continue;
    const ok = verified.has(e);
    if (e.number !== undefined && (numberCount.get(e.number) ?? 0) >= minNumberAttempts) {
      let s = numbers.get(e.number);
      if (!s) numbers.set(e.number, (s = { attempts: 0, fast: 0, verified: 0, tenants: [], fastTenants: [] }));
      s.attempts++;
      addTenant(s.tenants, e.tenant);
      if (e.at >= fastFrom) {
        s.fast++;
        addTenant(s.fastTenants, e.tenant);
      }
      if (ok) s.verified++;
    }
    if (e.ip !== undefined) addSource(sources.ip, blockedCount.ip, e.ip, e, ok, src.minBlocked);
    if (e.subnet !== undefined) addSource(sources.subnet, blockedCount.subnet, e.subnet, e, ok, src.minBlocked);
    if (e.device !== undefined) addSource(sources.device, blockedCount.device, e.device, e, ok, src.minBlocked);
    if (e.at >= matureBefore || !reporting.has(e.tenant) || e.ref === undefined) continue;
    if (e.range !== undefined && (rangeCount.get(e.range) ?? 0) >= minRangeNumbers) addDestination(ranges, e.range, e, ok);
    if (e.country !== undefined && (countryCount.get(e.country) ?? 0) >= c.minNumbers) addDestination(countries, e.country, e, ok);
  }

  const out: Candidate[] = [];
  for (const [value, s] of numbers) {
    if (s.verified > v.maxVerifiedRatio * s.attempts) continue;
    const threshold =
      s.fastTenants.length >= v.minTenants && s.fast >= v.fastMinAttempts
        ? v.fastMinAttempts
        : s.tenants.length >= v.minTenants && s.attempts >= v.minAttempts
          ? v.minAttempts
          : s.attempts >= v.soloMinAttempts
            ? v.soloMinAttempts
            : undefined;
    if (threshold === undefined) continue;
    const evidence = Math.max(s.attempts, threshold);
    out.push(candidate('number', value, evidence, threshold, v.ttlSeconds, `${s.attempts} attempts via ${s.tenants.length} tenant(s), ${s.verified} verified`));
  }

  for (const kind of SOURCE_KINDS) {
    for (const [value, s] of sources[kind]) {
      if (s.blockedTenants.length < src.minTenants || s.blocked < src.minBlocked) continue;
      if (s.blocked < src.minBlockedRatio * s.attempts || s.verified > src.maxVerifiedRatio * Math.max(1, s.sent)) continue;
      out.push(candidate(kind, value, s.blocked, src.minBlocked, src.ttlSeconds, `${s.blocked} of ${s.attempts} attempts blocked at ${s.blockedTenants.length} tenants`));
    }
  }

  for (const [value, s] of ranges) {
    const needed = s.tenants.length >= r.minTenants ? r.minNumbers : r.soloMinNumbers;
    const ok = verifiedNumbers(s);
    if (s.numbers.size < needed || ok > r.maxVerifiedRatio * s.numbers.size) continue;
    out.push(candidate('range', value, s.numbers.size, needed, r.ttlSeconds, `${s.numbers.size} numbers via ${s.tenants.length} tenant(s), ${ok} verified`));
  }

  for (const [value, s] of countries) {
    const ok = verifiedNumbers(s);
    if (s.tenants.length < c.minTenants || s.numbers.size < c.minNumbers || ok > c.maxVerifiedRatio * s.numbers.size) continue;
    out.push(candidate('country', value, s.numbers.size, c.minNumbers, c.ttlSeconds, `${s.numbers.size} numbers via ${s.tenants.length} tenants, ${ok} verified`));
  }

  // Strongest first, ties in key order: the cut at maxEntries is deterministic.
  out.sort((a, b) => b.strength - a.strength || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out.slice(0, config.maxEntries).map((x) => x.build(nowSeconds));
}

type SourceKind = 'ip' | 'subnet' | 'device';
const SOURCE_KINDS: readonly SourceKind[] = ['ip', 'subnet', 'device'];

interface NumberStats {
  attempts: number;
  fast: number;
  verified: number;
  readonly tenants: string[];
  readonly fastTenants: string[];
}

interface SourceStats {
  attempts: number;
  blocked: number;
  sent: number;
  verified: number;
  readonly blockedTenants: string[];
}

interface DestinationStats {
  /** Number reference → whether any of its codes was verified. */
  readonly numbers: Map<string, boolean>;
  readonly tenants: string[];
}

/**
 * Blocked for its own behaviour: a block with a reason other than joint defense itself, so an
 * entry never sustains itself on the blocks it causes.
 */
function blockedByOwnRules(e: VerdictEvent): boolean {
  if (e.decision !== 'block' || !e.reasons) return false;
  for (const reason of e.reasons) if (!reason.startsWith('JOINT_DEFENSE_')) return true;
  return false;
}

/** Events oldest first; stores usually return them nearly so, and then nothing is sorted. */
function inTimeOrder(events: readonly VerdictEvent[]): readonly VerdictEvent[] {
  for (let i = 1; i < events.length; i++) {
    if ((events[i] as VerdictEvent).at < (events[i - 1] as VerdictEvent).at) return [...events].sort((a, b) => a.at - b.at);
  }
  return events;
}

function addSource(map: Map<string, SourceStats>, blocked: Map<string, number>, key: string, e: VerdictEvent, ok: boolean, minBlocked: number): void {
  if ((blocked.get(key) ?? 0) < minBlocked) return;
  let s = map.get(key);
  if (!s) map.set(key, (s = { attempts: 0, blocked: 0, sent: 0, verified: 0, blockedTenants: [] }));
  s.attempts++;
  if (e.sent) s.sent++;
  if (ok) s.verified++;
  if (blockedByOwnRules(e)) {
    s.blocked++;
    addTenant(s.blockedTenants, e.tenant);
  }
}

function addDestination(map: Map<string, DestinationStats>, key: string, e: VerdictEvent, ok: boolean): void {
  let s = map.get(key);
  if (!s) map.set(key, (s = { numbers: new Map(), tenants: [] }));
  addTenant(s.tenants, e.tenant);
  const ref = e.ref as string;
  const seen = s.numbers.get(ref);
  if (seen === undefined) {
    if (s.numbers.size < MAX_NUMBERS) s.numbers.set(ref, ok);
  } else if (ok && !seen) s.numbers.set(ref, true);
}

function verifiedNumbers(s: DestinationStats): number {
  let n = 0;
  for (const ok of s.numbers.values()) if (ok) n++;
  return n;
}

interface Candidate {
  readonly id: string;
  readonly strength: number;
  build(nowSeconds: number): ListEntry;
}

/**
 * Confidence grows with evidence: 0.75 at the threshold, 1 at twice it. Every promoted entry
 * is confident enough to act on; feeds scale it down by the importer's trust.
 */
export function confidenceOf(evidence: number, threshold: number): number {
  return Math.round(Math.min(1, 0.5 + (0.25 * evidence) / Math.max(1, threshold)) * 100) / 100;
}

function candidate(subject: ReputationSubject, value: string, evidence: number, threshold: number, ttlSeconds: number, display: string): Candidate {
  const kind = REPUTATION_KINDS[subject];
  return {
    id: `${kind}#${value}`,
    strength: evidence / Math.max(1, threshold),
    build: (nowSeconds) => ({
      scope: REPUTATION_SCOPE,
      kind,
      value,
      action: 'block',
      reason: REPUTATION_REASONS[subject],
      display,
      evidence,
      confidence: confidenceOf(evidence, threshold),
      source: 'local',
      createdAt: nowSeconds,
      expiresAt: nowSeconds + ttlSeconds,
    }),
  };
}
