/**
 * Deterministic, seeded traffic simulator: labelled replay input for tuning and proving the
 * risk engine (`sms-shield simulate`).
 *
 * Design: every user flow and attack campaign is a small generator of events in time order
 * (a line, or "spawn this child source at t"). One min-heap merges the active sources, so
 * memory is bounded by the number of flows in progress at once, not by the length of the
 * simulation. Arrivals of each traffic segment are drawn one simulated hour at a time.
 * Every source draws from its own RNG stream forked from the seed by a stable key, so the
 * output is a pure function of the options.
 *
 * Where things are: `event-merge.ts` (the heap), `world.ts` (one run's state), `arrivals.ts`
 * (when flows start), `users.ts` (the user model), `flow.ts` (send and verify lines),
 * `legit/` and `attacks/` (one file per traffic class), `profiles/` (tuning and world data).
 *
 * Modelling notes:
 * - Users are derived from (tenant, country, index) alone, so a returning user has the same
 *   number, home IP, device and user agents every time without anything being stored.
 *   Registrations are new users; other scenarios pick a returning user.
 * - Verify lines are what the user would do if the code arrived; `after` names the send, and
 *   the replay drops the verify when that send was not allowed.
 * - A retrying user verifies once, after the last attempt (the newest code); if only an
 *   earlier attempt was allowed, that code's verification is not modelled.
 * - A web page whose SDK fails the proof of work re-sends once with a solved challenge
 *   (variant `web-pow-retry`); both sends carry their own conditional verify.
 */
import type { Writable } from 'node:stream';
import { SIM_CONFIG } from './profiles/sim-config';
import { atoAdaptiveCampaign } from './attacks/ato-adaptive';
import { atoCampaign } from './attacks/ato-campaign';
import { bombingCampaign } from './attacks/bombing-campaign';
import { bombingInterfacesCampaign } from './attacks/bombing-interfaces';
import { botCampaign } from './attacks/bot-campaign';
import { botFarmCampaign } from './attacks/bot-farm';
import { junkActor } from './attacks/junk-actor';
import { burstPumpingCampaign, pacedPumpingCampaigns } from './attacks/pumping-campaigns';
import { slowBombingCampaign } from './attacks/slow-bombing-campaign';
import { campaignArrivals, legitSpawners } from './arrivals';
import { mergeSources, type Source } from './event-merge';
import { attackFlow } from './flow';
import { appFlow } from './legit/app-flow';
import { officeSpawners } from './legit/office-flows';
import { retryFlow } from './legit/retry-flow';
import { sensitiveFlow } from './legit/sensitive-flow';
import { travelerFlow } from './legit/traveler-flow';
import { webFlow } from './legit/web-flow';
import type { SimLine } from './types';
import { createWorld, type SimulateOptions, type World } from './world';

export type { SimulateOptions } from './world';

/** Counts of what was generated. */
export interface SimulationStats {
  lines: number;
  sends: number;
  verifies: number;
  byLabel: Record<string, number>;
}

/** All lines of a simulation, in `ts` order, generated lazily. */
export function* simulateLines(options: SimulateOptions): Generator<SimLine, void, undefined> {
  const world = createWorld(options);
  yield* mergeSources(buildSources(world));
}

/** Async variant of `simulateLines`. */
export async function* simulate(options: SimulateOptions): AsyncGenerator<SimLine, void, undefined> {
  yield* simulateLines(options);
}

/** One line of the output file (without the newline). Keys keep their creation order. */
export function formatSimLine(line: SimLine): string {
  return JSON.stringify(line);
}

/**
 * Streams a simulation as JSON Lines to `out` (respecting back-pressure) and returns counts.
 * Does not end `out`.
 */
