/**
 * Legitimate users: derived from (tenant, country, index) alone, so a returning user has the
 * same number, home IP, device and user agents every time without anything being stored; and
 * what they do once a code arrives.
 */
import { SIM_CONFIG, type TenantId } from './profiles/sim-config';
import { addressOf } from './profiles/addresses';
import { deviceId } from './profiles/device-ids';
import type { NumberFormat } from './profiles/number-formats';
import { mobileNumber, type SimNumber } from './profiles/phone-numbers';
import { appUserAgent, browserAgent, type BrowserAgent } from './profiles/user-agents';
import { between, share } from './draws';
import type { SimEvent } from './event-merge';
import type { Flow } from './flow';
import type { Rng } from './rng';
import type { SimScenario, SimSendLine } from './types';
import { SECOND, tenantCountries, type World } from './world';

/** A person with stable attributes, derived from (tenant, country, id) alone: nothing is stored. */
export interface SimUser {
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

export function makeUser(world: World, tenant: TenantId, country: string, id: string): SimUser {
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
  const format: NumberFormat = international ? (rng.chance(0.6) ? 'e164' : 'international') : rng.chance(0.6) ? 'national' : 'nationalCompact';
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
export function populationSize(world: World, tenant: TenantId, country: string): number {
  const { legit } = SIM_CONFIG;
  let daily = 0;
  for (const cls of [legit.web, legit.app, legit.traveler, legit.retry, legit.sensitive]) {
    daily += cls.flowsPerDay[tenant] ?? 0;
  }
  const factor = tenant === 'bank' ? legit.sensitive.populationFactor : legit.populationFactor;
  return Math.max(50, Math.round(daily * share(tenantCountries(tenant), country) * factor * world.scale));
}

/** Registrations are new users (unique id per spawner); everything else a returning user. */
export function pickUser(world: World, rng: Rng, tenant: TenantId, country: string, scenario: SimScenario, newId: string): SimUser {
  if (scenario === 'register') return makeUser(world, tenant, country, newId);
  return makeUser(world, tenant, country, String(rng.int(0, populationSize(world, tenant, country) - 1)));
}

/** Whether the web page showed a proof-of-work challenge and the SDK solved it (undefined: not shown). */
export function webChallenge(rng: Rng, tenant: TenantId, scenario: SimScenario): boolean | undefined {
  if (!rng.chance(SIM_CONFIG.tenants[tenant].webChallengeShown[scenario])) return undefined;
  return rng.chance(SIM_CONFIG.legit.web.challengePassRate);
}

/** Like `webChallenge` for users who persist until it passes (travelers, retriers). */
export function solvedChallenge(rng: Rng, tenant: TenantId, scenario: SimScenario): true | undefined {
  return rng.chance(SIM_CONFIG.tenants[tenant].webChallengeShown[scenario]) ? true : undefined;
}

/** What a legitimate user does after a send, if the code arrives (the replay decides that). */
export function legitVerifies(flow: Flow, tSend: number, send: SimSendLine, e164: string, neverRate?: number): SimEvent[] {
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
