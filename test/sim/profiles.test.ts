import { describe, expect, it } from 'vitest';
import { parsePhone } from '../../lambdas/engine/phone';
import { ipPools, type NetBlock } from '../../lambdas/sim/profiles/ip-pools';
import { junkNumber, type JunkKind } from '../../lambdas/sim/profiles/junk-numbers';
import { ALIAS_FORMATS, writeNumber } from '../../lambdas/sim/profiles/number-formats';
import { COUNTRIES } from '../../lambdas/sim/profiles/number-plans';
import { mobileNumber, mobileRange, numberInRange, ukVoipNumber } from '../../lambdas/sim/profiles/phone-numbers';
import { SIM_CONFIG } from '../../lambdas/sim/profiles/sim-config';
import { Rng, hash32 } from '../../lambdas/sim/rng';

describe('Rng', () => {
  it('repeats for a seed and forks independently of what was drawn', () => {
    const a = Rng.seeded(1);
    const b = Rng.seeded(1);
    expect([a.next(), a.next(), a.int(1, 6)]).toEqual([b.next(), b.next(), b.int(1, 6)]);
    expect(Rng.seeded(1).fork('x').next()).toBe(a.fork('x').next());
    expect(Rng.seeded(2).next()).not.toBe(Rng.seeded(1).next());
    expect(hash32('abc')).toBe(hash32('abc'));
  });

  it('draws Poisson counts with the right mean', () => {
    const rng = Rng.seeded(3);
    for (const lambda of [2, 50]) {
      let sum = 0;
      for (let i = 0; i < 4000; i++) sum += rng.poisson(lambda);
      expect(sum / 4000).toBeCloseTo(lambda, 0);
    }
  });
});

describe('number generators', () => {
  it('draws valid mobile numbers for every country plan', () => {
    const rng = Rng.seeded(4);
    for (const country of Object.keys(COUNTRIES)) {
      for (let i = 0; i < 20; i++) {
        const number = mobileNumber(rng, country);
        const parsed = parsePhone(number.e164);
        expect(parsed?.country, number.e164).toBe(country);
        expect(['MOBILE', 'FIXED_LINE_OR_MOBILE']).toContain(parsed?.type);
      }
    }
  });

  it('writes every alias so that it reads back as the same number', () => {
    const rng = Rng.seeded(5);
    for (const country of ['GB', 'DE', 'US', 'IN', 'BR', 'FR', 'NG']) {
      const number = mobileNumber(rng, country);
      for (const format of ALIAS_FORMATS) {
        const written = writeNumber(number, format);
        expect(parsePhone(written.phone, written.country)?.e164, `${format}: ${written.phone}`).toBe(number.e164);
      }
    }
  });

  it('keeps attacker ranges inside valid mobile space', () => {
    const rng = Rng.seeded(6);
    for (const country of Object.keys(SIM_CONFIG.attacks.pumping.destinations)) {
      const range = mobileRange(rng, country, 4);
      for (const offset of [0, 1, 1234, 9999]) {
        expect(parsePhone(numberInRange(range, offset).e164)?.type).toBe('MOBILE');
      }
    }
    expect(parsePhone(ukVoipNumber(rng).e164)?.type).toBe('VOIP');
  });

  it.each([
    ['premium', ['PREMIUM_RATE']],
    ['tollfree', ['TOLL_FREE']],
    ['fixedline', ['FIXED_LINE']],
  ] as [JunkKind, string[]][])('makes %s junk of that number type', (kind, types) => {
    const rng = Rng.seeded(7);
    for (let i = 0; i < 50; i++) {
      const written = junkNumber(rng, kind);
      const parsed = parsePhone(written.phone, written.country);
      expect(parsed?.valid, written.phone).toBe(true);
      expect(types).toContain(parsed?.type);
    }
  });

  it.each(['invalid', 'drama', 'length'] as JunkKind[])('makes %s junk that is not a valid number', (kind) => {
    const rng = Rng.seeded(8);
    for (let i = 0; i < 50; i++) {
      const written = junkNumber(rng, kind);
      expect(parsePhone(written.phone, written.country)?.valid ?? false, written.phone).toBe(false);
    }
  });
});

describe('ipPools', () => {
  const all: NetBlock[] = [
    ...Object.values(ipPools.residential).flat(),
    ...Object.values(ipPools.mobileCgnat).flat(),
    ...Object.values(ipPools.office).flat(),
    ...Object.values(ipPools.hotel).flat(),
    ...ipPools.datacenter,
    ...Object.values(ipPools.datacenterInCountry).flat(),
  ];

  it('lists well-formed public blocks with their announcing AS', () => {
    for (const block of all) {
      const [address, bits] = block.cidr.split('/');
      const octets = (address ?? '').split('.').map(Number);
      expect(octets.length, block.cidr).toBe(4);
      expect(Number(bits)).toBeGreaterThanOrEqual(8);
      // The network address is aligned to its prefix.
      const n = octets.reduce((acc, o) => acc * 256 + o, 0);
      expect(n % 2 ** (32 - Number(bits)), block.cidr).toBe(0);
      expect([10, 127, 0].includes(octets[0] ?? -1) || (octets[0] === 100 && (octets[1] ?? 0) >= 64 && (octets[1] ?? 0) < 128)).toBe(false);
      expect(block.asn).toBeGreaterThan(0);
    }
  });

  it('has the pools every configured country needs', () => {
    for (const tenant of Object.values(SIM_CONFIG.tenants)) {
      for (const country of Object.keys(tenant.countries)) {
        expect(ipPools.residential[country], country).toBeDefined();
        expect(ipPools.mobileCgnat[country], country).toBeDefined();
      }
    }
    for (const country of Object.keys(SIM_CONFIG.legit.office.countries)) expect(ipPools.office[country]).toBeDefined();
    for (const country of Object.keys(SIM_CONFIG.legit.traveler.destinations)) expect(ipPools.hotel[country]).toBeDefined();
  });
});