export async function writeSimulation(options: SimulateOptions, out: Writable): Promise<SimulationStats> {
  const stats: SimulationStats = { lines: 0, sends: 0, verifies: 0, byLabel: {} };
  let chunk = '';
  for (const line of simulateLines(options)) {
    stats.lines++;
    if (line.type === 'send') stats.sends++;
    else stats.verifies++;
    stats.byLabel[line.label] = (stats.byLabel[line.label] ?? 0) + 1;
    chunk += `${formatSimLine(line)}\n`;
    if (chunk.length >= 1 << 16) {
      const ok = out.write(chunk);
      chunk = '';
      if (!ok) await new Promise<void>((resolve) => out.once('drain', resolve));
    }
  }
  if (chunk.length > 0 && !out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  return stats;
}

/**
 * One source per spawner of every traffic class. The order is part of the output: equal
 * times leave the heap in the order they were scheduled.
 */
function buildSources(world: World): Source[] {
  const { legit, attacks } = SIM_CONFIG;
  return [
    ...legitSpawners(world, 'web', legit.web.flowsPerDay, (flow, t, tenant, country) => webFlow(world, flow, t, tenant, country), 'legit:web'),
    ...legitSpawners(world, 'app', legit.app.flowsPerDay, (flow, t, tenant, country) => appFlow(world, flow, t, tenant, country), 'legit:app'),
    ...officeSpawners(world),
    ...legitSpawners(
      world,
      'traveler',
      legit.traveler.flowsPerDay,
      (flow, t, tenant, country) => travelerFlow(world, flow, t, tenant, country),
      'legit:traveler',
    ),
    ...legitSpawners(world, 'retry', legit.retry.flowsPerDay, (flow, t, tenant, country) => retryFlow(world, flow, t, tenant, country), 'legit:retry'),
    ...legitSpawners(
      world,
      'sensitive',
      legit.sensitive.flowsPerDay,
      (flow, t, tenant, country) => sensitiveFlow(world, flow, t, tenant, country),
      'legit:sensitive',
    ),
    campaignArrivals(world, 'bombing', attacks.bombing.campaignsPerDay, (t, n) =>
      bombingCampaign(world, attackFlow(world, `bombing/${n}`, 'attack:bombing'), t),
    ),
    campaignArrivals(world, 'bombing-slow', attacks.bombingSlow.campaignsPerDay, (t, n) =>
      slowBombingCampaign(world, attackFlow(world, `bombing-slow/${n}`, 'attack:bombing-slow'), t),
    ),
    campaignArrivals(world, 'pumping-burst', attacks.pumping.burst.campaignsPerDay, (t, n) =>
      burstPumpingCampaign(world, attackFlow(world, `pumping-burst/${n}`, 'attack:pumping'), t),
    ),
    ...pacedPumpingCampaigns(world),
    campaignArrivals(world, 'bots', attacks.bots.campaignsPerDay, (t, n) => botCampaign(world, attackFlow(world, `bots/${n}`, 'attack:bots'), t)),
    campaignArrivals(world, 'junk', attacks.junk.actorsPerDay, (t, n) => junkActor(world, n, t)),
    campaignArrivals(world, 'ato', attacks.ato.campaignsPerDay, (t, n) => atoCampaign(world, attackFlow(world, `ato/${n}`, 'attack:ato'), t)),
    // Adaptive attackers, last: the sources above keep their streams and their order.
    ...adaptiveSources(world),
  ];
}

/** The adaptive styles, each its own variant (sub-row) of an existing class. */
function adaptiveSources(world: World): Source[] {
  const { botFarm, ato, bombingInterfaces } = SIM_CONFIG.attacks.adaptive;
  return [
    campaignArrivals(world, 'bots-farm-dc', botFarm.campaignsPerDay, (t, n) =>
      botFarmCampaign(world, attackFlow(world, `bots-farm-dc/${n}`, 'attack:bots'), t, 'datacenter'),
    ),
    campaignArrivals(world, 'bots-farm-resi', botFarm.campaignsPerDay, (t, n) =>
      botFarmCampaign(world, attackFlow(world, `bots-farm-resi/${n}`, 'attack:bots'), t, 'residential'),
    ),
    campaignArrivals(world, 'ato-resi-abroad', ato.campaignsPerDay, (t, n) =>
      atoAdaptiveCampaign(world, attackFlow(world, `ato-resi-abroad/${n}`, 'attack:ato'), t, 'resi-abroad'),
    ),
    campaignArrivals(world, 'ato-dc-in-country', ato.campaignsPerDay, (t, n) =>
      atoAdaptiveCampaign(world, attackFlow(world, `ato-dc-in-country/${n}`, 'attack:ato'), t, 'dc-in-country'),
    ),
    campaignArrivals(world, 'bombing-interfaces', bombingInterfaces.campaignsPerDay, (t, n) =>
      bombingInterfacesCampaign(world, attackFlow(world, `bombing-interfaces/${n}`, 'attack:bombing'), t),
    ),
  ];
}
