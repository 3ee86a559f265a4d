import { SIM_CONFIG, type TenantId } from '../profiles/sim-config';
import { USER_FORMATS, writeNumber, type NumberFormat } from '../profiles/number-formats';
import { between, intBetween } from '../draws';
import { sorted, type SimEvent, type Source } from '../event-merge';
import type { Flow } from '../flow';
import type { SimSendLine } from '../types';
import { legitVerifies, pickUser, solvedChallenge } from '../users';
import { SECOND, cgnatAddress, type World } from '../world';

/** Users whose code is slow: they retry after 30–180 s, sometimes writing the number differently. */
export function retryFlow(world: World, flow: Flow, t: number, tenant: TenantId, country: string): Source {
  const { rng } = flow;
  const cfg = SIM_CONFIG.legit.retry;
  const scenario = rng.weighted(cfg.scenarios);
  const user = pickUser(world, rng, tenant, country, scenario, flow.id);
  const inApp = tenant === 'social' && rng.chance(0.6);
  const ip = (inApp || user.browser.mobile) && rng.chance(0.5) ? cgnatAddress(world, rng, country, user.carrier) : user.homeIp;
  const challengePassed = inApp ? undefined : solvedChallenge(rng, tenant, scenario);
  const retries = intBetween(rng, cfg.retries);
  const events: SimEvent[] = [];
  let format: NumberFormat = inApp ? 'e164' : user.format;
  let at = t;
  let last: SimSendLine | undefined;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) {
      at += Math.round(between(rng, cfg.retryDelaySeconds) * SECOND);
      if (!inApp && rng.chance(cfg.reformatRate)) format = rng.pick(USER_FORMATS.filter((f) => f !== format));
    }
    const send = flow.send(at, {
      tenant,
      written: writeNumber(user.number, format),
      countryHint: country,
      scenario,
      ip,
      userAgent: inApp ? user.appUa : user.browser.ua,
      device: inApp ? user.appDevice : user.browserDevice,
      challengePassed,
      account: scenario === 'register' ? undefined : user.account,
    });
    events.push(send);
    last = send.line;
  }
  // The user enters the newest code (see the modelling notes at the top).
  if (last) events.push(...legitVerifies(flow, at, last, user.number.e164, cfg.giveUpRate));
  return sorted(events);
}
