import { SIM_CONFIG } from '../profiles/sim-config';
import { writeNumber } from '../profiles/number-formats';
import { sorted, type Source } from '../event-merge';
import { Flow } from '../flow';
import type { Rng } from '../rng';
import { legitVerifies, type SimUser } from '../users';
import { cgnatAddress, type World } from '../world';

/**
 * A bank customer's own session, on their usual device and network (home broadband, or their
 * carrier's CGNAT in the app), under its own variant of `legit:sensitive`: the history an
 * account takeover targets, and the owner coming back after one (who must still be served).
 */
export function customerSession(world: World, id: string, rng: Rng, user: SimUser, t: number): Source {
  const flow = new Flow(id, 'legit:sensitive', rng);
  const cfg = SIM_CONFIG.legit.sensitive;
  const inApp = user.channelRoll < cfg.appRate;
  const send = flow.send(t, {
    tenant: user.tenant,
    written: writeNumber(user.number, 'e164'),
    scenario: rng.weighted(cfg.scenarios),
    ip: inApp && rng.chance(cfg.onCarrierRate) ? cgnatAddress(world, rng, user.country, user.carrier) : user.homeIp,
    userAgent: inApp ? user.appUa : user.browser.ua,
    device: inApp ? user.appDevice : user.browserDevice,
    challengePassed: inApp ? undefined : true,
    account: user.account,
  });
  return sorted([send, ...legitVerifies(flow, t, send.line, user.number.e164, 0.05)]);
}
