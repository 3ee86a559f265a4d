import { Metadata, parsePhoneNumberFromString, type CountryCode, type NumberType, type PhoneNumber } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/max/metadata';
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
  // Already E.164 (how most callers send it): the only candidate is the input itself, and the
  // region does not matter for it, so the candidate cache answers without the raw one.
  if (CANONICAL.test(raw)) return parseCandidate(raw, undefined);
  // Parsing costs tens of microseconds (libphonenumber compiles its patterns per call);
  // retries, bombing and replays repeat the same inputs.
  const cacheKey = regionHint ? `${regionHint}|${raw}` : raw;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached ?? undefined;
  return cache.set(cacheKey, parseUncached(raw, regionHint) ?? null) ?? undefined;
}

/** `+` and 4 to 17 digits: what `parseUncached` turns into the single candidate it is. */
const CANONICAL = /^\+\d{4,17}$/;

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
    const result = parseCandidate(candidate, region);
    if (!result) continue;
    if (result.valid) return result;
    fallback ??= result;
  }
  return fallback;
}

/**
 * Parsed candidates (bare digits, `+` for international form), apart from the raw inputs: one
 * number written in several ways, or with and without a region hint (a send and its
 * verification), is parsed once.
 */
const candidateCache = new BoundedCache<string, ParsedPhone | null>(20_000);

function parseCandidate(candidate: string, region: CountryCode | undefined): ParsedPhone | undefined {
  // The region only matters for a national candidate (libphonenumber ignores it for `+…`).
  const international = candidate.startsWith('+');
  const cacheKey = international ? candidate : `${region}|${candidate}`;
  const cached = candidateCache.get(cacheKey);
  if (cached !== undefined) return cached ?? undefined;
  const parsed = international ? parsePhoneNumberFromString(candidate, metadata) : parsePhoneNumberFromString(candidate, region as CountryCode, metadata);
  if (!parsed) return candidateCache.set(cacheKey, null) ?? undefined;
  // The type validates as it goes: a number with a type is valid, so isValid() is only
  // needed for the rare valid number whose type metadata does not tell.
  const type = numberType(parsed);
  const result: ParsedPhone = {
    e164: parsed.number,
    country: parsed.country,
    callingCode: parsed.countryCallingCode,
    nationalNumber: parsed.nationalNumber,
    valid: type !== undefined || parsed.isValid(),
    type,
  };
  return candidateCache.set(cacheKey, result) ?? undefined;
}

/** What `getNumberType` reads of libphonenumber's `Metadata` (present at runtime, not in its typings). */
interface TypedMetadata {
  selectNumberingPlan(country: string): void;
  nationalNumberPattern(): string;
  type(type: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

const typedMetadata = new Metadata(metadata) as unknown as TypedMetadata;
const NON_FIXED_LINE_TYPES = ['MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'] as const;
/** One compiled expression per metadata pattern: bounded by the metadata. */
const wholeMatchers = new Map<string, RegExp>();

function matchesWhole(text: string, pattern: string): boolean {
  let matcher = wholeMatchers.get(pattern);
  if (matcher === undefined) {
    matcher = new RegExp(`^(?:${pattern})$`);
    wholeMatchers.set(pattern, matcher);
  }
  return matcher.test(text);
}

function isNumberType(nationalNumber: string, type: string): boolean {
  const definition = typedMetadata.type(type);
  if (!definition?.pattern()) return false;
  const lengths = definition.possibleLengths();
  if (lengths && !lengths.includes(nationalNumber.length)) return false;
  return matchesWhole(nationalNumber, definition.pattern());
}

/**
 * `parsed.getType()`, step for step (libphonenumber-js `getNumberType`), with each pattern
 * compiled once: the library builds a new RegExp from the pattern text on every test, which
 * made the type most of a parse's cost. `phone.test.ts` checks both agree.
 */
export function numberType(parsed: PhoneNumber): NumberType | undefined {
  const plan = parsed.country || parsed.countryCallingCode;
  if (!plan) return undefined;
  typedMetadata.selectNumberingPlan(plan);
  const nationalNumber = parsed.nationalNumber || '';
  if (!matchesWhole(nationalNumber, typedMetadata.nationalNumberPattern())) return undefined;
  if (isNumberType(nationalNumber, 'FIXED_LINE')) {
    const mobile = typedMetadata.type('MOBILE');
    if (!mobile || mobile.pattern() === '' || isNumberType(nationalNumber, 'MOBILE')) return 'FIXED_LINE_OR_MOBILE';
    return 'FIXED_LINE';
  }
  for (const type of NON_FIXED_LINE_TYPES) if (isNumberType(nationalNumber, type)) return type;
  return undefined;
}

function normaliseRegion(hint: string | undefined): CountryCode | undefined {
  if (!hint) return undefined;
  const upper = hint.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(upper) ? (upper as CountryCode) : undefined;
}

/**
 * Mask a number for logs and screens: the country code, then at most two leading and three
 * trailing national digits, the rest as `*` (`+44 74** ***456`). The digits shown shrink with
 * the length, so that at least half of the national number, and at least five digits, stay
 * hidden (10^5 candidates or more behind every mask of a number of five digits or more):
 *
 *   national digits  1–5  6    7    8    9    10–15
 *   shown (lead+tail)  0  0+1  1+1  1+2  2+2  2+3
 *
 * Never log `e164` itself. `maskSpelling` (audit/numbers.ts), which masks a number as written,
 * must follow the same rule: {@link maskedDigits} gives the counts.
 */
/**
 * The number's destination country as the engine keys it: its ISO code, or `+<calling code>` for
 * numbers that belong to no single country (e.g. `+882`). Counters, lists and events share it.
 */
export function countryKey(phone: Pick<ParsedPhone, 'country' | 'callingCode'>): string {
  return phone.country ?? `+${phone.callingCode}`;
}

export function maskPhone(phone: Pick<ParsedPhone, 'callingCode' | 'nationalNumber'>): string {
  const n = phone.nationalNumber;
  const { leading, trailing } = maskedDigits(n.length);
  const masked = `${n.slice(0, leading)}${'*'.repeat(n.length - leading - trailing)}${trailing > 0 ? n.slice(-trailing) : ''}`;
  return `+${phone.callingCode} ${masked.length <= 5 ? masked : `${masked.slice(0, 4)} ${masked.slice(4)}`}`;
}

/** How many leading and trailing digits of a national number of `length` digits {@link maskPhone} shows. */
export function maskedDigits(length: number): { readonly leading: number; readonly trailing: number } {
  const shown = Math.max(0, Math.min(5, length - Math.max(5, Math.ceil(length / 2))));
  const leading = Math.min(2, Math.floor(shown / 2));
  return { leading, trailing: shown - leading };
}
