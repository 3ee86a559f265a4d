/** Valid phone numbers drawn from the number plans: users' mobiles, UK VoIP, attackers' ranges. */
import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';
import type { Rng } from '../rng';
import { COUNTRIES } from './number-plans';

/**
 * A phone number with the forms people write it in. The formatted forms are computed on
 * first use (formatting is the costly part of libphonenumber).
 */
export class SimNumber {
  private formatted: { international: string; national: string } | undefined;

  constructor(
    readonly e164: string,
    readonly country: string,
    readonly callingCode: string,
    readonly nationalNumber: string,
    private parsed?: PhoneNumber,
  ) {}

  /** `+44 7400 123456` */
  get international(): string {
    return this.format().international;
  }

  /** `07400 123456` (read with the country hint) */
  get national(): string {
    return this.format().national;
  }

  private format(): { international: string; national: string } {
    if (!this.formatted) {
      const parsed = this.parsed ?? parsePhoneNumberFromString(this.e164);
      if (!parsed) throw new Error(`simulator built an unparseable number ${this.e164}`);
      this.formatted = { international: parsed.formatInternational(), national: parsed.formatNational() };
      this.parsed = undefined;
    }
    return this.formatted;
  }
}

function describeNumber(parsed: PhoneNumber, country: string): SimNumber {
  return new SimNumber(parsed.number, country, parsed.countryCallingCode, parsed.nationalNumber, parsed);
}

/** With max metadata, a number is valid exactly when it has a type. */
function isAcceptedMobile(parsed: PhoneNumber | undefined, country: string, allowFixedOrMobile: boolean): parsed is PhoneNumber {
  if (!parsed || parsed.country !== country) return false;
  const type = parsed.getType();
  return type === 'MOBILE' || (allowFixedOrMobile && type === 'FIXED_LINE_OR_MOBILE');
}

/** A random valid mobile number of `country` (FIXED_LINE_OR_MOBILE for +1). */
export function mobileNumber(rng: Rng, country: string): SimNumber {
  const plan = COUNTRIES[country];
  if (!plan) throw new Error(`no number plan for ${country}`);
  for (let attempt = 0; attempt < 64; attempt++) {
    const prefix = rng.pick(plan.mobilePrefixes);
    const nsn = prefix + rng.digits(plan.nsnLength - prefix.length);
    const parsed = parsePhoneNumberFromString(`+${plan.callingCode}${nsn}`);
    if (isAcceptedMobile(parsed, country, plan.fixedOrMobile === true)) return describeNumber(parsed, country);
  }
  throw new Error(`could not draw a valid mobile number for ${country}`);
}

/** A random valid UK VoIP number (+44 56…): bought "mobile" numbers that are really VoIP. */
export function ukVoipNumber(rng: Rng): SimNumber {
  for (let attempt = 0; attempt < 64; attempt++) {
    const parsed = parsePhoneNumberFromString(`+4456${rng.digits(8)}`);
    if (parsed?.getType() === 'VOIP') return describeNumber(parsed, 'GB');
  }
  throw new Error('could not draw a UK VoIP number');
}

/** An attacker's number range: a valid mobile prefix with its last `freeDigits` digits open. */
export interface NumberRange {
  readonly country: string;
  readonly callingCode: string;
  /** NSN digits before the free ones. */
  readonly stem: string;
  readonly freeDigits: number;
}

export function mobileRange(rng: Rng, country: string, freeDigits: number): NumberRange {
  // +1: libphonenumber cannot tell mobile ranges from fixed lines.
  const fixedOrMobile = COUNTRIES[country]?.fixedOrMobile === true;
  for (let attempt = 0; attempt < 64; attempt++) {
    const base = mobileNumber(rng, country);
    const stem = base.nationalNumber.slice(0, base.nationalNumber.length - freeDigits);
    // The whole range must be valid: check its first and last numbers.
    const first = parsePhoneNumberFromString(`+${base.callingCode}${stem}${'0'.repeat(freeDigits)}`);
    const last = parsePhoneNumberFromString(`+${base.callingCode}${stem}${'9'.repeat(freeDigits)}`);
    if (isAcceptedMobile(first, country, fixedOrMobile) && isAcceptedMobile(last, country, fixedOrMobile)) {
      return { country, callingCode: base.callingCode, stem, freeDigits };
    }
  }
  throw new Error(`could not find a fully valid mobile range in ${country}`);
}

/** Number `offset` of a range (wraps around); the range was checked valid when drawn. */
export function numberInRange(range: NumberRange, offset: number): SimNumber {
  const size = 10 ** range.freeDigits;
  const suffix = String(((offset % size) + size) % size).padStart(range.freeDigits, '0');
  const nsn = `${range.stem}${suffix}`;
  return new SimNumber(`+${range.callingCode}${nsn}`, range.country, range.callingCode, nsn);
}
