/** Numbers an SMS interface must never text, as scanners, form spam and sloppy scripts send them. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Rng } from '../rng';
import type { WrittenNumber } from './number-formats';
import type { SIM_CONFIG } from './sim-config';

export type JunkKind = keyof typeof SIM_CONFIG.attacks.junk.kinds;

/**
 * A number an SMS interface should never text: invalid, premium rate, toll free, fixed line,
 * the UK drama range, or strings far too short or long.
 */
export function junkNumber(rng: Rng, kind: JunkKind): WrittenNumber {
  switch (kind) {
    case 'invalid':
      return invalidNumber(rng);
    case 'premium':
      return rng.pick([
        () => ({ phone: `+44 909 ${rng.digits(3)} ${rng.digits(4)}` }),
        () => ({ phone: `+44 871 ${rng.digits(3)} ${rng.digits(4)}` }),
        () => ({ phone: `+1 900 ${rng.int(2, 9)}${rng.digits(2)} ${rng.digits(4)}` }),
        () => ({ phone: `09${rng.pick(['09', '06', '08'])} ${rng.digits(3)} ${rng.digits(4)}`, country: 'GB' }),
      ])();
    case 'tollfree':
      return rng.pick([
        () => ({ phone: `+44 800 ${rng.digits(3)} ${rng.digits(4)}` }),
        () => ({ phone: `+1 ${rng.pick(['800', '888', '877'])} ${rng.int(2, 9)}${rng.digits(2)} ${rng.digits(4)}` }),
        () => ({ phone: `+49 800 ${rng.digits(7)}` }),
      ])();
    case 'fixedline':
      return rng.pick([
        () => ({ phone: `+44 20 7${rng.digits(3)} ${rng.digits(4)}` }),
        () => ({ phone: `0161 ${rng.int(2, 9)}${rng.digits(2)} ${rng.digits(4)}`, country: 'GB' }),
        () => ({ phone: `+49 30 ${rng.int(2, 9)}${rng.digits(7)}` }),
        () => ({ phone: `+33 1 ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}` }),
      ])();
    case 'drama':
      return rng.chance(0.5) ? { phone: `+44 7700 900${rng.digits(3)}` } : { phone: `07700 900${rng.digits(3)}`, country: 'GB' };
    case 'length':
      return rng.pick([
        () => ({ phone: `+44 74${rng.digits(rng.int(1, 4))}` }),
        () => ({ phone: `${rng.digits(rng.int(3, 5))}` }),
        () => ({ phone: `+44 7400 ${rng.digits(rng.int(9, 12))}` }),
        () => ({ phone: `+${rng.int(1, 9)}${rng.digits(rng.int(16, 20))}` }),
      ])();
  }
}

const INVALID_SHAPES: readonly ((rng: Rng) => WrittenNumber)[] = [
  // Unassigned US area codes and exchanges.
  (rng) => ({ phone: `+1 ${rng.pick(['123', '111', '199', '555'])} ${rng.digits(3)} ${rng.digits(4)}` }),
  // A trunk 0 kept after the country code.
  (rng) => ({ phone: `+49 0${rng.digits(rng.int(9, 10))}` }),
  (rng) => ({ phone: `+33 0${rng.digits(9)}` }),
  // Repeated digits, keyboard runs.
  (rng) => ({ phone: `${rng.int(1, 9)}`.repeat(rng.int(9, 11)) }),
  (rng) => ({ phone: rng.pick(['1234567890', '0123456789', '9876543210', '+44 1234 567890', '+91 12345 67890']) }),
  // Unused mobile-looking blocks with a region.
  (rng) => ({ phone: `0${rng.pick(['1', '2'])}${rng.digits(8)}`, country: rng.pick(['FR', 'ES', 'IT']) }),
  (rng) => ({ phone: `+${rng.pick(['999', '888', '801'])} ${rng.digits(8)}` }),
];

/** A number-shaped string that libphonenumber rejects however it is read. */
function invalidNumber(rng: Rng): WrittenNumber {
  for (let attempt = 0; attempt < 64; attempt++) {
    const written = rng.pick(INVALID_SHAPES)(rng);
    const digits = written.phone.replace(/\D/g, '');
    const asIs = written.phone.startsWith('+')
      ? parsePhoneNumberFromString(written.phone)
      : parsePhoneNumberFromString(written.phone, written.country as CountryCode | undefined);
    const withPlus = parsePhoneNumberFromString(`+${digits}`);
    if (!asIs?.isValid() && !withPlus?.isValid()) return written;
  }
  return { phone: '1234' };
}
