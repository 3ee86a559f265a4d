import { getCountries, getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import fc from 'fast-check';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { maskPhone, numberType, parsePhone } from '../../lambdas/engine/phone';

describe('parsePhone', () => {
  it.each([
    ['+86 138 0013 8000', undefined],
    ['008613800138000', undefined],
    ['8613800138000', undefined],
    ['+86-138-0013-8000', undefined],
    ['+86.138.0013.8000', undefined],
    ['+86 (138) 0013 8000', undefined],
    ['138 0013 8000', 'CN'],
    ['138-0013-8000', 'cn'],
  ])('reads %s (region %s) as the one number +8613800138000', (raw, region) => {
    const phone = parsePhone(raw, region);
    expect(phone?.e164).toBe('+8613800138000');
    expect(phone?.valid).toBe(true);
    expect(phone?.type).toBe('MOBILE');
  });

  it('reads UK national format with a region hint and the international form alike', () => {
    expect(parsePhone('07400 123456', 'GB')?.e164).toBe('+447400123456');
    expect(parsePhone('+44 (0)7400 123456')?.e164).toBe('+447400123456');
  });

  it('keeps the real region of numbers that share a calling code', () => {
    expect(parsePhone('+44 7911 123456')?.country).toBe('GG');
  });

  it('flags the UK drama range as invalid but still normalises it', () => {
    const phone = parsePhone('+44 7700 900123');
    expect(phone?.valid).toBe(false);
    expect(phone?.e164).toBe('+447700900123');
  });

  it.each(['', 'abc', '+44 7400 12345a', '12', '1'.repeat(30), '+44 7400 123456; DROP TABLE'])('rejects %j', (raw) => {
    expect(parsePhone(raw)).toBeUndefined();
  });

  it('identifies premium-rate and toll-free numbers', () => {
    expect(parsePhone('+44 909 879 0000')?.type).toBe('PREMIUM_RATE');
    expect(parsePhone('+44 800 123 4567')?.type).toBe('TOLL_FREE');
  });
});

describe('parsePhone on input already in E.164', () => {
  it('reads it as the same number written with spaces, with or without a region hint, for every country', () => {
    const countries = getCountries();
    const e164 = fc
      .tuple(fc.constantFrom(...countries), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 14 }), fc.boolean())
      .map(([country, digits, example]) => {
        const national = example ? `${((examples as Record<string, string>)[country] ?? '').slice(0, -digits.length || undefined)}${digits}` : digits;
        return `+${getCountryCallingCode(country)}${national}`;
      });
    const hint = fc.option(fc.oneof(fc.constantFrom(...countries), fc.constantFrom('gb', ' us ', 'XX', '', '12')), { nil: undefined });
    fc.assert(
      fc.property(e164, hint, (raw, region) => {
        // A leading space takes the general path (trim, digits, candidates) to the same candidate.
        const general = parsePhone(` ${raw}`, region);
        expect(parsePhone(raw, region)).toEqual(general);
        expect(parsePhone(raw)).toEqual(general);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('numberType', () => {
  it("agrees with libphonenumber's getType for every country's numbers, valid or not", () => {
    // Deterministic digits (a linear congruential generator): example numbers, their neighbours
    // and random national numbers of every plausible length, for every region.
    let seed = 1;
    const digit = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return String(seed % 10);
    };
    const inputs: string[] = [];
    for (const country of getCountries()) {
      const code = getCountryCallingCode(country);
      const example = (examples as Record<string, string>)[country];
      if (example)
        for (let i = 0; i < 10; i++) inputs.push(`+${code}${example.slice(0, -1)}${i}`, `+${code}${example.slice(0, -3)}${digit()}${digit()}${digit()}`);
      for (let length = 4; length <= 13; length++) {
        for (let i = 0; i < 4; i++) inputs.push(`+${code}${Array.from({ length }, digit).join('')}`);
      }
    }
    let typed = 0;
    for (const input of inputs) {
      const parsed = parsePhoneNumberFromString(input);
      if (!parsed) continue;
      const expected = parsed.getType();
      if (expected !== undefined) typed++;
      expect(numberType(parsed), input).toBe(expected);
    }
    expect(typed).toBeGreaterThan(2_000);
  });
});

describe('maskPhone', () => {
  it('shows country code, two leading and three trailing digits only', () => {
    const phone = parsePhone('+44 7700 900123');
    expect(phone && maskPhone(phone)).toBe('+44 77** ***123');
  });

  it('never contains the middle digits', () => {
    const phone = parsePhone('+8613800138000');
    const masked = phone ? maskPhone(phone) : '';
    expect(masked).toBe('+86 13** ****000');
    expect(masked.replace(/\D/g, '')).toBe('8613000');
  });

  it('shows far fewer digits of short national numbers (was 5 of 7)', () => {
    const mask = (nationalNumber: string) => maskPhone({ callingCode: '354', nationalNumber });
    expect(mask('6111234')).toBe('+354 6*** **4'); // 7 digits: 1 + 1 shown, was '61** 234'
    expect(mask('61112345')).toBe('+354 6*** **45'); // 8: 1 + 2
    expect(mask('611123456')).toBe('+354 61** ***56'); // 9: 2 + 2
    expect(mask('611234')).toBe('+354 **** *4'); // 6: the last digit only
    expect(mask('61123')).toBe('+354 *****'); // 5 and fewer: nothing
    expect(mask('7400123456')).toBe('+354 74** ***456'); // 10: unchanged, 2 + 3
    expect(mask('74001234567890')).toBe('+354 74** *******890'); // 14: still 2 + 3
  });

  it('property: for national numbers of 1–15 digits, at most 2 leading and 3 trailing digits (2 + 2 below 10 digits) show, and at least half and at least five digits are hidden', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 }).chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n })),
        (national) => {
          const n = national.length;
          const masked = maskPhone({ callingCode: '44', nationalNumber: national });
          expect(masked.startsWith('+44 ')).toBe(true);
          const body = masked.slice(4).replace(' ', '');
          expect(body).toHaveLength(n);
          const leading = /^\d*/.exec(body)![0].length;
          const trailing = /\d*$/.exec(body)![0].length;
          const shown = body.replace(/\D/g, '').length;
          // Digits appear only as a prefix and a suffix of the real number, everything between is '*'.
          expect(body).toBe(national.slice(0, leading) + '*'.repeat(n - shown) + (trailing ? national.slice(-trailing) : ''));
          expect(shown).toBe(leading + trailing);
          expect(leading).toBeLessThanOrEqual(2);
          expect(trailing).toBeLessThanOrEqual(3);
          if (n < 10) expect(trailing).toBeLessThanOrEqual(2); // short numbers: at most 2 + 2
          if (n <= 8) expect(shown).toBeLessThanOrEqual(Math.round(n / 3)); // and about a third
          expect(n - shown).toBeGreaterThanOrEqual(Math.ceil(n / 2));
          expect(n - shown).toBeGreaterThanOrEqual(Math.min(n, 5));
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
