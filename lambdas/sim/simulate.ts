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
import { campaignArrivals, legitSpawners } from './arrivals';
import { between, intBetween, pickKeys } from './draws';
import { mergeSources, sorted, type SimEvent, type Source } from './event-merge';
import { attackFlow, type Flow } from './flow';
import { appFlow } from './legit/app-flow';
import { bombedOwnerFlow } from './legit/bombed-owner-flow';
import { officeSpawners } from './legit/office-flows';
import { retryFlow } from './legit/retry-flow';
import { sensitiveFlow } from './legit/sensitive-flow';
import { travelerFlow } from './legit/traveler-flow';
import { webFlow } from './legit/web-flow';
import { addressOf, datacenterAddress, hasPool, proxyAddress } from './profiles/addresses';
import { deviceId } from './profiles/device-ids';
import { junkNumber, type JunkKind } from './profiles/junk-numbers';
import { ALIAS_FORMATS, USER_FORMATS, writeNumber, type NumberFormat } from './profiles/number-formats';
import { mobileNumber, mobileRange, numberInRange, ukVoipNumber, type NumberRange, type SimNumber } from './profiles/phone-numbers';
import { SIM_CONFIG, type TenantId, type Weights } from './profiles/sim-config';
import { BOT_USER_AGENTS, browserAgent, SPOOFED_BROWSER_USER_AGENTS } from './profiles/user-agents';
import type { Rng } from './rng';
import type { SimLine, SimScenario } from './types';
import { makeUser, populationSize } from './users';
import { createWorld, HOUR, MINUTE, SECOND, tenantCountries, type SimulateOptions, type World } from './world';

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
  ];
}

/**
 * SMS bombing: victims' numbers pushed through many tenants at once and one tenant
 * repeatedly, every request from a fresh datacenter or proxy address, aliases rotating.
 */
function* bombingCampaign(world: World, flow: Flow, t0: number): Generator<SimEvent, void, undefined> {
  const { rng } = flow;
  const cfg = SIM_CONFIG.attacks.bombing;
  const end = Math.min(world.end, t0 + between(rng, cfg.durationMinutes) * MINUTE);
  const victims = intBetween(rng, cfg.victims);
  const owners: SimEvent[] = [];
  let victimStart = t0;
  for (let v = 0; v < victims; v++) {
    // Later victims join a little later, as the bomber adds numbers to its queue.
    if (v > 0) victimStart += rng.int(0, 90) * SECOND;
    const victim = mobileNumber(rng, rng.weighted(cfg.victimCountries as Weights<string>));
    const tenants = pickKeys(rng, cfg.tenants, 1 + intBetween(rng, cfg.otherTenants));
    for (const [i, tenant] of tenants.entries()) {
      const perMinute = i === 0 ? between(rng, cfg.mainTenantPerMinute) : between(rng, cfg.otherTenantPerMinute);
      const streamRng = rng.fork(`stream:${v}:${i}`);
      const scenario = streamRng.weighted(cfg.scenarios);
      yield { t: victimStart, spawn: bombingStream(flow, streamRng, victim, tenant, scenario, perMinute, victimStart, end) };
    }
    // The number's owner still needs codes: once while the bombing runs, once 20–40 minutes
    // after it ends (their own forks: the bombing's traffic is the same with or without them).
    // At least 5 minutes in, so after every victim's start (those come within 3 minutes).
    const ownerRng = rng.fork(`owner:${v}`);
    const duringAt = victimStart + Math.round(ownerRng.int(5, 12) * MINUTE + ownerRng.next() * MINUTE);
    if (duringAt < end) owners.push({ t: duringAt, spawn: bombedOwnerFlow(`${flow.id}-${v}-during`, ownerRng.fork('during'), victim, duringAt) });
    const afterAt = end + Math.round(between(ownerRng, cfg.ownerAfterMinutes) * MINUTE);
    if (afterAt < world.end) owners.push({ t: afterAt, spawn: bombedOwnerFlow(`${flow.id}-${v}-after`, ownerRng.fork('after'), victim, afterAt) });
  }
  yield* owners.sort((a, b) => a.t - b.t);
}

