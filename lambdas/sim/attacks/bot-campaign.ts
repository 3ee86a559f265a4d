import { SIM_CONFIG } from '../profiles/sim-config';
import { datacenterAddress, proxyAddress } from '../profiles/addresses';
import { deviceId } from '../profiles/device-ids';
import { writeNumber } from '../profiles/number-formats';
import { mobileNumber, ukVoipNumber } from '../profiles/phone-numbers';
import { BOT_USER_AGENTS, SPOOFED_BROWSER_USER_AGENTS } from '../profiles/user-agents';
import { between, intBetween } from '../draws';
import { sorted, type SimEvent } from '../event-merge';
import type { Flow } from '../flow';
import { HOUR, SECOND, type World } from '../world';

/** Fake registrations with bought numbers; the bots verify their codes (they need the accounts). */
export function* botCampaign(world: World, flow: Flow, t0: number): Generator<SimEvent, void, undefined> {
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
