import { SIM_CONFIG, type TenantId, type Weights } from '../profiles/sim-config';
import { addressOf, hasPool } from '../profiles/addresses';
import { deviceId } from '../profiles/device-ids';
import { writeNumber } from '../profiles/number-formats';
import { sorted, type Source } from '../event-merge';
import type { Flow } from '../flow';
import { legitVerifies, pickUser, solvedChallenge } from '../users';
import { cgnatAddress, type World } from '../world';

/** Users abroad: number country ≠ IP country (hotel Wi-Fi, local SIM), sometimes a new device. */
export function travelerFlow(world: World, flow: Flow, t: number, tenant: TenantId, country: string): Source {
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
