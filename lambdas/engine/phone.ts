import { parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';
import { BoundedCache } from './lru';

/** A number read from user input, normalised so every alias of it has the same `e164`. */
export interface ParsedPhone {
  /** Canonical E.164 form, the key every counter and list uses. */
  readonly e164: string;
  /** ISO region of the number (GG for Guernsey, not GB). */
  readonly country?: string;
  readonly callingCode: string;
  /** Digits of the national significant number. */
  readonly nationalNumber: string;
  readonly valid: boolean;
  readonly type?: NumberType;
}

const INTERNATIONAL_PREFIXES = ['00', '011'];

/**
 * Parse `raw` in any of the ways people write one number: `+86 138 0013 8000`,
 * `008613800138000`, `8613800138000`, `(0)138-0013-8000` with a region hint, dots,
 * dashes and brackets. Returns undefined when nothing number-like can be read.
 */
export function parsePhone(raw: string, regionHint?: string): ParsedPhone | undefined {
  // Parsing costs tens of microseconds (libphonenumber compiles its patterns per call);
  // retries, bombing and replays repeat the same inputs.
  const cacheKey = regionHint ? `${regionHint}|${raw}` : raw;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached ?? undefined;
  return cache.set(cacheKey, parseUncached(raw, regionHint) ?? null) ?? undefined;
}

/** `null` marks input known not to be a number. */
const cache = new BoundedCache<string, ParsedPhone | null>(20_000);

function parseUncached(raw: string, regionHint?: string): ParsedPhone | undefined {
  const trimmed = raw.trim();
  if (trimmed.length === 0 || trimmed.length > 64) return undefined;
  // Only digits, spaces and the usual separators may appear; anything else is not a phone number.
  if (!/^\+?[\d\s().\-/]+$/.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 4 || digits.length > 17) return undefined;
  const region = normaliseRegion(regionHint);

  const candidates: string[] = [];
  if (trimmed.startsWith('+')) {
    candidates.push(`+${digits}`);
  } else {
    const idd = INTERNATIONAL_PREFIXES.find((p) => digits.startsWith(p));
    if (idd) candidates.push(`+${digits.slice(idd.length)}`);
    if (region) candidates.push(digits);
    // International format written without the plus sign.
    candidates.push(`+${digits}`);
  }

  let fallback: ParsedPhone | undefined;
  for (const candidate of candidates) {
    const parsed = candidate.startsWith('+')
      ? parsePhoneNumberFromString(candidate)
      : parsePhoneNumberFromString(candidate, region);
    if (!parsed) continue;
    // getType() validates as it goes: a number with a type is valid, so isValid() is only
    // needed for the rare valid number whose type metadata does not tell.
    const type = parsed.getType();
    const result: ParsedPhone = {
      e164: parsed.number,
      country: parsed.country,
      callingCode: parsed.countryCallingCode,
      nationalNumber: parsed.nationalNumber,
      valid: type !== undefined || parsed.isValid(),
      type,
    };
    if (result.valid) return result;
    fallback ??= result;
  }
  return fallback;
}

function normaliseRegion(hint: string | undefined): CountryCode | undefined {
  if (!hint) return undefined;
  const upper = hint.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(upper) ? (upper as CountryCode) : undefined;
}

/**
 * Mask a number for logs and screens: country code and the first two national digits,
 * then the last three digits (`+44 74** ***456`). Never log `e164` itself.
 */
export function maskPhone(phone: Pick<ParsedPhone, 'callingCode' | 'nationalNumber'>): string {
  const n = phone.nationalNumber;
  if (n.length <= 5) return `+${phone.callingCode} ${'*'.repeat(n.length)}`;
  const head = n.slice(0, 2);
  const tail = n.slice(-3);
  const hidden = '*'.repeat(n.length - 5);
  return `+${phone.callingCode} ${head}${hidden.slice(0, 2)} ${hidden.slice(2)}${tail}`;
}
