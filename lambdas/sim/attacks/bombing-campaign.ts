import { SIM_CONFIG, type TenantId, type Weights } from '../profiles/sim-config';
import { datacenterAddress, proxyAddress } from '../profiles/addresses';
import { deviceId } from '../profiles/device-ids';
import { ALIAS_FORMATS, writeNumber } from '../profiles/number-formats';
import { mobileNumber, type SimNumber } from '../profiles/phone-numbers';
import { BOT_USER_AGENTS, SPOOFED_BROWSER_USER_AGENTS } from '../profiles/user-agents';
import { between, intBetween, pickKeys } from '../draws';
import type { SimEvent } from '../event-merge';
import type { Flow } from '../flow';
import { bombedOwnerFlow } from '../legit/bombed-owner-flow';
import type { Rng } from '../rng';
import type { SimScenario } from '../types';
import { MINUTE, SECOND, type World } from '../world';

/**
 * SMS bombing: victims' numbers pushed through many tenants at once and one tenant
 * repeatedly, every request from a fresh datacenter or proxy address, aliases rotating.
 */
export function* bombingCampaign(world: World, flow: Flow, t0: number): Generator<SimEvent, void, undefined> {
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
