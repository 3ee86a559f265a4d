import { SIM_CONFIG, type TenantId } from '../profiles/sim-config';
import { writeNumber } from '../profiles/number-formats';
import { sorted, type Source } from '../event-merge';
import type { Flow } from '../flow';
import { legitVerifies, pickUser } from '../users';
import { cgnatAddress, type World } from '../world';

/** Mobile-app users: okhttp / CFNetwork user agents, mostly on carrier CGNAT addresses. */
export function appFlow(world: World, flow: Flow, t: number, tenant: TenantId, country: string): Source {
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
