import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { maskedDigits, parsePhone, type ParsedPhone } from '../engine/phone';

/**
 * The numbers an audit sends to. Only the user's own test number (and its spellings) can
 * reach a phone; every other probe uses a number that cannot reach anyone:
 *
 * - NANP `555-0100`–`555-0199` are reserved for fictional use (valid in libphonenumber, so an
 *   endpoint judges them as real numbers, but they are never assigned);
 * - ACMA's fictional Australian mobiles (`0491 570 156`, …), also valid in libphonenumber;
 * - Ofcom's drama premium-rate range `09098 790000`–`799999` (a real premium-rate range in
 *   libphonenumber's eyes, reserved for TV and radio);
 * - invalid numbers (`+44 12`, `+1 000 000 0000`), which no network can route.
 *
 * Ofcom's drama mobiles (`07700 900xxx`) are not used: libphonenumber calls them invalid, so
 * they would test invalid-number handling instead of what a probe is about.
 */
export const FICTIONAL_NANP_AREA = '201';
const FICTIONAL_NANP_LINES = ['0100', '0117', '0134', '0151', '0168', '0185', '0123'];
const FICTIONAL_AU_MOBILES = [
  '+61 491 570 156',
  '+61 491 570 157',
  '+61 491 570 158',
  '+61 491 570 159',
  '+61 491 570 110',
  '+61 491 571 266',
  '+61 491 572 549',
];
export const INVALID_NUMBERS = ['+44 12', '+1 000 000 0000'] as const;
export const PREMIUM_NUMBER = '+44 909 879 0000';

/** Bad input or an unreachable endpoint: the CLI prints the message as one line, never a stack trace. */
export class AuditError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuditError';
  }
}

/** The number the user owns: valid, and one that can receive SMS. */
export function parseTestNumber(raw: string, region?: string): ParsedPhone {
  const phone = parsePhone(raw, region);
  if (!phone?.valid || !phone.country) {
    throw new AuditError(`--phone ${JSON.stringify(raw)} is not a valid phone number: write it in international form (+44 7400 123456) or pass --country`);
  }
  if (phone.type !== 'MOBILE' && phone.type !== 'FIXED_LINE_OR_MOBILE') {
    throw new AuditError(`--phone must be a mobile number you own (this one is ${phone.type?.toLowerCase().replace(/_/g, ' ') ?? 'of unknown type'})`);
  }
  return phone;
}

/**
 * Other spellings of the test number that every SMS Shield parser reads as the same E.164
 * number: national (`07400 123456`), international dialling prefix (`0044 7400 123456`),
 * trunk zero in brackets or dotted groups, and digits without the plus (`447400123456`).
 */
export function aliasSpellings(phone: ParsedPhone): string[] {
  const parsed = parsePhoneNumberFromString(phone.e164);
  if (!parsed) return [];
  const international = parsed.formatInternational(); // "+44 7400 123456"
  const national = parsed.formatNational(); // "07400 123456"
  const groups = international.split(' ').slice(1);
  const cc = phone.callingCode;
  const bracketed = national.startsWith('0') ? `+${cc} (0)${groups.join('-')}` : `+${cc}.${groups.join('.')}`;
  return [national, `00${cc} ${groups.join(' ')}`, bracketed, `${cc}${phone.nationalNumber}`];
}

/** `n` different fictional numbers for the per-client probe, in the test number's country when it has a fictional range. */
export function perClientNumbers(test: ParsedPhone, n: number): string[] {
  if (test.country === 'AU') return FICTIONAL_AU_MOBILES.slice(0, n);
  return FICTIONAL_NANP_LINES.slice(0, Math.min(n, FICTIONAL_NANP_LINES.length - 1)).map((line) => `+1 ${nanpArea(test)} 555 ${line}`);
}

/** The largest per-client probe the fictional ranges allow. */
export const MAX_PER_CLIENT_NUMBERS = FICTIONAL_NANP_LINES.length - 1;

/** A fictional, valid number from another country than the test number's. */
export function foreignNumber(test: ParsedPhone): string {
  return test.country === 'AU' ? `+1 ${FICTIONAL_NANP_AREA} 555 ${FICTIONAL_NANP_LINES.at(-1)}` : FICTIONAL_AU_MOBILES.at(-1)!;
}

/** The test number's own area code when 555-01xx is valid in it, so US testers stay in their country. */
function nanpArea(test: ParsedPhone): string {
  if (test.callingCode === '1') {
    const area = test.nationalNumber.slice(0, 3);
    if (parsePhone(`+1${area}5550100`)?.valid) return area;
  }
  return FICTIONAL_NANP_AREA;
}

/** Digits of the national significant number of `spelling` when it has one long enough to identify someone. */
export function identifyingDigits(spelling: string): string | undefined {
  const national = parsePhone(spelling)?.nationalNumber ?? parsePhoneNumberFromString(spelling.replace(/^00/, '+'))?.nationalNumber;
  return national && national.length >= 6 ? national : undefined;
}

/**
 * Mask a number as written, keeping its prefix and separators, with the same rule as
 * `maskPhone` (`maskedDigits`: at most two leading and three trailing national digits shown, at least half and at least five hidden): `0044 7400 123456` →
 * `0044 74** ***456`. Short or unreadable inputs have every national digit masked.
 */
export function maskSpelling(spelling: string, nationalLength?: number): string {
  const digitCount = spelling.replace(/\D/g, '').length;
  const national = Math.min(digitCount, nationalLength ?? parsePhone(spelling)?.nationalNumber.length ?? Math.max(0, digitCount - 2));
  const firstNational = digitCount - national;
  const { leading, trailing } = maskedDigits(national);
  let index = 0;
  return spelling.replace(/\d/g, (digit) => {
    const i = index++ - firstNational;
    if (i < 0) return digit;
    return i < leading || i >= national - trailing ? digit : '*';
  });
}

/**
 * Replace every appearance of the given numbers' national digits in `text`, written with any
 * separators, by the masked form. Reports pass every response snippet and URL through this,
 * so no number appears in plain text in them.
 */
export function redactNumbers(text: string, spellings: readonly string[]): string {
  let out = text;
  // Exactly as sent first: short invalid numbers (`+44 12`) have no identifying digits to look for.
  for (const spelling of spellings) out = out.replaceAll(spelling, maskSpelling(spelling));
  for (const digits of new Set(spellings.map(identifyingDigits).filter((d): d is string => d !== undefined))) {
    out = out.replace(digitsPattern(digits), (match) => maskSpelling(match, digits.length));
  }
  return out;
}

/** Whether `text` contains the number's national digits (with or without separators). */
export function echoesNumber(text: string, spelling: string): boolean {
  const digits = identifyingDigits(spelling);
  return digits !== undefined && digitsPattern(digits).test(text);
}

function digitsPattern(digits: string): RegExp {
  // No digit boundaries: the national digits usually follow a calling code (`+447400123456`).
  return new RegExp(digits.split('').join('[\\s().\\-/]*'), 'g');
}