/** One tenant's share of a bombing: requests at about `perMinute` until `end`, aliases rotating. */
function* bombingStream(
  flow: Flow,
  rng: Rng,
  victim: SimNumber,
  tenant: TenantId,
  scenario: SimScenario,
  perMinute: number,
  start: number,
  end: number,
): Generator<SimEvent, void, undefined> {
  const cfg = SIM_CONFIG.attacks.bombing;
  for (let t = start + Math.round(rng.exponential(MINUTE / perMinute)); t < end; t += Math.max(200, Math.round(rng.exponential(MINUTE / perMinute)))) {
    const written = writeNumber(victim, rng.pick(ALIAS_FORMATS));
    yield flow.send(t, {
      tenant,
      written,
      // A form's country picker comes along with +-prefixed aliases only; with "0044…" or "44…"
      // a region hint would make the number ambiguous, and bombers want it delivered.
      countryHint: written.phone.startsWith('+') && rng.chance(0.3) ? victim.country : undefined,
      scenario,
      ip: rng.chance(cfg.datacenterRate) ? datacenterAddress(rng) : proxyAddress(rng),
      userAgent: rng.chance(cfg.botUserAgentRate) ? rng.pick(BOT_USER_AGENTS) : rng.pick(SPOOFED_BROWSER_USER_AGENTS),
      device: rng.chance(cfg.deviceRate) ? deviceId(rng) : undefined,
      challengePassed: rng.chance(cfg.failedChallengeRate) ? false : undefined,
    });
  }
}

/** Low-and-slow bombing: one victim, a request every few minutes via residential proxies in the victim's country. */
function* slowBombingCampaign(world: World, flow: Flow, t0: number): Generator<SimEvent, void, undefined> {
  const { rng } = flow;
  const cfg = SIM_CONFIG.attacks.bombingSlow;
  const victim = mobileNumber(rng, rng.weighted(cfg.victimCountries as Weights<string>));
  const tenants = pickKeys<TenantId>(rng, { shop: 40, social: 40, saas: 20 }, intBetween(rng, cfg.tenants));
  const scenarios = tenants.map(() => rng.weighted<SimScenario>({ login: 60, register: 40 }));
  const userAgent = browserAgent(rng).ua;
  const formats: NumberFormat[] = [rng.pick(USER_FORMATS), rng.pick(USER_FORMATS)];
  const end = Math.min(world.end, t0 + between(rng, cfg.durationHours) * HOUR);
  for (let t = t0; t < end; t += Math.round(between(rng, cfg.intervalMinutes) * MINUTE)) {
    const i = rng.int(0, tenants.length - 1);
    const written = writeNumber(victim, rng.pick(formats));
    yield flow.send(t, {
      tenant: tenants[i] as TenantId,
      written,
      countryHint: victim.country,
      scenario: scenarios[i] as SimScenario,
      ip: proxyAddress(rng, victim.country),
      userAgent,
      device: rng.chance(cfg.deviceRate) ? deviceId(rng) : undefined,
    });
  }
}

/** What a pumping campaign reuses across its requests: its challenge outcome and a few device tokens. */
interface PumpingKit {
  readonly challenge: 'absent' | 'passed' | 'failed';
  readonly devices: readonly string[];
}

function pumpingKit(rng: Rng): PumpingKit {
  const cfg = SIM_CONFIG.attacks.pumping;
  return {
    challenge: rng.weighted(cfg.challenge),
    devices: Array.from({ length: rng.int(5, 20) }, () => deviceId(rng)),
  };
}

function pumpingSend(flow: Flow, t: number, tenant: TenantId, number: SimNumber, kit: PumpingKit): SimEvent {
  const { rng } = flow;
  const cfg = SIM_CONFIG.attacks.pumping;
  const written = writeNumber(number, rng.chance(0.7) ? 'e164' : 'international');
  return flow.send(t, {
    tenant,
    written,
    countryHint: rng.chance(0.5) ? number.country : undefined,
    scenario: 'register',
    ip: proxyAddress(rng),
    userAgent: rng.chance(0.7) ? browserAgent(rng).ua : rng.pick(SPOOFED_BROWSER_USER_AGENTS),
    device: rng.chance(cfg.freshDeviceRate) ? deviceId(rng) : rng.pick(kit.devices),
    challengePassed: kit.challenge === 'absent' ? undefined : kit.challenge === 'passed',
  });
}

