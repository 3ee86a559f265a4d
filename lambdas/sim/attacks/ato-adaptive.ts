import { SIM_CONFIG, type Weights } from '../profiles/sim-config';
import { addressOf, datacenterAddress, hasPool } from '../profiles/addresses';
import { deviceId } from '../profiles/device-ids';
import { writeNumber } from '../profiles/number-formats';
import { browserAgent } from '../profiles/user-agents';
import { between, intBetween } from '../draws';
import type { SimEvent } from '../event-merge';
import type { Flow } from '../flow';
import { customerSession } from '../legit/customer-session';
import { makeUser, populationSize, type SimUser } from '../users';
import { HOUR, SECOND, tenantCountries, type World } from '../world';

/** Where an adaptive takeover connects from. */
export type AtoNetwork = 'resi-abroad' | 'dc-in-country';

/**
 * Account takeover of real bank customers (`ato-resi-abroad`, `ato-dc-in-country`): most
 * victims used the bank from their own device and network hours before (their sessions are
 * `legit:sensitive`, variant `sensitive-before-ato`), some have no history yet. Each account
 * is attacked from a new device with a current browser, usually with a solved proof of work,
 * through residential proxies abroad or datacenter addresses in the victim's own country.
 * Half the owners come back afterwards (`sensitive-after-ato`) and must still be served.
 */
export function* atoAdaptiveCampaign(world: World, flow: Flow, t0: number, network: AtoNetwork): Generator<SimEvent, void, undefined> {
  const { rng } = flow;
  const cfg = SIM_CONFIG.attacks.adaptive.ato;
  const countries = tenantCountries('bank');
  const abroad = rng.weighted(cfg.abroadCountries as Weights<string>);
  const accounts = intBetween(rng, cfg.accountsPerCampaign);
  const lead = between(rng, cfg.leadHours) * HOUR;
  // The campaign's id (`ato-resi-abroad-3`) keeps owners' flow ids apart across styles.
  const base = flow.id.replace('/', '-');
  const events: SimEvent[] = [];
  let t = t0 + lead;
  for (let a = 0; a < accounts && t < world.end; a++) {
    const country = rng.weighted(countries);
    const victim: SimUser = makeUser(world, 'bank', country, String(rng.int(0, populationSize(world, 'bank', country) - 1)));
    const ownerRng = rng.fork(`owner:${a}`);
    if (ownerRng.chance(cfg.historyRate)) {
      const sessions = intBetween(ownerRng, cfg.historyFlows);
      for (let s = 0; s < sessions; s++) {
        const at = t0 + Math.round(ownerRng.next() * Math.max(0, t - t0 - HOUR));
        events.push({ t: at, spawn: customerSession(world, `sensitive-before-ato/${base}-${a}-${s}`, ownerRng.fork(`before:${s}`), victim, at) });
      }
    }
    const proxyCountry = abroad === country ? (country === 'ES' ? 'PT' : 'ES') : abroad;
    const device = deviceId(rng);
    const userAgent = browserAgent(rng).ua;
    const scenario = rng.weighted(cfg.scenarios);
    const attempts = intBetween(rng, cfg.attemptsPerAccount);
    for (let i = 0; i < attempts && t < world.end; i++) {
      const ip =
        network === 'resi-abroad'
          ? addressOf(rng, 'residential', proxyCountry)
          : hasPool('datacenterInCountry', country)
            ? addressOf(rng, 'datacenterInCountry', country)
            : datacenterAddress(rng);
      events.push(
        flow.send(t, {
          tenant: 'bank',
          written: writeNumber(victim.number, 'e164'),
          scenario,
          ip,
          userAgent,
          device,
          challengePassed: rng.chance(cfg.powSolveRate) ? true : undefined,
          account: victim.account,
        }),
      );
      t += Math.round(between(rng, cfg.attemptGapSeconds) * SECOND);
    }
    if (ownerRng.chance(cfg.ownerAfterRate)) {
      const at = t + Math.round(between(ownerRng, cfg.ownerAfterHours) * HOUR);
      if (at < world.end) events.push({ t: at, spawn: customerSession(world, `sensitive-after-ato/${base}-${a}`, ownerRng.fork('after'), victim, at) });
    }
    t += Math.round(between(rng, cfg.accountGapSeconds) * SECOND);
  }
  // Built ahead (a campaign is a few dozen events), yielded in time order.
  yield* events.sort((x, y) => x.t - y.t);
}
