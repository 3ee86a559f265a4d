import { SIM_CONFIG, type Weights } from '../profiles/sim-config';
import { addressIn, datacenterAddressOf, datacenterAsns } from '../profiles/addresses';
import { deviceId } from '../profiles/device-ids';
import { ipPools, type NetBlock } from '../profiles/ip-pools';
import { writeNumber } from '../profiles/number-formats';
import { mobileRange, numberInRange, type NumberRange } from '../profiles/phone-numbers';
import { browserAgent } from '../profiles/user-agents';
import { between, intBetween } from '../draws';
import { sorted, type SimEvent } from '../event-merge';
import type { Flow } from '../flow';
import type { Rng } from '../rng';
import { HOUR, SECOND, type World } from '../world';

/** Where a farm's requests come from. */
export type FarmNetwork = 'datacenter' | 'residential';

/** `count` distinct items of `items`, in a random order. */
function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(rng.int(0, pool.length - 1), 1)[0] as T);
  return chosen;
}

/**
 * An adaptive registration farm (`bots-farm-dc`, `bots-farm-resi`): numbers bought in bulk
 * from a few operator ranges of one country, each request with a solved proof of work, a real
 * browser user agent and a fresh device, from a new address of a few hosting providers
 * (datacenter) or of a few access ISPs in the numbers' own country (residential proxies).
 * It verifies most codes, so its conversion looks like real users'.
 */
export function* botFarmCampaign(world: World, flow: Flow, t0: number, network: FarmNetwork): Generator<SimEvent, void, undefined> {
  const { rng } = flow;
  const cfg = SIM_CONFIG.attacks.adaptive.botFarm;
  const tenant = rng.weighted(cfg.tenants);
  const country = rng.weighted(cfg.numberCountries as Weights<string>);
  const ranges: NumberRange[] = Array.from({ length: intBetween(rng, cfg.ranges) }, () => mobileRange(rng, country, intBetween(rng, cfg.rangeDigits)));
  const asns = sample(rng, datacenterAsns(), intBetween(rng, cfg.hostingAsns));
  const residential = ipPools.residential[country] ?? [];
  const blocks: NetBlock[] = sample(rng, residential, Math.min(residential.length, intBetween(rng, cfg.residentialBlocks)));
  if (network === 'residential' && blocks.length === 0) throw new Error(`no residential addresses for ${country}`);
  // Web forms with a country picker: the number as E.164 or national with the country.
  const format = rng.chance(0.5) ? 'e164' : 'national';
  const verifyRate = between(rng, cfg.verifyRate);
  const end = Math.min(world.end, t0 + between(rng, cfg.durationHours) * HOUR);
  for (let t = t0; t < end; t += Math.round(between(rng, cfg.intervalSeconds) * SECOND)) {
    const range = rng.pick(ranges);
    const number = numberInRange(range, rng.int(0, 10 ** range.freeDigits - 1));
    const written = writeNumber(number, format);
    const send = flow.send(t, {
      tenant,
      written,
      countryHint: country,
      scenario: 'register',
      ip: network === 'datacenter' ? datacenterAddressOf(rng, asns) : addressIn(rng, rng.pick(blocks)),
      userAgent: browserAgent(rng).ua,
      device: deviceId(rng),
      challengePassed: true,
    });
    const events: SimEvent[] = [send];
    if (rng.chance(verifyRate)) events.push(flow.verify(t + Math.round(between(rng, cfg.verifyDelaySeconds) * SECOND), send.line, number.e164, true));
    yield { t, spawn: sorted(events) };
  }
}
