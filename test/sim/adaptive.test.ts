import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePhone } from '../../lambdas/engine/phone';
import { SIM_CONFIG } from '../../lambdas/sim/profiles/sim-config';
import { ipPools, type NetBlock } from '../../lambdas/sim/profiles/ip-pools';
import { BROWSER_USER_AGENTS } from '../../lambdas/sim/profiles/user-agents';
import { formatSimLine, simulateLines } from '../../lambdas/sim/simulate';
import { flowVariant, type SimLine, type SimSendLine, type SimVerifyLine } from '../../lambdas/sim/types';

/** One day at half scale: every adaptive style runs at least once (ATO starts hours in). */
const RUN = { seed: 7, days: 1, scale: 0.5 } as const;

const toInt = (ip: string): number => ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
function inBlocks(ip: string, blocks: readonly NetBlock[]): NetBlock | undefined {
  const n = toInt(ip);
  return blocks.find((b) => {
    const [base = '', bits] = b.cidr.split('/');
    const size = 2 ** (32 - Number(bits));
    return Math.floor(n / size) === Math.floor(toInt(base) / size);
  });
}
const e164 = (s: SimSendLine): string => parsePhone(s.phone, s.country)?.e164 ?? 'unparsed';
const slash24 = (ip: string): string => ip.split('.').slice(0, 3).join('.');
const BROWSERS = new Set(BROWSER_USER_AGENTS.map((a) => a.ua));

