import { SIM_CONFIG } from '../profiles/sim-config';
import { addressOf, datacenterAddress, proxyAddress } from '../profiles/addresses';
import { deviceId } from '../profiles/device-ids';
import { junkNumber, type JunkKind } from '../profiles/junk-numbers';
import { BOT_USER_AGENTS, browserAgent } from '../profiles/user-agents';
import { between, intBetween } from '../draws';
import type { SimEvent } from '../event-merge';
import { attackFlow } from '../flow';
import type { SimScenario } from '../types';
import { SECOND, type World } from '../world';

/** Numbers an SMS interface must never text, from scanners, form spam and sloppy scripts. */
export function* junkActor(world: World, n: number, t0: number): Generator<SimEvent, void, undefined> {
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
