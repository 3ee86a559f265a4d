import { SIM_CONFIG, type TenantId } from '../profiles/sim-config';
import { deviceId } from '../profiles/device-ids';
import { writeNumber } from '../profiles/number-formats';
import { sorted, type Source } from '../event-merge';
import type { Flow } from '../flow';
import { legitVerifies, makeUser, populationSize } from '../users';
import { cgnatAddress, type World } from '../world';

/** Bank customers: known device and network mostly; sometimes a new device at home (solves the challenge). */
export function sensitiveFlow(world: World, flow: Flow, t: number, tenant: TenantId, country: string): Source {
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