describe('adaptive attacker styles', () => {
  let lines: SimLine[];
  let sends: SimSendLine[];
  const ofVariant = (variant: string): SimSendLine[] => sends.filter((s) => flowVariant(s.flow) === variant);

  beforeAll(() => {
    lines = [...simulateLines(RUN)];
    sends = lines.filter((l): l is SimSendLine => l.type === 'send');
  });

  it('runs every style as its own variant of an existing class, deterministically', () => {
    const expected: Record<string, string> = {
      'bots-farm-dc': 'attack:bots',
      'bots-farm-resi': 'attack:bots',
      'ato-resi-abroad': 'attack:ato',
      'ato-dc-in-country': 'attack:ato',
      'bombing-interfaces': 'attack:bombing',
      'sensitive-before-ato': 'legit:sensitive',
      'sensitive-after-ato': 'legit:sensitive',
      'bombed-owner-interfaces': 'legit:bombed-owner',
    };
    for (const [variant, label] of Object.entries(expected)) {
      const rows = ofVariant(variant);
      expect(rows.length, variant).toBeGreaterThan(0);
      expect(new Set(rows.map((s) => s.label)), variant).toEqual(new Set([label]));
    }
    const digest = (it: Iterable<SimLine>) => {
      const hash = createHash('sha256');
      for (const line of it) if (Object.hasOwn(expected, flowVariant(line.flow))) hash.update(formatSimLine(line));
      return hash.digest('hex');
    };
    expect(digest(simulateLines(RUN))).toBe(digest(lines));
    expect(digest(simulateLines({ ...RUN, seed: 8 }))).not.toBe(digest(lines));
  });

  it('gives every send a unique id, also the owners of accounts taken over by two styles', () => {
    expect(new Set(sends.map((s) => s.id)).size).toBe(sends.length);
  });

  it('keeps the legitimate populations the new rules could hurt', () => {
    const variants = new Set(sends.filter((s) => s.label.startsWith('legit:')).map((s) => flowVariant(s.flow)));
    for (const v of ['web', 'web-pow-retry', 'app', 'office', 'traveler', 'retry', 'sensitive']) expect(variants, v).toContain(v);
    // App users without challenge support, on carrier CGNAT.
    const app = sends.filter((s) => s.label === 'legit:app');
    expect(app.every((s) => s.challengePassed === undefined)).toBe(true);
    const cgnat = Object.values(ipPools.mobileCgnat).flat();
    expect(app.filter((s) => inBlocks(s.ip, cgnat)).length / app.length).toBeGreaterThan(0.5);
  });

  it('farms registrations like people: solved challenge, real browsers, a new device each time, codes verified', () => {
    for (const variant of ['bots-farm-dc', 'bots-farm-resi']) {
      const farm = ofVariant(variant);
      expect(farm.length, variant).toBeGreaterThan(50);
      expect(farm.every((s) => s.scenario === 'register' && s.challengePassed === true && BROWSERS.has(s.userAgent ?? ''))).toBe(true);
      expect(new Set(farm.map((s) => s.device)).size).toBe(farm.length);
      expect(new Set(farm.map((s) => s.ip)).size).toBeGreaterThan(farm.length * 0.9);
      for (const flow of new Set(farm.map((s) => s.flow))) {
        const campaign = farm.filter((s) => s.flow === flow);
        const numbers = campaign.map(e164);
        const countries = new Set(campaign.map((s) => parsePhone(s.phone, s.country)?.country));
        expect(countries.size, flow).toBe(1);
        // A few operator ranges: the numbers share at most four stems (all but the last 4–5 digits).
        const stems = new Set(numbers.map((n) => n.slice(0, -5)));
        expect(stems.size, flow).toBeLessThanOrEqual(4);
        const verified = lines.filter((l): l is SimVerifyLine => l.type === 'verify' && l.flow === flow);
        expect(verified.every((v) => v.success)).toBe(true);
        if (campaign.length >= 40) {
          expect(verified.length / campaign.length, flow).toBeGreaterThan(0.7);
          expect(verified.length / campaign.length, flow).toBeLessThan(0.97);
        }
        const asns = new Set(
          campaign.map((s) => inBlocks(s.ip, variant === 'bots-farm-dc' ? ipPools.datacenter : Object.values(ipPools.residential).flat())?.asn),
        );
        expect(asns.has(undefined), flow).toBe(false);
        if (variant === 'bots-farm-dc') expect(asns.size, flow).toBeGreaterThanOrEqual(3);
        else {
          const country = [...countries][0] as string;
          expect(
            campaign.every((s) => inBlocks(s.ip, ipPools.residential[country] ?? [])),
            flow,
          ).toBe(true);
          expect(new Set(campaign.map((s) => slash24(s.ip))).size, flow).toBeGreaterThan(campaign.length * 0.8);
        }
      }
    }
  });

  it('takes over real customers from a new device, abroad or on local datacenter addresses', () => {
    const customers = sends.filter((s) => s.label === 'legit:sensitive');
    const before = ofVariant('sensitive-before-ato');
    for (const variant of ['ato-resi-abroad', 'ato-dc-in-country']) {
      const ato = ofVariant(variant);
      expect(ato.length, variant).toBeGreaterThan(5);
      for (const s of ato) {
        expect(s.tenant).toBe('bank');
        expect(['reset_password', 'transfer']).toContain(s.scenario);
        expect(BROWSERS.has(s.userAgent ?? '')).toBe(true);
        // The device is new to the account: the owner never used it.
        expect(customers.some((c) => c.account === s.account && c.device === s.device)).toBe(false);
        const victimCountry = parsePhone(s.phone)?.country as string;
        if (variant === 'ato-dc-in-country') expect(inBlocks(s.ip, ipPools.datacenterInCountry[victimCountry] ?? []), s.ip).toBeDefined();
        else {
          expect(inBlocks(s.ip, ipPools.residential[victimCountry] ?? [])).toBeUndefined();
          expect(inBlocks(s.ip, Object.values(ipPools.residential).flat())).toBeDefined();
        }
      }
      expect(ato.filter((s) => s.challengePassed === true).length / ato.length).toBeGreaterThan(0.6);
    }
    // Most victims have verified history from their own device before the attack, some none.
    const attacked = new Map<string, string>();
    for (const s of sends) if (s.label === 'attack:ato' && flowVariant(s.flow) !== 'ato' && !attacked.has(s.account ?? '')) attacked.set(s.account ?? '', s.ts);
    const withHistory = [...attacked].filter(([account, ts]) => before.some((b) => b.account === account && b.ts < ts));
    expect(withHistory.length).toBeGreaterThan(attacked.size / 2);
    expect(withHistory.length).toBeLessThan(attacked.size);
  });

  it('bombs each victim through at least six tenants within minutes', () => {
    const bomb = ofVariant('bombing-interfaces');
    const victims = new Map<string, SimSendLine[]>();
    for (const s of bomb) victims.set(e164(s), [...(victims.get(e164(s)) ?? []), s]);
    expect(victims.size).toBeGreaterThan(0);
    for (const [victim, hits] of victims) {
      expect(victim).not.toBe('unparsed');
      expect(new Set(hits.map((s) => s.tenant)).size, victim).toBeGreaterThanOrEqual(6);
      const span = Date.parse((hits.at(-1) as SimSendLine).ts) - Date.parse((hits[0] as SimSendLine).ts);
      expect(span).toBeLessThanOrEqual(SIM_CONFIG.attacks.adaptive.bombingInterfaces.durationMinutes[1] * 60_000);
    }
    expect(new Set(bomb.map((s) => s.device)).size).toBe(bomb.length);
  });
});
