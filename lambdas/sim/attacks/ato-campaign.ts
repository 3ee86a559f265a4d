import { SIM_CONFIG, type Weights } from '../profiles/sim-config';
import { addressOf, datacenterAddress, hasPool, proxyAddress } from '../profiles/addresses';
import { deviceId } from '../profiles/device-ids';
import { writeNumber } from '../profiles/number-formats';
import { SPOOFED_BROWSER_USER_AGENTS, browserAgent } from '../profiles/user-agents';
import { between, intBetween } from '../draws';
import type { SimEvent } from '../event-merge';
import type { Flow } from '../flow';
import { makeUser, populationSize } from '../users';
import { SECOND, tenantCountries, type World } from '../world';

/** Account takeover: OTPs for existing bank accounts from a new device and a foreign / datacenter / proxy network. */
export function* atoCampaign(world: World, flow: Flow, t0: number): Generator<SimEvent, void, undefined> {
  const { rng } = flow;
  const cfg = SIM_CONFIG.attacks.ato;
  const network = rng.weighted(cfg.network);
  const foreign = rng.weighted(cfg.foreignCountries as Weights<string>);
  const dcIps = Array.from({ length: rng.int(1, 3) }, () => datacenterAddress(rng));
  const foreignIp = hasPool('residential', foreign) ? addressOf(rng, 'residential', foreign) : datacenterAddress(rng);
  const rotateDevices = rng.chance(0.5);
  let device = deviceId(rng);
  const userAgent = rng.chance(0.6) ? browserAgent(rng).ua : rng.pick(SPOOFED_BROWSER_USER_AGENTS);
  const solves = rng.chance(cfg.powSolveRate);
  const accounts = intBetween(rng, cfg.accountsPerCampaign);
  const countries = tenantCountries('bank');
  let t = t0;
  for (let a = 0; a < accounts && t < world.end; a++) {
    const country = rng.weighted(countries);
    const victim = makeUser(world, 'bank', country, String(rng.int(0, populationSize(world, 'bank', country) - 1)));
    if (rotateDevices) device = deviceId(rng);
    const scenario = rng.weighted(cfg.scenarios);
    const attempts = intBetween(rng, cfg.attemptsPerAccount);
    for (let i = 0; i < attempts; i++) {
      const ip = network === 'datacenter' ? rng.pick(dcIps) : network === 'foreign' ? foreignIp : proxyAddress(rng, victim.country);
      yield flow.send(t, {
        tenant: 'bank',
        written: writeNumber(victim.number, 'e164'),
        scenario,
        ip,
        userAgent,
        device,
        challengePassed: solves ? true : undefined,
        account: victim.account,
      });
      t += Math.round(between(rng, cfg.attemptGapSeconds) * SECOND);
    }
    t += Math.round(between(rng, cfg.accountGapSeconds) * SECOND);
  }
}
