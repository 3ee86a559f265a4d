/** The state of one simulation run: its options, clock, root RNG and carriers' CGNAT pools. */
import { SIM_CONFIG, type TenantId, type Weights } from './profiles/sim-config';
import { addressIn, carriersOf } from './profiles/addresses';
import { share } from './draws';
import { Rng } from './rng';

/** Options of one simulation run. */
export interface SimulateOptions {
  /** Any integer; the same seed gives the same bytes. */
  readonly seed: number;
  /** Simulated days. @default 2 */
  readonly days?: number;
  /** Multiplies every volume (users, campaigns, companies). @default 1 */
  readonly scale?: number;
  /** ISO date-time the simulation starts at. @default 2026-11-02T00:00:00Z (a Monday) */
  readonly start?: string;
}

/** Durations in milliseconds, the unit of the simulated clock. */
export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const SECOND = 1_000;
export const DAY = 24 * HOUR;

/** One run: its span, scale and root RNG (every source forks its own stream from it). */
export interface World {
  readonly rng: Rng;
  readonly start: number;
  readonly end: number;
  readonly days: number;
  readonly scale: number;
  /** Public CGNAT addresses per carrier, built on first use. */
  readonly cgnat: Map<string, readonly string[]>;
}

/** Checks the options and starts a run. */
export function createWorld(options: SimulateOptions): World {
  const { seed } = options;
  const days = options.days ?? SIM_CONFIG.days;
  const scale = options.scale ?? 1;
  const startText = options.start ?? SIM_CONFIG.start;
  const start = Date.parse(startText);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`simulate: seed must be an integer, got ${seed}`);
  if (!(days > 0 && days <= 366)) throw new RangeError(`simulate: days must be in (0, 366], got ${days}`);
  if (!(scale > 0 && scale <= 1000)) throw new RangeError(`simulate: scale must be in (0, 1000], got ${scale}`);
  if (Number.isNaN(start)) throw new RangeError(`simulate: start is not a date: ${startText}`);
  return { rng: Rng.seeded(seed), start, end: start + days * DAY, days, scale, cgnat: new Map() };
}

/** Where a tenant's users live, by weight. */
export function tenantCountries(tenant: TenantId): Weights<string> {
  return SIM_CONFIG.tenants[tenant].countries as Weights<string>;
}

/** Expected users per day on mobile data per country, to size the carriers' CGNAT pools. */
function mobileDataUsersPerDay(country: string): number {
  const { legit } = SIM_CONFIG;
  let users = 0;
  for (const tenant of Object.keys(SIM_CONFIG.tenants) as TenantId[]) {
    const s = share(tenantCountries(tenant), country);
    users += (legit.app.flowsPerDay[tenant] ?? 0) * legit.app.onCarrierRate * s;
    users += (legit.web.flowsPerDay[tenant] ?? 0) * 0.5 * legit.web.mobileBrowserOnCarrierRate * s;
    users += (legit.retry.flowsPerDay[tenant] ?? 0) * 0.25 * s;
    users += (legit.sensitive.flowsPerDay[tenant] ?? 0) * legit.sensitive.appRate * legit.sensitive.onCarrierRate * s;
  }
  return users;
}

/** A public address of `carrier` in `country`, drawn from its CGNAT pool. */
export function cgnatAddress(world: World, rng: Rng, country: string, carrier: number): string {
  const carriers = carriersOf(country);
  const index = carrier % carriers.length;
  const key = `${country}:${index}`;
  let pool = world.cgnat.get(key);
  if (!pool) {
    const perCarrier = (mobileDataUsersPerDay(country) * world.scale) / carriers.length;
    const size = Math.max(4, Math.round(perCarrier / SIM_CONFIG.legit.cgnatUsersPerIpPerDay));
    const poolRng = world.rng.fork(`cgnat:${key}`);
    const block = carriers[index];
    if (!block) throw new Error(`no carrier ${index} in ${country}`);
    pool = Array.from({ length: size }, () => addressIn(poolRng, block));
    world.cgnat.set(key, pool);
  }
  return rng.pick(pool);
}
