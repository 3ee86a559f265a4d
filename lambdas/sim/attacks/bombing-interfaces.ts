import { SIM_CONFIG, type Weights } from '../profiles/sim-config';
import { datacenterAddress, proxyAddress } from '../profiles/addresses';
import { deviceId } from '../profiles/device-ids';
import { USER_FORMATS, writeNumber, type NumberFormat } from '../profiles/number-formats';
import { mobileNumber, type SimNumber } from '../profiles/phone-numbers';
import { browserAgent } from '../profiles/user-agents';
import { between, intBetween, pickKeys } from '../draws';
import type { SimEvent } from '../event-merge';
import type { Flow } from '../flow';
import { bombedOwnerFlow } from '../legit/bombed-owner-flow';
import type { Rng } from '../rng';
import type { SimScenario } from '../types';
import { MINUTE, SECOND, type World } from '../world';

/**
 * SMS bombing over many interfaces (`bombing-interfaces`): each victim is pushed through 6–9
 * tenants' forms at once for a few minutes, a few requests per tenant, so that no single
 * tenant sees a flood. Every request looks like a person: the number written as the form
 * wants it, a current browser, a fresh device, often a solved proof of work, and a
 * residential proxy in the victim's country (else a datacenter address). The evaluation
 * reports SMS per victim across all tenants. The owner asks for a code during and after
 * (`legit:bombed-owner`, variant `bombed-owner-interfaces`).
 */
export function* bombingInterfacesCampaign(world: World, flow: Flow, t0: number): Generator<SimEvent, void, undefined> {
  const { rng } = flow;
  const cfg = SIM_CONFIG.attacks.adaptive.bombingInterfaces;
  const end = Math.min(world.end, t0 + between(rng, cfg.durationMinutes) * MINUTE);
  const victims = intBetween(rng, cfg.victims);
  const owners: SimEvent[] = [];
  let victimStart = t0;
  for (let v = 0; v < victims; v++) {
    if (v > 0) victimStart += rng.int(0, 60) * SECOND;
    const victim = mobileNumber(rng, rng.weighted(cfg.victimCountries as Weights<string>));
    const tenants = pickKeys(rng, cfg.tenants as Weights<string>, intBetween(rng, cfg.tenantsPerVictim));
    for (const [i, tenant] of tenants.entries()) {
      const streamRng = rng.fork(`stream:${v}:${i}`);
      // The bomber's list of sites starts them within the first two minutes.
      const start = victimStart + streamRng.int(0, 120) * SECOND;
      yield { t: victimStart, spawn: interfaceStream(flow, streamRng, victim, tenant, start, end) };
    }
    const ownerRng = rng.fork(`owner:${v}`);
    const duringAt = victimStart + Math.round(ownerRng.int(3, 8) * MINUTE + ownerRng.next() * MINUTE);
    const id = flow.id.replace('/', '-');
    if (duringAt < end)
      owners.push({ t: duringAt, spawn: bombedOwnerFlow(`${id}-${v}-during`, ownerRng.fork('during'), victim, duringAt, 'bombed-owner-interfaces') });
    const afterAt = end + Math.round(between(ownerRng, cfg.ownerAfterMinutes) * MINUTE);
    if (afterAt < world.end)
      owners.push({ t: afterAt, spawn: bombedOwnerFlow(`${id}-${v}-after`, ownerRng.fork('after'), victim, afterAt, 'bombed-owner-interfaces') });
  }
  yield* owners.sort((a, b) => a.t - b.t);
}

/** One tenant's form, hit at about `perTenantPerMinute` from `start` until `end`. */
function* interfaceStream(flow: Flow, rng: Rng, victim: SimNumber, tenant: string, start: number, end: number): Generator<SimEvent, void, undefined> {
  const cfg = SIM_CONFIG.attacks.adaptive.bombingInterfaces;
  const perMinute = between(rng, cfg.perTenantPerMinute);
  const scenario: SimScenario = rng.weighted(cfg.scenarios);
  const format: NumberFormat = rng.pick(USER_FORMATS);
  for (let t = start; t < end; t += Math.max(2 * SECOND, Math.round(rng.exponential(MINUTE / perMinute)))) {
    yield flow.send(t, {
      tenant,
      written: writeNumber(victim, format),
      countryHint: victim.country,
      scenario,
      ip: rng.chance(cfg.residentialRate) ? proxyAddress(rng, victim.country) : datacenterAddress(rng),
      userAgent: browserAgent(rng).ua,
      device: deviceId(rng),
      challengePassed: rng.chance(cfg.powSolveRate) ? true : undefined,
    });
  }
}
