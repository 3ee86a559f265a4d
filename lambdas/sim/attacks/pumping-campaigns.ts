import { SIM_CONFIG, type TenantId, type Weights } from '../profiles/sim-config';
import { proxyAddress } from '../profiles/addresses';
import { deviceId } from '../profiles/device-ids';
import { writeNumber } from '../profiles/number-formats';
import { mobileRange, numberInRange, type NumberRange, type SimNumber } from '../profiles/phone-numbers';
import { SPOOFED_BROWSER_USER_AGENTS, browserAgent } from '../profiles/user-agents';
import { between, intBetween, pickKeys } from '../draws';
import type { SimEvent, Source } from '../event-merge';
import { attackFlow, type Flow } from '../flow';
import type { Rng } from '../rng';
import { MINUTE, SECOND, type World } from '../world';

/** What a pumping campaign reuses across its requests: its challenge outcome and a few device tokens. */
interface PumpingKit {
  readonly challenge: 'absent' | 'passed' | 'failed';
  readonly devices: readonly string[];
}

function pumpingKit(rng: Rng): PumpingKit {
  const cfg = SIM_CONFIG.attacks.pumping;
  return {
    challenge: rng.weighted(cfg.challenge),
    devices: Array.from({ length: rng.int(5, 20) }, () => deviceId(rng)),
  };
}

function pumpingSend(flow: Flow, t: number, tenant: TenantId, number: SimNumber, kit: PumpingKit): SimEvent {
  const { rng } = flow;
  const cfg = SIM_CONFIG.attacks.pumping;
  const written = writeNumber(number, rng.chance(0.7) ? 'e164' : 'international');
  return flow.send(t, {
    tenant,
    written,
    countryHint: rng.chance(0.5) ? number.country : undefined,
    scenario: 'register',
    ip: proxyAddress(rng),
    userAgent: rng.chance(0.7) ? browserAgent(rng).ua : rng.pick(SPOOFED_BROWSER_USER_AGENTS),
    device: rng.chance(cfg.freshDeviceRate) ? deviceId(rng) : rng.pick(kit.devices),
    challengePassed: kit.challenge === 'absent' ? undefined : kit.challenge === 'passed',
  });
}

/** Toll fraud, burst: sequential or dense numbers in a few ranges of one high-cost destination. */
export function* burstPumpingCampaign(world: World, flow: Flow, t0: number): Generator<SimEvent, void, undefined> {
  const { rng } = flow;
  const cfg = SIM_CONFIG.attacks.pumping;
  const burst = cfg.burst;
  const destination = rng.weighted(cfg.destinations as Weights<string>);
  const ranges: NumberRange[] = Array.from({ length: intBetween(rng, burst.ranges) }, () => mobileRange(rng, destination, intBetween(rng, burst.rangeDigits)));
  const sequential = rng.chance(burst.sequentialRate);
  const cursors = ranges.map((r) => rng.int(0, 10 ** r.freeDigits - 1));
  const tenant = rng.weighted(cfg.tenants);
  const kit = pumpingKit(rng);
  const perMinute = between(rng, burst.perMinute);
  const end = Math.min(world.end, t0 + between(rng, burst.durationMinutes) * MINUTE);
  for (let t = t0; t < end; t += Math.max(300, Math.round(rng.exponential(MINUTE / perMinute)))) {
    const r = rng.int(0, ranges.length - 1);
    const range = ranges[r] as NumberRange;
    const offset = sequential ? (cursors[r] = (cursors[r] ?? 0) + 1) : rng.int(0, 10 ** range.freeDigits - 1);
    yield pumpingSend(flow, t, tenant, numberInRange(range, offset), kit);
  }
}

/** Toll fraud, paced: runs all along, one request every few minutes, dense numbers, rotating tenants. */
export function pacedPumpingCampaigns(world: World): Source[] {
  const count = Math.max(1, Math.round(SIM_CONFIG.attacks.pumping.paced.campaigns * world.scale));
  return Array.from({ length: count }, (_, i) => pacedPumpingCampaign(world, attackFlow(world, `pumping-paced/${i + 1}`, 'attack:pumping')));
}

function* pacedPumpingCampaign(world: World, flow: Flow): Generator<SimEvent, void, undefined> {
  const { rng } = flow;
  const cfg = SIM_CONFIG.attacks.pumping;
  const paced = cfg.paced;
  const countries = pickKeys(rng, cfg.destinations as Weights<string>, rng.int(2, 3));
  const ranges: NumberRange[] = Array.from({ length: intBetween(rng, paced.ranges) }, (_, i) =>
    mobileRange(rng, countries[i % countries.length] as string, intBetween(rng, paced.rangeDigits)),
  );
  const kit = pumpingKit(rng);
  for (let t = world.start + rng.int(0, 10 * MINUTE); t < world.end; t += Math.round(between(rng, paced.intervalSeconds) * SECOND)) {
    const range = rng.pick(ranges);
    yield pumpingSend(flow, t, rng.weighted(cfg.tenants), numberInRange(range, rng.int(0, 10 ** range.freeDigits - 1)), kit);
  }
}
