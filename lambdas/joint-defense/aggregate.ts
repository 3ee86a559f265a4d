import type { ListEntry } from '../ports/list-store';
import type { VerdictEvent } from '../ports/event-store';
import { Reason } from '../domain/reasons';
import { REPUTATION_KINDS, REPUTATION_REASONS, REPUTATION_SCOPE, type ReputationSubject } from '../engine/reputation';

/**
 * Thresholds of the joint-defense aggregation. Windows end at the run's time.
 *
 * "Joint" means independent sources: every entry that can refuse an attempt needs evidence from
 * at least two tenants and two networks, and one tenant's share of the evidence is capped, so one
 * tenant (or one end user calling one app's endpoint) can never get a number or a range refused
 * at every tenant. Verdict-only calls and attempts refused by velocity or reputation rules are not
 * evidence about a number or range (see `evidenceOf`), so no entry feeds on the refusals it causes.
 */
export interface JointDefenseConfig {
  /** Events read per run: the longest window below. */
  readonly windowMinutes: number;
  /** Bombing victims: one number hammered through several tenants from several networks. */
  readonly victim: {
    /** Short window: a burst through several tenants is promoted within minutes. */
    readonly fastWindowMinutes: number;
    readonly fastMinAttempts: number;
    readonly minTenants: number;
    readonly minNetworks: number;
    /** Attempts in the whole window. */
    readonly minAttempts: number;
    /** Attempts counted per tenant at most: one tenant's share of the evidence. */
    readonly maxPerTenant: number;
    /** Verified codes per attempt at most: a number whose owner keeps verifying is not bombed. */
    readonly maxVerifiedRatio: number;
    readonly ttlSeconds: number;
  };
  /** Abusive IPs, subnets and devices: blocked for their own behaviour at several tenants (only ever a score). */
  readonly source: {
    readonly minTenants: number;
    /** Attempts blocked by rules other than joint defense itself. */
    readonly minBlocked: number;
    /** Blocked attempts counted per tenant at most. */
    readonly maxPerTenant: number;
    readonly minBlockedRatio: number;
    readonly maxVerifiedRatio: number;
    readonly ttlSeconds: number;
  };
  /** Pumped ranges: many different numbers of one 10,000-number range, almost none verified. */
  readonly range: {
    readonly minNumbers: number;
    readonly minTenants: number;
    readonly minNetworks: number;
    /** Different numbers counted per tenant at most. */
    readonly maxPerTenant: number;
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
    /** Different numbers counted per tenant at most. */
    readonly maxPerTenant: number;
    readonly maxVerifiedRatio: number;
    readonly ttlSeconds: number;
  };
  /** Entries produced per run at most, strongest evidence first. */
  readonly maxEntries: number;
}

