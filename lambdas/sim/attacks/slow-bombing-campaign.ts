import { SIM_CONFIG, type TenantId, type Weights } from '../profiles/sim-config';
import { proxyAddress } from '../profiles/addresses';
import { deviceId } from '../profiles/device-ids';
import { USER_FORMATS, writeNumber, type NumberFormat } from '../profiles/number-formats';
import { mobileNumber } from '../profiles/phone-numbers';
import { browserAgent } from '../profiles/user-agents';
import { between, intBetween, pickKeys } from '../draws';
import type { SimEvent } from '../event-merge';
import type { Flow } from '../flow';
import type { SimScenario } from '../types';
import { HOUR, MINUTE, type World } from '../world';

/** Low-and-slow bombing: one victim, a request every few minutes via residential proxies in the victim's country. */
export function* slowBombingCampaign(world: World, flow: Flow, t0: number): Generator<SimEvent, void, undefined> {
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
