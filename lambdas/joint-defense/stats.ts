/** Per-subject statistics the aggregation builds in its second pass, bounded in memory. */
import type { VerdictEvent } from '../ports/event-store';
import { Evidence, blockedByOwnRules, networkOf } from './evidence';

/** Distinct numbers kept per range or country: enough to judge, bounded in memory. */
export const MAX_NUMBERS = 500;
/** Distinct tenants and networks tracked per subject: the thresholds only ever ask for a few. */
export const MAX_KEYS = 16;

export type SourceKind = 'ip' | 'subnet' | 'device';
export const SOURCE_KINDS: readonly SourceKind[] = ['ip', 'subnet', 'device'];

export interface NumberStats {
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

export interface SourceStats {
  attempts: number;
  blocked: number;
  /** Epoch ms of the latest block. */
  lastAt: number;
  sent: number;
  verified: number;
  readonly blockedPerTenant: Map<string, number>;
}

export interface DestinationStats {
  /** Number reference → whether any of its codes was verified. */
  readonly numbers: Map<string, boolean>;
  /** Per tenant, the first `maxPerTenant` different numbers it asked for: what counts as evidence. */
  readonly counted: Map<string, string[]>;
  readonly networks: Set<string>;
  sends: number;
  /** Epoch ms of the latest evidence. */
  lastAt: number;
}

export function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export function addKey(keys: Set<string>, key: string): void {
  if (keys.size < MAX_KEYS) keys.add(key);
}

/** The sum over tenants of their counts, each capped: one tenant's share of the evidence is bounded. */
export function capped(perTenant: ReadonlyMap<string, number>, max: number): number {
  let total = 0;
  for (const n of perTenant.values()) total += Math.min(n, max);
  return total;
}

export function addSource(map: Map<string, SourceStats>, blocked: Map<string, number>, key: string, e: VerdictEvent, ok: boolean, minBlocked: number): void {
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

export function addDestination(map: Map<string, DestinationStats>, key: string, e: VerdictEvent, ok: boolean, evidence: Evidence, maxPerTenant: number): void {
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
export function countedNumbers(s: DestinationStats): number {
  const union = new Set<string>();
  for (const refs of s.counted.values()) for (const ref of refs) union.add(ref);
  return union.size;
}

export function verifiedNumbers(s: DestinationStats): number {
  let n = 0;
  for (const ok of s.numbers.values()) if (ok) n++;
  return n;
}
