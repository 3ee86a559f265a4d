import { SIM_CONFIG, type TenantId } from '../profiles/sim-config';
import { writeNumber } from '../profiles/number-formats';
import { sorted, type Source } from '../event-merge';
import type { Flow } from '../flow';
import { legitVerifies, pickUser, webChallenge } from '../users';
import { SECOND, cgnatAddress, type World } from '../world';

/** Ordinary browser users: stable device, home broadband (or mobile data on a phone). */
export function webFlow(world: World, flow: Flow, t: number, tenant: TenantId, country: string): Source {
  const { rng } = flow;
  const cfg = SIM_CONFIG.legit.web;
  const scenario = rng.weighted(cfg.scenarios[tenant] ?? { login: 1 });
  const user = pickUser(world, rng, tenant, country, scenario, `${flow.id}`);
  const ip = user.browser.mobile && rng.chance(cfg.mobileBrowserOnCarrierRate) ? cgnatAddress(world, rng, country, user.carrier) : user.homeIp;
  const device = rng.chance(cfg.deviceMissingRate) ? undefined : user.browserDevice;
  const fields = {
    tenant,
    written: writeNumber(user.number, user.format),
    countryHint: country,
    scenario,
    ip,
    userAgent: user.browser.ua,
    device,
    account: scenario === 'register' ? undefined : user.account,
  };
  const challengePassed = webChallenge(rng, tenant, scenario);
  if (challengePassed !== false) {
    const send = flow.send(t, { ...fields, challengePassed });
    return sorted([send, ...legitVerifies(flow, t, send.line, user.number.e164)]);
  }
  // The SDK failed the proof of work (old browser, flaky network). If the shield answers
  // "challenge", the page solves a fresh one and re-sends; the simulator cannot see the answer,
  // so both sends are written, each with the verify that follows if it is the one allowed.
  // Its own variant keeps the second send's rate-limit block apart in the evaluation.
  const retrying = flow.withVariant('web-pow-retry');
  const first = retrying.send(t, { ...fields, challengePassed: false });
  const t2 = t + rng.int(5, 25) * SECOND;
  const second = retrying.send(t2, { ...fields, challengePassed: true });
  return sorted([first, ...legitVerifies(retrying, t, first.line, user.number.e164), second, ...legitVerifies(retrying, t2, second.line, user.number.e164)]);
}
