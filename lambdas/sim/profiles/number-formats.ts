/** The ways people and tools write one number (the aliases the engine must recognise as one). */
import type { SimNumber } from './phone-numbers';

/** Formats a number the way a user or a tool writes it. `country` is set when the form needs the hint. */
export interface WrittenNumber {
  readonly phone: string;
  readonly country?: string;
}

/** Aliases a legitimate user types: E.164, spaced international, national with the region picked. */
export const USER_FORMATS = ['e164', 'international', 'national', 'nationalCompact'] as const;

/** Every alias the bombing tools rotate through. */
export const ALIAS_FORMATS = [
  'e164',
  'international',
  'idd00',
  'idd00Spaced',
  'idd011',
  'noPlus',
  'national',
  'nationalCompact',
  'dashes',
  'dots',
  'brackets',
] as const;
export type NumberFormat = (typeof ALIAS_FORMATS)[number];

export function writeNumber(n: SimNumber, format: NumberFormat): WrittenNumber {
  switch (format) {
    case 'e164':
      return { phone: n.e164 };
    case 'international':
      return { phone: n.international };
    case 'idd00':
      return { phone: `00${n.callingCode}${n.nationalNumber}` };
    case 'idd00Spaced':
      return { phone: `00 ${n.international.slice(1)}` };
    case 'idd011':
      return { phone: `011 ${n.international.slice(1)}` };
    case 'noPlus':
      return { phone: `${n.callingCode}${n.nationalNumber}` };
    case 'national':
      return { phone: n.national, country: n.country };
    case 'nationalCompact':
      return { phone: n.national.replace(/\D/g, ''), country: n.country };
    case 'dashes':
      return { phone: n.international.replace(/ /g, '-') };
    case 'dots':
      return { phone: n.international.replace(/ /g, '.') };
    case 'brackets': {
      const national = n.national.replace(/[()]/g, '');
      const space = national.indexOf(' ');
      const phone = space > 0 ? `(${national.slice(0, space)})${national.slice(space)}` : national;
      return { phone, country: n.country };
    }
  }
}
