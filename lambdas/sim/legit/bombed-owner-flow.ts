import type { TenantId } from '../profiles/sim-config';
import { addressOf } from '../profiles/addresses';
import { deviceId } from '../profiles/device-ids';
import { USER_FORMATS, writeNumber } from '../profiles/number-formats';
import type { SimNumber } from '../profiles/phone-numbers';
import { browserAgent } from '../profiles/user-agents';
import { sorted, type Source } from '../event-merge';
import { Flow } from '../flow';
import type { Rng } from '../rng';
import type { SimScenario } from '../types';
import { legitVerifies } from '../users';

/**
 * The owner of a bombed number asks one service for a code from home, in a stable browser that
 * solves the challenge: no history anywhere (the shield must not lock them out for the bomb).
 */
export function bombedOwnerFlow(id: string, rng: Rng, victim: SimNumber, t: number, variant = 'bombed-owner'): Source {
  const flow = new Flow(`${variant}/${id}`, 'legit:bombed-owner', rng);
  const tenant = rng.weighted<TenantId>({ social: 30, shop: 30, saas: 20, bank: 20 });
  const send = flow.send(t, {
    tenant,
    written: writeNumber(victim, rng.pick(USER_FORMATS)),
    countryHint: victim.country,
    scenario: rng.weighted<SimScenario>({ login: 60, register: 25, reset_password: 15 }),
    ip: addressOf(rng, 'residential', victim.country),
    userAgent: browserAgent(rng).ua,
    device: deviceId(rng),
    challengePassed: true,
  });
  return sorted([send, ...legitVerifies(flow, t, send.line, victim.e164)]);
}