export const DEFAULT_JOINT_DEFENSE: JointDefenseConfig = {
  windowMinutes: 60,
  victim: { fastWindowMinutes: 15, fastMinAttempts: 6, minTenants: 2, minNetworks: 2, minAttempts: 8, maxPerTenant: 3, maxVerifiedRatio: 0.25, ttlSeconds: 900 },
  source: { minTenants: 2, minBlocked: 10, maxPerTenant: 5, minBlockedRatio: 0.8, maxVerifiedRatio: 0.2, ttlSeconds: 3_600 },
  range: { minNumbers: 6, minTenants: 2, minNetworks: 2, maxPerTenant: 4, maxVerifiedRatio: 0.1, maturitySeconds: 300, ttlSeconds: 2 * 3_600 },
  country: { minNumbers: 40, minTenants: 2, maxPerTenant: 20, maxVerifiedRatio: 0.1, ttlSeconds: 2 * 3_600 },
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
/** Distinct tenants and networks tracked per subject: the thresholds only ever ask for a few. */
const MAX_KEYS = 16;

/**
 * What the request itself showed that a person's request does not: automation, a datacenter,
 * a forged or burst-minted device token, a source the tenant listed (not a country mismatch:
 * travellers have one). A refused attempt is evidence about its
 * number or range only with one of these. Refused for the number's own recent attempts (velocity,
 * conversion, the live cross-tenant signal) or for shared reputation, it only says "this number
 * was asked for again": counting it would let one end user calling one app's endpoint grow an
 * entry, the owner's own retries renew it, and an entry feed on the refusals it causes.
 */
const REQUESTER_SIGNALS: ReadonlySet<string> = new Set([
  Reason.AUTOMATION_USER_AGENT,
  Reason.HEADLESS_BROWSER,
  Reason.AUTOMATION_MARKERS,
  Reason.DATACENTER_IP,
  Reason.FOREIGN_DATACENTER,
  Reason.DEVICE_TOKEN_INVALID,
  Reason.DEVICE_MINT_VELOCITY,
  Reason.ACCOUNT_TAKEOVER_RISK,
  Reason.BLOCKLISTED_IP,
  Reason.BLOCKLISTED_DEVICE,
  Reason.BLOCKLISTED_ASN,
]);

/** How much an attempt says about its number or range (see `JointDefenseConfig`). */
const enum Evidence {
  None = 0,
  /** A verdict-only call: it counts only next to evidence from protected sends. */
  Corroborating = 1,
  Full = 2,
}

/**
 * A number asked for from abroad is also what pumping looks like; for a range or a country it is
 * evidence. Not for a single number: a travelling owner's refused retries must not count against
 * their own number (a range needs six different numbers, which no traveller has).
 */
const DESTINATION_SIGNALS: ReadonlySet<string> = new Set([...REQUESTER_SIGNALS, Reason.COUNTRY_MISMATCH]);

function evidenceOf(e: VerdictEvent, signals: ReadonlySet<string> = REQUESTER_SIGNALS): Evidence {
  if (e.decision !== 'allow' && e.decision !== undefined && !e.reasons?.some((r) => signals.has(r))) return Evidence.None;
  return e.via === 'verdict' ? Evidence.Corroborating : Evidence.Full;
}

/** The network an attempt came from; a non-public address (no subnet) counts as its tenant's own. */
function networkOf(e: VerdictEvent): string {
  return e.subnet ?? `~${e.tenant}`;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function addKey(keys: Set<string>, key: string): void {
  if (keys.size < MAX_KEYS) keys.add(key);
}

/** The sum over tenants of their counts, each capped: one tenant's share of the evidence is bounded. */
function capped(perTenant: ReadonlyMap<string, number>, max: number): number {
  let total = 0;
  for (const n of perTenant.values()) total += Math.min(n, max);
  return total;
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
  // What each event says about its number and its destination, judged once for both passes.
  const asNumber = new Uint8Array(ordered.length);
  const asDestination = new Uint8Array(ordered.length);
  for (let i = 0; i < ordered.length; i++) {
    const e = ordered[i] as VerdictEvent;
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
    if (blockedByOwnRules(e)) {
      if (e.ip !== undefined) bump(blockedCount.ip, e.ip);
      if (e.subnet !== undefined) bump(blockedCount.subnet, e.subnet);
      if (e.device !== undefined) bump(blockedCount.device, e.device);
    }
    const number = (asNumber[i] = evidenceOf(e));
    const destination = (asDestination[i] = number === Evidence.Full || number === Evidence.Corroborating ? number : evidenceOf(e, DESTINATION_SIGNALS));
    if (e.number !== undefined && number !== Evidence.None) bump(numberCount, e.number);
    if (e.at < matureBefore && destination !== Evidence.None) {
      if (e.range !== undefined) bump(rangeCount, e.range);
      if (e.country !== undefined) bump(countryCount, e.country);
    }
  }

  // Second pass: details for the candidates only.
  const minNumberAttempts = Math.min(v.fastMinAttempts, v.minAttempts);
  const numbers = new Map<string, NumberStats>();
  const sources: Record<SourceKind, Map<string, SourceStats>> = { ip: new Map(), subnet: new Map(), device: new Map() };
  const ranges = new Map<string, DestinationStats>();
  const countries = new Map<string, DestinationStats>();
  for (let i = 0; i < ordered.length; i++) {
    const e = ordered[i] as VerdictEvent;
    if (e.kind !== 'send') continue;
    const ok = verified.has(e);
    if (e.ip !== undefined) addSource(sources.ip, blockedCount.ip, e.ip, e, ok, src.minBlocked);
    if (e.subnet !== undefined) addSource(sources.subnet, blockedCount.subnet, e.subnet, e, ok, src.minBlocked);
    if (e.device !== undefined) addSource(sources.device, blockedCount.device, e.device, e, ok, src.minBlocked);
    const evidence = asNumber[i] as Evidence;
    if (evidence !== Evidence.None && e.number !== undefined && (numberCount.get(e.number) ?? 0) >= minNumberAttempts) {
      let s = numbers.get(e.number);
      if (!s) numbers.set(e.number, (s = { attempts: 0, verified: 0, sends: 0, lastAt: 0, perTenant: new Map(), fastPerTenant: new Map(), networks: new Set() }));
      s.attempts++;
      s.lastAt = e.at;
      if (evidence === Evidence.Full) s.sends++;
      bump(s.perTenant, e.tenant);
      if (e.at >= fastFrom) bump(s.fastPerTenant, e.tenant);
      addKey(s.networks, networkOf(e));
      if (ok) s.verified++;
    }
    if (e.at >= matureBefore || !reporting.has(e.tenant) || e.ref === undefined) continue;
    const destination = asDestination[i] as Evidence;
    if (destination === Evidence.None) continue;
    if (e.range !== undefined && (rangeCount.get(e.range) ?? 0) >= r.minNumbers) addDestination(ranges, e.range, e, ok, destination, r.maxPerTenant);
    if (e.country !== undefined && (countryCount.get(e.country) ?? 0) >= c.minNumbers) addDestination(countries, e.country, e, ok, destination, c.maxPerTenant);
  }

  const out: Candidate[] = [];
  for (const [value, s] of numbers) {
    if (s.sends === 0 || s.perTenant.size < v.minTenants || s.networks.size < v.minNetworks) continue;
    if (s.verified > v.maxVerifiedRatio * s.attempts) continue;
    const all = capped(s.perTenant, v.maxPerTenant);
    const fast = capped(s.fastPerTenant, v.maxPerTenant);
    const threshold =
      s.fastPerTenant.size >= v.minTenants && fast >= v.fastMinAttempts ? v.fastMinAttempts : all >= v.minAttempts ? v.minAttempts : undefined;
    if (threshold === undefined) continue;
    const evidence = Math.max(all, threshold);
    out.push(
      candidate('number', value, evidence, threshold, s.lastAt, v.ttlSeconds, `${all} attempts counted via ${s.perTenant.size} tenants and ${s.networks.size} networks, ${s.verified} verified`),
    );
  }

  for (const kind of SOURCE_KINDS) {
    for (const [value, s] of sources[kind]) {
      const blocked = capped(s.blockedPerTenant, src.maxPerTenant);
      if (s.blockedPerTenant.size < src.minTenants || blocked < src.minBlocked) continue;
      if (s.blocked < src.minBlockedRatio * s.attempts || s.verified > src.maxVerifiedRatio * Math.max(1, s.sent)) continue;
      out.push(candidate(kind, value, blocked, src.minBlocked, s.lastAt, src.ttlSeconds, `${s.blocked} of ${s.attempts} attempts blocked at ${s.blockedPerTenant.size} tenants`));
    }
  }

  for (const [value, s] of ranges) {
    const counted = countedNumbers(s);
    const ok = verifiedNumbers(s);
    if (s.sends === 0 || s.counted.size < r.minTenants || s.networks.size < r.minNetworks) continue;
    if (counted < r.minNumbers || ok > r.maxVerifiedRatio * s.numbers.size) continue;
    out.push(candidate('range', value, counted, r.minNumbers, s.lastAt, r.ttlSeconds, `${counted} numbers counted via ${s.counted.size} tenants and ${s.networks.size} networks, ${ok} verified`));
  }

  for (const [value, s] of countries) {
    const counted = countedNumbers(s);
    const ok = verifiedNumbers(s);
    if (s.sends === 0 || s.counted.size < c.minTenants || counted < c.minNumbers || ok > c.maxVerifiedRatio * s.numbers.size) continue;
    out.push(candidate('country', value, counted, c.minNumbers, s.lastAt, c.ttlSeconds, `${counted} numbers counted via ${s.counted.size} tenants, ${ok} verified`));
  }

  // Strongest first, ties in key order: the cut at maxEntries is deterministic.
  out.sort((a, b) => b.strength - a.strength || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out.slice(0, config.maxEntries).map((x) => x.build(nowSeconds));
}

type SourceKind = 'ip' | 'subnet' | 'device';
const SOURCE_KINDS: readonly SourceKind[] = ['ip', 'subnet', 'device'];

interface NumberStats {
  /** Evidence attempts (verdict-only ones included), uncapped. */
  attempts: number;
  /** Of which through the protected send routes: an entry needs at least one. */
  sends: number;
  verified: number;
  /** Epoch ms of the latest evidence: the entry lives `ttlSeconds` past it. */
  lastAt: number;
  readonly perTenant: Map<string, number>;
  readonly fastPerTenant: Map<string, number>;
  readonly networks: Set<string>;
}

interface SourceStats {
  attempts: number;
  blocked: number;
  /** Epoch ms of the latest block. */
  lastAt: number;
  sent: number;
  verified: number;
  readonly blockedPerTenant: Map<string, number>;
}

interface DestinationStats {
  /** Number reference → whether any of its codes was verified. */
  readonly numbers: Map<string, boolean>;
  /** Per tenant, the first `maxPerTenant` different numbers it asked for: what counts as evidence. */
  readonly counted: Map<string, string[]>;
  readonly networks: Set<string>;
  sends: number;
  /** Epoch ms of the latest evidence. */
  lastAt: number;
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
  if (!s) map.set(key, (s = { attempts: 0, blocked: 0, sent: 0, verified: 0, lastAt: 0, blockedPerTenant: new Map() }));
  s.attempts++;
  if (e.sent) s.sent++;
  if (ok) s.verified++;
  if (blockedByOwnRules(e)) {
    s.blocked++;
    s.lastAt = e.at;
    if (s.blockedPerTenant.size < MAX_KEYS || s.blockedPerTenant.has(e.tenant)) bump(s.blockedPerTenant, e.tenant);
  }
}

function addDestination(map: Map<string, DestinationStats>, key: string, e: VerdictEvent, ok: boolean, evidence: Evidence, maxPerTenant: number): void {
  let s = map.get(key);
  if (!s) map.set(key, (s = { numbers: new Map(), counted: new Map(), networks: new Set(), sends: 0, lastAt: 0 }));
  if (evidence === Evidence.Full) s.sends++;
  s.lastAt = e.at;
  addKey(s.networks, networkOf(e));
  const ref = e.ref as string;
  let mine = s.counted.get(e.tenant);
  if (!mine && s.counted.size < MAX_KEYS) s.counted.set(e.tenant, (mine = []));
  if (mine && mine.length < maxPerTenant && !mine.includes(ref)) mine.push(ref);
  const seen = s.numbers.get(ref);
  if (seen === undefined) {
    if (s.numbers.size < MAX_NUMBERS) s.numbers.set(ref, ok);
  } else if (ok && !seen) s.numbers.set(ref, true);
}

/** Different numbers the capped per-tenant shares add up to. */
function countedNumbers(s: DestinationStats): number {
  const union = new Set<string>();
  for (const refs of s.counted.values()) for (const ref of refs) union.add(ref);
  return union.size;
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

/**
 * An entry lives `ttlSeconds` past its latest evidence, not past the run that saw it: runs that
 * only see the same old evidence again never extend it.
 */
function candidate(subject: ReputationSubject, value: string, evidence: number, threshold: number, lastAtMs: number, ttlSeconds: number, display: string): Candidate {
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
      expiresAt: Math.floor(lastAtMs / 1000) + ttlSeconds,
    }),
  };
}
