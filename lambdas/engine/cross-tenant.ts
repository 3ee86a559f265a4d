import type { MembersAdd } from '../ports/counter-store';
import { DIM } from './dimensions';
import type { Hasher } from './hasher';
import type { CounterReading } from './rule';

/**
 * The live cross-tenant signal of a number: which tenants (interfaces) and which networks asked
 * for it in the last 5–10 minutes — "calling many SMS interfaces at the same time" is how the
 * product sheet defines bombing, so it is recognised as it happens, not at the next job run.
 *
 * Each verdict adds two short members (its tenant, its network) to the number's set of the
 * current 5-minute bucket and of the previous one, in the verdict's one store wave, and reads
 * both back: their union covers the last 5 to 10 minutes. One tenant is one member however often
 * it asks, so no single tenant can make a number look asked-for everywhere.
 */
export const LIVE_BUCKET_SECONDS = 300;
/** Members kept per bucket: far above any threshold; a full set reads as "many". */
const LIVE_CAP = 64;
/** What a full set counts as. */
export const LIVE_MANY = LIVE_CAP;

/** The two set adds of one verdict: current and previous bucket. */
export function planLiveAdds(
  hasher: Hasher,
  input: {
    phoneHash: string;
    tenant: string;
    network: string | undefined;
    nowMs: number /** `hasher(net:<network>)`, when already known. */;
    networkHash?: string;
  },
): MembersAdd[] {
  const tenantTag = `t${hasher(`tenant:${input.tenant}`).slice(0, 10)}`;
  // A non-public address says nothing about the network: it counts as its tenant's own.
  const networkTag = input.network === undefined ? `n${tenantTag}` : `n${(input.networkHash ?? hasher(`net:${input.network}`)).slice(0, 10)}`;
  const bucket = Math.floor(input.nowMs / 1000 / LIVE_BUCKET_SECONDS);
  return [bucket, bucket - 1].map((b) => ({
    key: `m#live#${input.phoneHash}#${b}`,
    members: [tenantTag, networkTag],
    cap: LIVE_CAP,
    // The bucket is read as "previous" through the next one, plus slack for clock skew.
    expiresAt: (b + 2) * LIVE_BUCKET_SECONDS + 300,
  }));
}

/** Readings of the union of both buckets: distinct tenants and networks, this attempt included. */
export function liveReadings(sets: readonly (readonly string[] | undefined)[], limits: { tenants: number; networks: number }, nowMs: number): CounterReading[] {
  let tenants = 0;
  let networks = 0;
  if (sets.some((s) => s === undefined)) {
    tenants = LIVE_MANY;
    networks = LIVE_MANY;
  } else {
    const union = new Set<string>();
    for (const set of sets) for (const member of set ?? []) union.add(member);
    for (const member of union) {
      if (member.startsWith('t')) tenants++;
      else networks++;
    }
  }
  const nowSeconds = nowMs / 1000;
  // The signal lasts until the current bucket has become the previous one and passed.
  const resetsInSeconds = Math.max(1, Math.ceil((Math.floor(nowSeconds / LIVE_BUCKET_SECONDS) + 2) * LIVE_BUCKET_SECONDS - nowSeconds));
  return [
    { dimension: DIM.LIVE_TENANTS, window: 'minute', limit: limits.tenants, value: tenants, resetsInSeconds },
    { dimension: DIM.LIVE_NETWORKS, window: 'minute', limit: limits.networks, value: networks, resetsInSeconds },
  ];
}