/** Toll fraud, burst: sequential or dense numbers in a few ranges of one high-cost destination. */
function* burstPumpingCampaign(world: World, flow: Flow, t0: number): Generator<SimEvent, void, undefined> {
  const { rng } = flow;
  const cfg = SIM_CONFIG.attacks.pumping;
  const burst = cfg.burst;
  const destination = rng.weighted(cfg.destinations as Weights<string>);
  const ranges: NumberRange[] = Array.from({ length: intBetween(rng, burst.ranges) }, () =>
    mobileRange(rng, destination, intBetween(rng, burst.rangeDigits)),
  );
  const sequential = rng.chance(burst.sequentialRate);
  const cursors = ranges.map((r) => rng.int(0, 10 ** r.freeDigits - 1));
  const tenant = rng.weighted(cfg.tenants);
  const kit = pumpingKit(rng);
  const perMinute = between(rng, burst.perMinute);
  const end = Math.min(world.end, t0 + between(rng, burst.durationMinutes) * MINUTE);
  for (let t = t0; t < end; t += Math.max(300, Math.round(rng.exponential(MINUTE / perMinute)))) {
    const r = rng.int(0, ranges.length - 1);
    const range = ranges[r] as NumberRange;
    const offset = sequential ? (cursors[r] = (cursors[r] ?? 0) + 1) : rng.int(0, 10 ** range.freeDigits - 1);
    yield pumpingSend(flow, t, tenant, numberInRange(range, offset), kit);
  }
}

/** Toll fraud, paced: runs all along, one request every few minutes, dense numbers, rotating tenants. */
function pacedPumpingCampaigns(world: World): Source[] {
  const count = Math.max(1, Math.round(SIM_CONFIG.attacks.pumping.paced.campaigns * world.scale));
  return Array.from({ length: count }, (_, i) => pacedPumpingCampaign(world, attackFlow(world, `pumping-paced/${i + 1}`, 'attack:pumping')));
}

function* pacedPumpingCampaign(world: World, flow: Flow): Generator<SimEvent, void, undefined> {
  const { rng } = flow;
  const cfg = SIM_CONFIG.attacks.pumping;
  const paced = cfg.paced;
  const countries = pickKeys(rng, cfg.destinations as Weights<string>, rng.int(2, 3));
  const ranges: NumberRange[] = Array.from({ length: intBetween(rng, paced.ranges) }, (_, i) =>
    mobileRange(rng, countries[i % countries.length] as string, intBetween(rng, paced.rangeDigits)),
  );
  const kit = pumpingKit(rng);
  for (let t = world.start + rng.int(0, 10 * MINUTE); t < world.end; t += Math.round(between(rng, paced.intervalSeconds) * SECOND)) {
    const range = rng.pick(ranges);
    yield pumpingSend(flow, t, rng.weighted(cfg.tenants), numberInRange(range, rng.int(0, 10 ** range.freeDigits - 1)), kit);
  }
}

/** Fake registrations with bought numbers; the bots verify their codes (they need the accounts). */
function* botCampaign(world: World, flow: Flow, t0: number): Generator<SimEvent, void, undefined> {
  const { rng } = flow;
  const cfg = SIM_CONFIG.attacks.bots;
  const tenant = rng.weighted(cfg.tenants);
  const datacenter = rng.chance(cfg.datacenterRate);
  const ips = Array.from({ length: intBetween(rng, cfg.datacenterIps) }, () => datacenterAddress(rng));
  const userAgent = rng.chance(cfg.automationUserAgentRate) ? rng.pick(BOT_USER_AGENTS) : rng.pick(SPOOFED_BROWSER_USER_AGENTS);
  const devices = Array.from({ length: intBetween(rng, cfg.devicesPerCampaign) }, () => deviceId(rng));
  const solves = rng.chance(cfg.powSolverRate);
  const noPlus = rng.chance(0.5);
  const end = Math.min(world.end, t0 + between(rng, cfg.durationHours) * HOUR);
  for (let t = t0; t < end; t += Math.round(between(rng, cfg.intervalSeconds) * SECOND)) {
    const country = rng.weighted(cfg.numberCountries);
    const number = country === 'GB-VOIP' ? ukVoipNumber(rng) : mobileNumber(rng, country);
    const send = flow.send(t, {
      tenant,
      written: writeNumber(number, noPlus ? 'noPlus' : 'e164'),
      scenario: 'register',
      ip: datacenter ? rng.pick(ips) : proxyAddress(rng),
      userAgent,
      device: rng.chance(0.95) ? rng.pick(devices) : undefined,
      challengePassed: solves ? true : undefined,
    });
    const events: SimEvent[] = [send];
    if (rng.chance(cfg.verifyRate)) {
      events.push(flow.verify(t + Math.round(between(rng, cfg.verifyDelaySeconds) * SECOND), send.line, number.e164, true));
    }
    yield { t, spawn: sorted(events) };
  }
}

