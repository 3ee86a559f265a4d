import { SIM_CONFIG, type Weights } from '../profiles/sim-config';
import { addressOf } from '../profiles/addresses';
import { deviceId } from '../profiles/device-ids';
import { USER_FORMATS, writeNumber } from '../profiles/number-formats';
import { mobileNumber } from '../profiles/phone-numbers';
import { utcOffsetHours } from '../profiles/time-of-day';
import { OFFICE_USER_AGENTS } from '../profiles/user-agents';
import { sorted, type SimEvent, type Source } from '../event-merge';
import { Flow } from '../flow';
import type { SimScenario } from '../types';
import { legitVerifies } from '../users';
import { DAY, HOUR, type World } from '../world';

/** B2B users behind their company's single office address; most log in during the morning rush. */
export function officeSpawners(world: World): Source[] {
  const cfg = SIM_CONFIG.legit.office;
  const companies = Math.max(1, Math.round(cfg.companies * world.scale));
  const sources: Source[] = [];
  for (let c = 0; c < companies; c++) sources.push(officeCompany(world, c));
  return sources;
}

function* officeCompany(world: World, company: number): Generator<SimEvent, void, undefined> {
  const cfg = SIM_CONFIG.legit.office;
  const rng = world.rng.fork(`office:${company}`);
  const country = rng.weighted(cfg.countries as Weights<string>);
  const officeIp = addressOf(rng, 'office', country);
  const employees = Math.round(Math.exp(rng.uniform(Math.log(cfg.employees[0]), Math.log(cfg.employees[1]))));
  const offset = utcOffsetHours(country);
  let n = 0;
  for (let day = 0; day * DAY < world.end - world.start; day++) {
    const midnightLocal = world.start + day * DAY - offset * HOUR;
    const weekday = new Date(midnightLocal + offset * HOUR + 12 * HOUR).getUTCDay();
    const rate = weekday === 0 || weekday === 6 ? cfg.weekendLoginRate : cfg.weekdayLoginRate;
    const logins: { t: number; employee: number }[] = [];
    for (let e = 0; e < employees; e++) {
      if (!rng.chance(rate)) continue;
      const localHours = rng.chance(cfg.morningShare) ? Math.min(10.5, Math.max(7.25, rng.normal(8.85, 0.55))) : rng.uniform(10, 18.5);
      const t = Math.round(midnightLocal + localHours * HOUR);
      if (t >= world.start && t < world.end) logins.push({ t, employee: e });
    }
    logins.sort((a, b) => a.t - b.t || a.employee - b.employee);
    for (const { t, employee } of logins) {
      const id = `office/saas-c${company}-${++n}`;
      yield { t, spawn: officeLogin(world, new Flow(id, 'legit:office', world.rng.fork(`flow:${id}`)), t, company, employee, country, officeIp) };
    }
  }
}

function officeLogin(world: World, flow: Flow, t: number, company: number, employee: number, country: string, ip: string): Source {
  const { rng } = flow;
  const person = world.rng.fork(`office:${company}:employee:${employee}`);
  const number = mobileNumber(person, country);
  const userAgent = person.pick(OFFICE_USER_AGENTS);
  const device = deviceId(person);
  const format = person.pick(USER_FORMATS);
  const scenario: SimScenario = rng.chance(0.95) ? 'login' : 'reset_password';
  const send = flow.send(t, {
    tenant: 'saas',
    written: writeNumber(number, format),
    countryHint: country,
    scenario,
    ip,
    userAgent,
    device,
    account: `saas-c${company}-e${employee}`,
  });
  return sorted([send, ...legitVerifies(flow, t, send.line, number.e164)]);
}
