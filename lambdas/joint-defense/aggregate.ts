import type { ListEntry } from '../ports/list-store';
import type { VerdictEvent } from '../ports/event-store';
import { candidate, type Candidate } from './candidate';
import { DEFAULT_JOINT_DEFENSE, type JointDefenseConfig } from './config';
import { blockedByOwnRules, DESTINATION_SIGNALS, Evidence, evidenceOf, networkOf } from './evidence';
import {
  addDestination,
  addKey,
  addSource,
  bump,
  capped,
  countedNumbers,
  type DestinationStats,
  type NumberStats,
  SOURCE_KINDS,
  type SourceKind,
  type SourceStats,
  verifiedNumbers,
} from './stats';

export { confidenceOf } from './candidate';
export { DEFAULT_JOINT_DEFENSE, type JointDefenseConfig, type JointDefenseOverrides, jointDefenseConfig } from './config';

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
      if (!s)
        numbers.set(e.number, (s = { attempts: 0, verified: 0, sends: 0, lastAt: 0, perTenant: new Map(), fastPerTenant: new Map(), networks: new Set() }));
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

  return judge(numbers, sources, ranges, countries, nowMs, config);
}

/**
 * Statistics of the window → entries: the thresholds of `config` applied to each subject, the
 * strongest first, at most `maxEntries`. Shared by the aggregation over raw events and by the
 * promotion over per-minute partials, so both judge alike.
 */
export function judge(
  numbers: ReadonlyMap<string, NumberStats>,
  sources: Record<SourceKind, ReadonlyMap<string, SourceStats>>,
  ranges: ReadonlyMap<string, DestinationStats>,
  countries: ReadonlyMap<string, DestinationStats>,
  nowMs: number,
  config: JointDefenseConfig,
): ListEntry[] {
  const nowSeconds = Math.floor(nowMs / 1000);
  const v = config.victim;
  const src = config.source;
  const r = config.range;
  const c = config.country;
  const out: Candidate[] = [];
  for (const [value, s] of numbers) {
    if (s.sends === 0 || s.perTenant.size < v.minTenants || s.networks.size < v.minNetworks) continue;
    if (s.verified > v.maxVerifiedRatio * s.attempts) continue;
    const all = capped(s.perTenant, v.maxPerTenant);
    const fast = capped(s.fastPerTenant, v.maxPerTenant);
    const threshold = s.fastPerTenant.size >= v.minTenants && fast >= v.fastMinAttempts ? v.fastMinAttempts : all >= v.minAttempts ? v.minAttempts : undefined;
    if (threshold === undefined) continue;
    const evidence = Math.max(all, threshold);
    out.push(
      candidate(
        'number',
        value,
        evidence,
        threshold,
        s.lastAt,
        v.ttlSeconds,
        `${all} attempts counted via ${s.perTenant.size} tenants and ${s.networks.size} networks, ${s.verified} verified`,
      ),
    );
  }

  for (const kind of SOURCE_KINDS) {
    for (const [value, s] of sources[kind]) {
      const blocked = capped(s.blockedPerTenant, src.maxPerTenant);
      if (s.blockedPerTenant.size < src.minTenants || blocked < src.minBlocked) continue;
      if (s.blocked < src.minBlockedRatio * s.attempts || s.verified > src.maxVerifiedRatio * Math.max(1, s.sent)) continue;
      out.push(
        candidate(
          kind,
          value,
          blocked,
          src.minBlocked,
          s.lastAt,
          src.ttlSeconds,
          `${s.blocked} of ${s.attempts} attempts blocked at ${s.blockedPerTenant.size} tenants`,
        ),
      );
    }
  }

  for (const [value, s] of ranges) {
    const counted = countedNumbers(s);
    const ok = verifiedNumbers(s);
    if (s.sends === 0 || s.counted.size < r.minTenants || s.networks.size < r.minNetworks) continue;
    if (counted < r.minNumbers || ok > r.maxVerifiedRatio * s.numbers.size) continue;
    out.push(
      candidate(
        'range',
        value,
        counted,
        r.minNumbers,
        s.lastAt,
        r.ttlSeconds,
        `${counted} numbers counted via ${s.counted.size} tenants and ${s.networks.size} networks, ${ok} verified`,
      ),
    );
  }

  for (const [value, s] of countries) {
    const counted = countedNumbers(s);
    const ok = verifiedNumbers(s);
    if (s.sends === 0 || s.counted.size < c.minTenants || counted < c.minNumbers || ok > c.maxVerifiedRatio * s.numbers.size) continue;
    out.push(
      candidate('country', value, counted, c.minNumbers, s.lastAt, c.ttlSeconds, `${counted} numbers counted via ${s.counted.size} tenants, ${ok} verified`),
    );
  }

  // Strongest first, ties in key order: the cut at maxEntries is deterministic.
  out.sort((a, b) => b.strength - a.strength || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out.slice(0, config.maxEntries).map((x) => x.build(nowSeconds));
}

/** Events oldest first; stores usually return them nearly so, and then nothing is sorted. */
export function inTimeOrder(events: readonly VerdictEvent[]): readonly VerdictEvent[] {
  for (let i = 1; i < events.length; i++) {
    if ((events[i] as VerdictEvent).at < (events[i - 1] as VerdictEvent).at) return [...events].sort((a, b) => a.at - b.at);
  }
  return events;
}
