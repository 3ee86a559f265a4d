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
import {
  ALIAS_FORMATS,
  BOT_USER_AGENTS,
  CONSUMER_DIURNAL,
  OFFICE_USER_AGENTS,
  SIM_CONFIG,
  SPOOFED_BROWSER_USER_AGENTS,
  USER_FORMATS,
  addressIn,
  addressOf,
  appUserAgent,
  browserAgent,
  carriersOf,
  datacenterAddress,
  deviceId,
  hasPool,
  junkNumber,
  mobileNumber,
  mobileRange,
  numberInRange,
  proxyAddress,
  ukVoipNumber,
  utcOffsetHours,
  writeNumber,
  type BrowserAgent,
  type JunkKind,
  type NumberFormat,
  type NumberRange,
  type Range,
  type SimNumber,
  type TenantId,
  type Weights,
  type WrittenNumber,
} from './profiles';
import { Rng } from './rng';
import type { SimLabel, SimLine, SimScenario, SimSendLine, SimVerifyLine } from './types';

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

/** Counts of what was generated. */
export interface SimulationStats {
  lines: number;
  sends: number;
  verifies: number;
  byLabel: Record<string, number>;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SECOND = 1_000;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Event sources and the merge
// ---------------------------------------------------------------------------------------------

/** What a source produces, in non-decreasing `t`: a line, or a child source that starts at `t`. */
interface SimEvent {
  readonly t: number;
  readonly line?: SimLine;
  readonly spawn?: Source;
}

type Source = Iterator<SimEvent, void, undefined>;

interface HeapEntry {
  t: number;
  seq: number;
  src: Source;
  ev: SimEvent;
}

/** Binary min-heap on (t, seq); `seq` makes ties deterministic (first scheduled, first out). */
class EventHeap {
  private readonly items: HeapEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  push(entry: HeapEntry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as HeapEntry;
      if (!before(entry, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = entry;
  }

  pop(): HeapEntry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    const n = items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let child = l;
      if (r < n && before(items[r] as HeapEntry, items[l] as HeapEntry)) child = r;
      const c = items[child] as HeapEntry;
      if (!before(c, last)) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}

function* mergeSources(sources: readonly Source[]): Generator<SimLine, void, undefined> {
  const heap = new EventHeap();
  let seq = 0;
  const schedule = (src: Source): void => {
    const next = src.next();
    if (!next.done) heap.push({ t: next.value.t, seq: seq++, src, ev: next.value });
  };
  for (const src of sources) schedule(src);
  let last = Number.NEGATIVE_INFINITY;
  for (let entry = heap.pop(); entry; entry = heap.pop()) {
    const { ev } = entry;
    if (ev.line) {
      if (entry.t < last) throw new Error(`simulator emitted out of order at ${ev.line.ts}`);
      last = entry.t;
      yield ev.line;
    } else if (ev.spawn) {
      if (entry.t < last) throw new Error('simulator spawned a source in the past');
      schedule(ev.spawn);
    }
    schedule(entry.src);
  }
}

/** Yields small, pre-built event lists in time order (stable for equal times). */
function* sorted(events: SimEvent[]): Generator<SimEvent, void, undefined> {
  events.sort((a, b) => a.t - b.t);
  yield* events;
}

// ---------------------------------------------------------------------------------------------
// World
// ---------------------------------------------------------------------------------------------

interface World {
  readonly rng: Rng;
  readonly start: number;
  readonly end: number;
  readonly days: number;
  readonly scale: number;
  /** Public CGNAT addresses per carrier, built on first use. */
  readonly cgnat: Map<string, readonly string[]>;
}

function createWorld(options: SimulateOptions): World {
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

function iso(t: number): string {
  return new Date(t).toISOString();
}

function between(rng: Rng, range: Range): number {
  return rng.uniform(range[0], range[1]);
}

function intBetween(rng: Rng, range: Range): number {
  return rng.int(range[0], range[1]);
}

function share<K extends string>(weights: Weights<K>, key: K): number {
  let total = 0;
  for (const w of Object.values(weights) as number[]) total += w;
  return total > 0 ? (weights[key] ?? 0) / total : 0;
}

function tenantCountries(tenant: TenantId): Weights<string> {
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
function cgnatAddress(world: World, rng: Rng, country: string, carrier: number): string {
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

// ---------------------------------------------------------------------------------------------
// Flows and lines
// ---------------------------------------------------------------------------------------------

interface SendFields {
  readonly tenant: string;
  readonly written: WrittenNumber;
  /** Region hint sent even for international formats (country pickers). */
  readonly countryHint?: string;
  readonly scenario: SimScenario;
  readonly ip: string;
  readonly userAgent?: string;
  readonly device?: string;
  readonly challengePassed?: boolean;
  readonly account?: string;
}

/** One flow or campaign: its id, label, RNG stream and send-id counter. */
class Flow {
  private sends = 0;

  constructor(
    readonly id: string,
    readonly label: SimLabel,
    readonly rng: Rng,
  ) {}

  send(t: number, f: SendFields): SimEvent & { line: SimSendLine } {
    const country = f.written.country ?? f.countryHint;
    // Built key by key, optional keys only when set, so every line has the same field order.
    const line: Record<string, unknown> = {
      type: 'send',
      id: `${this.id}#${++this.sends}`,
      ts: iso(t),
      tenant: f.tenant,
      phone: f.written.phone,
    };
    if (country !== undefined) line.country = country;
    line.scenario = f.scenario;
    line.ip = f.ip;
    if (f.userAgent !== undefined) line.userAgent = f.userAgent;
    if (f.device !== undefined) line.device = f.device;
    if (f.challengePassed !== undefined) line.challengePassed = f.challengePassed;
    if (f.account !== undefined) line.account = f.account;
    line.label = this.label;
    line.flow = this.id;
    return { t, line: line as unknown as SimSendLine };
  }

  /** The same flow under another variant (`web/x-1` → `web-pow-retry/x-1`), with its own send ids. */
  withVariant(variant: string): Flow {
    return new Flow(`${variant}${this.id.slice(this.id.indexOf('/'))}`, this.label, this.rng);
  }

  verify(t: number, send: SimSendLine, e164: string, success: boolean): SimEvent {
    const line: SimVerifyLine = {
      type: 'verify',
      ts: iso(t),
      tenant: send.tenant,
      phone: e164,
      success,
      after: send.id,
      label: this.label,
      flow: this.id,
    };
    return { t, line };
  }
}

/** What a legitimate user does after a send, if the code arrives (the replay decides that). */
function legitVerifies(flow: Flow, tSend: number, send: SimSendLine, e164: string, neverRate?: number): SimEvent[] {
  const { rng } = flow;
  const v = SIM_CONFIG.legit.verify;
  if (rng.chance(neverRate ?? v.neverRate)) return [];
  const delaySeconds = rng.chance(v.slowRate)
    ? between(rng, v.slowDelaySeconds)
    : Math.min(300, Math.max(6, rng.logNormal(v.delayMedianSeconds, v.delaySigma)));
  const t = tSend + Math.round(delaySeconds * SECOND);
  if (rng.chance(v.typoRate)) {
    return [flow.verify(t, send, e164, false), flow.verify(t + rng.int(8, 40) * SECOND, send, e164, true)];
  }
  return [flow.verify(t, send, e164, true)];
}

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

/** A person with stable attributes, derived from (tenant, country, id) alone: nothing is stored. */
interface SimUser {
  readonly tenant: TenantId;
  readonly country: string;
  readonly number: SimNumber;
  readonly account: string;
  readonly homeIp: string;
  readonly browser: BrowserAgent;
  readonly browserDevice: string;
  readonly ios: boolean;
  readonly appUa: string;
  readonly appDevice: string;
  readonly carrier: number;
  /** How this user writes the number in a web form with a country picker. */
  readonly format: NumberFormat;
  /** Uniform rolls for per-user choices made by classes (e.g. "banks in the app"). */
  readonly channelRoll: number;
}

function makeUser(world: World, tenant: TenantId, country: string, id: string): SimUser {
  const rng = world.rng.fork(`user:${tenant}:${country}:${id}`);
  const number = mobileNumber(rng, country);
  const homeIp = addressOf(rng, 'residential', country);
  const browser = browserAgent(rng);
  const browserDevice = deviceId(rng);
  const ios = rng.chance(SIM_CONFIG.legit.app.iosShare);
  const appUa = appUserAgent(rng, tenant, ios);
  const appDevice = deviceId(rng);
  const carrier = rng.int(0, 15);
  const international = rng.chance(SIM_CONFIG.tenants[tenant].webInternationalFormat);
  const format: NumberFormat = international
    ? rng.chance(0.6)
      ? 'e164'
      : 'international'
    : rng.chance(0.6)
      ? 'national'
      : 'nationalCompact';
  return {
    tenant,
    country,
    number,
    account: `${tenant}-${country.toLowerCase()}-${id}`,
    homeIp,
    browser,
    browserDevice,
    ios,
    appUa,
    appDevice,
    carrier,
    format,
    channelRoll: rng.next(),
  };
}

/** Returning users per (tenant, country). */
function populationSize(world: World, tenant: TenantId, country: string): number {
  const { legit } = SIM_CONFIG;
  let daily = 0;
  for (const cls of [legit.web, legit.app, legit.traveler, legit.retry, legit.sensitive]) {
    daily += cls.flowsPerDay[tenant] ?? 0;
  }
  const factor = tenant === 'bank' ? legit.sensitive.populationFactor : legit.populationFactor;
  return Math.max(50, Math.round(daily * share(tenantCountries(tenant), country) * factor * world.scale));
}

/** Registrations are new users (unique id per spawner); everything else a returning user. */
function pickUser(world: World, rng: Rng, tenant: TenantId, country: string, scenario: SimScenario, newId: string): SimUser {
  if (scenario === 'register') return makeUser(world, tenant, country, newId);
  return makeUser(world, tenant, country, String(rng.int(0, populationSize(world, tenant, country) - 1)));
}

/** Whether the web page showed a proof-of-work challenge and the SDK solved it (undefined: not shown). */
function webChallenge(rng: Rng, tenant: TenantId, scenario: SimScenario): boolean | undefined {
  if (!rng.chance(SIM_CONFIG.tenants[tenant].webChallengeShown[scenario])) return undefined;
  return rng.chance(SIM_CONFIG.legit.web.challengePassRate);
}

/** Like `webChallenge` for users who persist until it passes (travelers, retriers). */
function solvedChallenge(rng: Rng, tenant: TenantId, scenario: SimScenario): true | undefined {
  return rng.chance(SIM_CONFIG.tenants[tenant].webChallengeShown[scenario]) ? true : undefined;
}

// ---------------------------------------------------------------------------------------------
// Arrivals
// ---------------------------------------------------------------------------------------------

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
function* arrivals(
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
function* campaignArrivals(world: World, key: string, perDay: number, make: (t: number, n: number) => Source): Source {
  const rng = world.rng.fork(`arrivals:${key}`);
  const count = Math.max(1, Math.round(perDay * world.days * world.scale));
  const slot = (world.end - world.start) / count;
  for (let n = 1; n <= count; n++) {
    const t = Math.floor(world.start + (n - 1) * slot + rng.next() * slot);
    yield { t, spawn: make(t, n) };
  }
}

/** One spawner per (tenant, country) of a legit class with a `flowsPerDay` table. */
function legitSpawners(
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

function attackFlow(world: World, id: string, label: SimLabel): Flow {
  return new Flow(id, label, world.rng.fork(`flow:${id}`));
}

// ---------------------------------------------------------------------------------------------
// Legitimate flows
// ---------------------------------------------------------------------------------------------

/** Ordinary browser users: stable device, home broadband (or mobile data on a phone). */
function webFlow(world: World, flow: Flow, t: number, tenant: TenantId, country: string): Source {
  const { rng } = flow;
  const cfg = SIM_CONFIG.legit.web;
  const scenario = rng.weighted(cfg.scenarios[tenant] ?? { login: 1 });
  const user = pickUser(world, rng, tenant, country, scenario, `${flow.id}`);
  const ip =
    user.browser.mobile && rng.chance(cfg.mobileBrowserOnCarrierRate) ? cgnatAddress(world, rng, country, user.carrier) : user.homeIp;
  const device = rng.chance(cfg.deviceMissingRate) ? undefined : user.browserDevice;
  const fields = {
    tenant,
    written: writeNumber(user.number, user.format),
    countryHint: country,
    scenario,
    ip,
    userAgent: user.browser.ua,
    device,
    account: scenario === 'register' ? undefined : user.account,
  };
  const challengePassed = webChallenge(rng, tenant, scenario);
  if (challengePassed !== false) {
    const send = flow.send(t, { ...fields, challengePassed });
    return sorted([send, ...legitVerifies(flow, t, send.line, user.number.e164)]);
  }
  // The SDK failed the proof of work (old browser, flaky network). If the shield answers
  // "challenge", the page solves a fresh one and re-sends; the simulator cannot see the answer,
  // so both sends are written, each with the verify that follows if it is the one allowed.
  // Its own variant keeps the second send's rate-limit block apart in the evaluation.
  const retrying = flow.withVariant('web-pow-retry');
  const first = retrying.send(t, { ...fields, challengePassed: false });
  const t2 = t + rng.int(5, 25) * SECOND;
  const second = retrying.send(t2, { ...fields, challengePassed: true });
  return sorted([
    first,
    ...legitVerifies(retrying, t, first.line, user.number.e164),
    second,
    ...legitVerifies(retrying, t2, second.line, user.number.e164),
  ]);
}

/** Mobile-app users: okhttp / CFNetwork user agents, mostly on carrier CGNAT addresses. */
function appFlow(world: World, flow: Flow, t: number, tenant: TenantId, country: string): Source {
  const { rng } = flow;
  const cfg = SIM_CONFIG.legit.app;
  const scenario = rng.weighted(cfg.scenarios[tenant] ?? { login: 1 });
  const user = pickUser(world, rng, tenant, country, scenario, flow.id);
  const ip = rng.chance(cfg.onCarrierRate) ? cgnatAddress(world, rng, country, user.carrier) : user.homeIp;
  const send = flow.send(t, {
    tenant,
    written: writeNumber(user.number, 'e164'),
    countryHint: rng.chance(cfg.countryHintRate) ? country : undefined,
    scenario,
    ip,
    userAgent: user.appUa,
    device: user.appDevice,
    account: scenario === 'register' ? undefined : user.account,
  });
  return sorted([send, ...legitVerifies(flow, t, send.line, user.number.e164)]);
}

/** B2B users behind their company's single office address; most log in during the morning rush. */
function officeSpawners(world: World): Source[] {
  const cfg = SIM_CONFIG.legit.office;
  const companies = Math.max(1, Math.round(cfg.companies * world.scale));
  const sources: Source[] = [];
  for (let c = 0; c < companies; c++) sources.push(officeCompany(world, c));
  return sources;
}

function* officeCompany(world: World, company: number): Generator<SimEvent, void, undefined> {
  const cfg = SIM_CONFIG.legit.office;
  const rng = world.rng.fork(`office:${company}`);
  const country = rng.weighted(cfg.countries as Weights<string>);
  const officeIp = addressOf(rng, 'office', country);
  const employees = Math.round(Math.exp(rng.uniform(Math.log(cfg.employees[0]), Math.log(cfg.employees[1]))));
  const offset = utcOffsetHours(country);
  let n = 0;
  for (let day = 0; day * DAY < world.end - world.start; day++) {
    const midnightLocal = world.start + day * DAY - offset * HOUR;
    const weekday = new Date(midnightLocal + offset * HOUR + 12 * HOUR).getUTCDay();
    const rate = weekday === 0 || weekday === 6 ? cfg.weekendLoginRate : cfg.weekdayLoginRate;
    const logins: { t: number; employee: number }[] = [];
    for (let e = 0; e < employees; e++) {
      if (!rng.chance(rate)) continue;
      const localHours = rng.chance(cfg.morningShare)
        ? Math.min(10.5, Math.max(7.25, rng.normal(8.85, 0.55)))
        : rng.uniform(10, 18.5);
      const t = Math.round(midnightLocal + localHours * HOUR);
      if (t >= world.start && t < world.end) logins.push({ t, employee: e });
    }
    logins.sort((a, b) => a.t - b.t || a.employee - b.employee);
    for (const { t, employee } of logins) {
      const id = `office/saas-c${company}-${++n}`;
      yield { t, spawn: officeLogin(world, new Flow(id, 'legit:office', world.rng.fork(`flow:${id}`)), t, company, employee, country, officeIp) };
    }
  }
}

function officeLogin(world: World, flow: Flow, t: number, company: number, employee: number, country: string, ip: string): Source {
  const { rng } = flow;
  const person = world.rng.fork(`office:${company}:employee:${employee}`);
  const number = mobileNumber(person, country);
  const userAgent = person.pick(OFFICE_USER_AGENTS);
  const device = deviceId(person);
  const format = person.pick(USER_FORMATS);
  const scenario: SimScenario = rng.chance(0.95) ? 'login' : 'reset_password';
  const send = flow.send(t, {
    tenant: 'saas',
    written: writeNumber(number, format),
    countryHint: country,
    scenario,
    ip,
    userAgent,
    device,
    account: `saas-c${company}-e${employee}`,
  });
  return sorted([send, ...legitVerifies(flow, t, send.line, number.e164)]);
}

/** Users abroad: number country ≠ IP country (hotel Wi-Fi, local SIM), sometimes a new device. */
function travelerFlow(world: World, flow: Flow, t: number, tenant: TenantId, country: string): Source {
  const { rng } = flow;
  const cfg = SIM_CONFIG.legit.traveler;
  const scenario = rng.weighted(cfg.scenarios);
  const user = pickUser(world, rng, tenant, country, scenario, flow.id);
  let destination = rng.weighted(cfg.destinations as Weights<string>);
  if (destination === country) destination = country === 'ES' ? 'PT' : 'ES';
  const ip =
    rng.chance(cfg.hotelRate) || !hasPool('mobileCgnat', destination)
      ? addressOf(rng, 'hotel', destination)
      : cgnatAddress(world, rng, destination, rng.int(0, 15));
  const newDevice = rng.chance(cfg.newDeviceRate);
  const inApp = tenant === 'social' ? rng.chance(0.7) : tenant === 'shop' ? rng.chance(0.2) : tenant === 'bank' ? rng.chance(0.6) : false;
  const send = flow.send(t, {
    tenant,
    written: writeNumber(user.number, inApp ? 'e164' : user.format),
    countryHint: country,
    scenario,
    ip,
    userAgent: inApp ? user.appUa : user.browser.ua,
    device: newDevice ? deviceId(rng) : inApp ? user.appDevice : user.browserDevice,
    challengePassed: inApp ? (newDevice && tenant === 'bank' ? true : undefined) : solvedChallenge(rng, tenant, scenario),
    account: scenario === 'register' ? undefined : user.account,
  });
  return sorted([send, ...legitVerifies(flow, t, send.line, user.number.e164)]);
}

/** Users whose code is slow: they retry after 30–180 s, sometimes writing the number differently. */
function retryFlow(world: World, flow: Flow, t: number, tenant: TenantId, country: string): Source {
  const { rng } = flow;
  const cfg = SIM_CONFIG.legit.retry;
  const scenario = rng.weighted(cfg.scenarios);
  const user = pickUser(world, rng, tenant, country, scenario, flow.id);
  const inApp = tenant === 'social' && rng.chance(0.6);
  const ip =
    (inApp || user.browser.mobile) && rng.chance(0.5) ? cgnatAddress(world, rng, country, user.carrier) : user.homeIp;
  const challengePassed = inApp ? undefined : solvedChallenge(rng, tenant, scenario);
  const retries = intBetween(rng, cfg.retries);
  const events: SimEvent[] = [];
  let format: NumberFormat = inApp ? 'e164' : user.format;
  let at = t;
  let last: SimSendLine | undefined;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) {
      at += Math.round(between(rng, cfg.retryDelaySeconds) * SECOND);
      if (!inApp && rng.chance(cfg.reformatRate)) format = rng.pick(USER_FORMATS.filter((f) => f !== format));
    }
    const send = flow.send(at, {
      tenant,
      written: writeNumber(user.number, format),
      countryHint: country,
      scenario,
      ip,
      userAgent: inApp ? user.appUa : user.browser.ua,
      device: inApp ? user.appDevice : user.browserDevice,
      challengePassed,
      account: scenario === 'register' ? undefined : user.account,
    });
    events.push(send);
    last = send.line;
  }
  // The user enters the newest code (see the modelling notes at the top).
  if (last) events.push(...legitVerifies(flow, at, last, user.number.e164, cfg.giveUpRate));
  return sorted(events);
}

/** Bank customers: known device and network mostly; sometimes a new device at home (solves the challenge). */
function sensitiveFlow(world: World, flow: Flow, t: number, tenant: TenantId, country: string): Source {
  const { rng } = flow;
  const cfg = SIM_CONFIG.legit.sensitive;
  const scenario = rng.weighted(cfg.scenarios);
  const user = makeUser(world, tenant, country, String(rng.int(0, populationSize(world, tenant, country) - 1)));
  const inApp = user.channelRoll < cfg.appRate;
  const newDevice = rng.chance(cfg.newDeviceAtHomeRate);
  const ip = !newDevice && inApp && rng.chance(cfg.onCarrierRate) ? cgnatAddress(world, rng, country, user.carrier) : user.homeIp;
  const send = flow.send(t, {
    tenant,
    // The bank texts the number on file.
    written: writeNumber(user.number, 'e164'),
    scenario,
    ip,
    userAgent: inApp ? user.appUa : user.browser.ua,
    device: newDevice ? deviceId(rng) : inApp ? user.appDevice : user.browserDevice,
    challengePassed: newDevice || !inApp ? true : undefined,
    account: user.account,
  });
  return sorted([send, ...legitVerifies(flow, t, send.line, user.number.e164, 0.05)]);
}

// ---------------------------------------------------------------------------------------------
// Attacks
// ---------------------------------------------------------------------------------------------

/** `count` distinct keys of `weights`, drawn by weight. */
function pickKeys<K extends string>(rng: Rng, weights: Weights<K>, count: number): K[] {
  const chosen: K[] = [];
  const remaining: Partial<Record<K, number>> = { ...weights };
  while (chosen.length < count && Object.keys(remaining).length > 0) {
    const key = rng.weighted(remaining);
    chosen.push(key);
    delete remaining[key];
  }
  return chosen;
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

/**
 * The owner of a bombed number asks one service for a code from home, in a stable browser that
 * solves the challenge: no history anywhere (the shield must not lock them out for the bomb).
 */
function bombedOwnerFlow(id: string, rng: Rng, victim: SimNumber, t: number): Source {
  const flow = new Flow(`bombed-owner/${id}`, 'legit:bombed-owner', rng);
  const tenant = rng.weighted<TenantId>({ social: 30, shop: 30, saas: 20, bank: 20 });
  const send = flow.send(t, {
    tenant,
    written: writeNumber(victim, rng.pick(USER_FORMATS)),
    countryHint: victim.country,
    scenario: rng.weighted<SimScenario>({ login: 60, register: 25, reset_password: 15 }),
    ip: addressOf(rng, 'residential', victim.country),
    userAgent: browserAgent(rng).ua,
    device: deviceId(rng),
    challengePassed: true,
  });
  return sorted([send, ...legitVerifies(flow, t, send.line, victim.e164)]);
}

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