/** Numbers an SMS interface must never text, from scanners, form spam and sloppy scripts. */
function* junkActor(world: World, n: number, t0: number): Generator<SimEvent, void, undefined> {
  const cfg = SIM_CONFIG.attacks.junk;
  const rng0 = world.rng.fork(`junk:${n}`);
  const kind = rng0.weighted(cfg.kinds) as JunkKind;
  const flow = attackFlow(world, `junk-${kind}/${n}`, 'attack:junk');
  const { rng } = flow;
  const tenant = rng.weighted(cfg.tenants);
  const network = rng.weighted(cfg.network);
  const fixedIp = network === 'datacenter' ? datacenterAddress(rng) : addressOf(rng, 'residential', rng.pick(['GB', 'US', 'IN', 'BR', 'NG', 'VN']));
  const userAgent = rng.chance(0.5) ? rng.pick(BOT_USER_AGENTS) : browserAgent(rng).ua;
  const device = rng.chance(0.5) ? deviceId(rng) : undefined;
  const scenario = rng.weighted<SimScenario>({ register: 70, login: 30 });
  const requests = intBetween(rng, cfg.requestsPerActor);
  let t = t0;
  for (let i = 0; i < requests && t < world.end; i++) {
    const written = junkNumber(rng, kind);
    yield flow.send(t, {
      tenant,
      written,
      scenario,
      ip: network === 'proxy' ? proxyAddress(rng) : fixedIp,
      userAgent,
      device,
    });
    t += Math.round(between(rng, cfg.intervalSeconds) * SECOND);
  }
}

/** Account takeover: OTPs for existing bank accounts from a new device and a foreign / datacenter / proxy network. */
function* atoCampaign(world: World, flow: Flow, t0: number): Generator<SimEvent, void, undefined> {
  const { rng } = flow;
  const cfg = SIM_CONFIG.attacks.ato;
  const network = rng.weighted(cfg.network);
  const foreign = rng.weighted(cfg.foreignCountries as Weights<string>);
  const dcIps = Array.from({ length: rng.int(1, 3) }, () => datacenterAddress(rng));
  const foreignIp = hasPool('residential', foreign) ? addressOf(rng, 'residential', foreign) : datacenterAddress(rng);
  const rotateDevices = rng.chance(0.5);
  let device = deviceId(rng);
  const userAgent = rng.chance(0.6) ? browserAgent(rng).ua : rng.pick(SPOOFED_BROWSER_USER_AGENTS);
  const solves = rng.chance(cfg.powSolveRate);
  const accounts = intBetween(rng, cfg.accountsPerCampaign);
  const countries = tenantCountries('bank');
  let t = t0;
  for (let a = 0; a < accounts && t < world.end; a++) {
    const country = rng.weighted(countries);
    const victim = makeUser(world, 'bank', country, String(rng.int(0, populationSize(world, 'bank', country) - 1)));
    if (rotateDevices) device = deviceId(rng);
    const scenario = rng.weighted(cfg.scenarios);
    const attempts = intBetween(rng, cfg.attemptsPerAccount);
    for (let i = 0; i < attempts; i++) {
      const ip = network === 'datacenter' ? rng.pick(dcIps) : network === 'foreign' ? foreignIp : proxyAddress(rng, victim.country);
      yield flow.send(t, {
        tenant: 'bank',
        written: writeNumber(victim.number, 'e164'),
        scenario,
        ip,
        userAgent,
        device,
        challengePassed: solves ? true : undefined,
        account: victim.account,
      });
      t += Math.round(between(rng, cfg.attemptGapSeconds) * SECOND);
    }
    t += Math.round(between(rng, cfg.accountGapSeconds) * SECOND);
  }
}
