/** When flows and campaigns start: Poisson arrivals on a diurnal curve, and stratified campaign starts. */
import type { SimEvent, Source } from './event-merge';
import { Flow } from './flow';
import { CONSUMER_DIURNAL, utcOffsetHours } from './profiles/time-of-day';
import type { TenantId, Weights } from './profiles/sim-config';
import { share } from './draws';
import type { Rng } from './rng';
import type { SimLabel } from './types';
import { HOUR, tenantCountries, type World } from './world';

/** Relative rate at UTC time `t` for a population at `utcOffset`, mean 1 over a day. */
const DIURNAL_MEAN = CONSUMER_DIURNAL.reduce((a, b) => a + b, 0) / 24;
function consumerRate(t: number, utcOffset: number): number {
  const localHour = Math.floor((((t / HOUR + utcOffset) % 24) + 24) % 24);
  return (CONSUMER_DIURNAL[localHour] ?? 1) / DIURNAL_MEAN;
}

/**
 * Poisson arrivals, drawn one simulated hour at a time; `perHour(t)` is the expected count in
 * the hour starting at `t`. Each arrival spawns `make(t, n)` (n counts from 1).
 */
export function* arrivals(
  world: World,
  rng: Rng,
  perHour: (hourStart: number) => number,
  make: (t: number, n: number) => Source,
): Generator<SimEvent, void, undefined> {
  let n = 0;
  for (let hour = world.start; hour < world.end; hour += HOUR) {
    const span = Math.min(HOUR, world.end - hour);
    const count = rng.poisson(perHour(hour) * (span / HOUR));
    const times: number[] = [];
    for (let i = 0; i < count; i++) times.push(hour + Math.floor(rng.next() * span));
    times.sort((a, b) => a - b);
    for (const t of times) yield { t, spawn: make(t, ++n) };
  }
}

/**
 * Campaign starts: `perDay × days × scale` of them (rounded, at least one), stratified over
 * the period so that every seed has the same number of campaigns of each kind.
 */
export function* campaignArrivals(world: World, key: string, perDay: number, make: (t: number, n: number) => Source): Source {
  const rng = world.rng.fork(`arrivals:${key}`);
  const count = Math.max(1, Math.round(perDay * world.days * world.scale));
  const slot = (world.end - world.start) / count;
  for (let n = 1; n <= count; n++) {
    const t = Math.floor(world.start + (n - 1) * slot + rng.next() * slot);
    yield { t, spawn: make(t, n) };
  }
}

/** One spawner per (tenant, country) of a legit class with a `flowsPerDay` table. */
export function legitSpawners(
  world: World,
  variant: string,
  flowsPerDay: Weights<TenantId>,
  make: (flow: Flow, t: number, tenant: TenantId, country: string, n: number) => Source,
  label: SimLabel,
): Source[] {
  const sources: Source[] = [];
  for (const tenant of Object.keys(flowsPerDay) as TenantId[]) {
    const daily = flowsPerDay[tenant] ?? 0;
    const countries = tenantCountries(tenant);
    for (const country of Object.keys(countries)) {
      const expected = daily * share(countries, country) * world.scale;
      if (expected <= 0) continue;
      const offset = utcOffsetHours(country);
      const key = `${variant}/${tenant}-${country}`;
      sources.push(
        arrivals(
          world,
          world.rng.fork(`arrivals:${key}`),
          (hour) => (expected / 24) * consumerRate(hour + HOUR / 2, offset),
          (t, n) => {
            const id = `${key}-${n}`;
            return make(new Flow(id, label, world.rng.fork(`flow:${id}`)), t, tenant, country, n);
          },
        ),
      );
    }
  }
  return sources;
}
