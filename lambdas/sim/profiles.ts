/**
 * Everything the traffic simulator knows about the world: the traffic classes' parameters
 * (`SIM_CONFIG`), country number plans, IP pools, user agents, and the generators of
 * phone numbers, number aliases and IP addresses. The simulator itself (`simulate.ts`)
 * only schedules flows; tune volumes and behaviour here.
 */
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import type { Rng } from './rng';
import type { SimScenario } from './types';

export type Weights<K extends string> = Readonly<Partial<Record<K, number>>>;
export type Range = readonly [min: number, max: number];
export type TenantId = 'shop' | 'bank' | 'social' | 'saas';

// ---------------------------------------------------------------------------------------------
// Traffic configuration
// ---------------------------------------------------------------------------------------------

/**
 * Parameters of every traffic class, at scale 1. Volumes are per simulated day and multiply
 * by `--scale`. Ranges are `[min, max]`, drawn uniformly unless said otherwise.
 */
export const SIM_CONFIG = {
  /** Monday 2 November 2026, 00:00 UTC. */
  start: '2026-11-02T00:00:00.000Z',
  days: 2,

  tenants: {
    /** GB/EU e-commerce: web shop with a country picker, plus an app. */
    shop: {
      countries: { GB: 55, DE: 12, FR: 10, ES: 8, IT: 7, NL: 8 },
      appName: 'ShopApp',
      appVersion: '7.14.0',
      /** Share of web requests that carry a proof-of-work solution, per scenario. */
      webChallengeShown: { register: 0.9, login: 0.2, reset_password: 0.6, transfer: 1, other: 0 },
      /** Share of phone numbers the web form submits as E.164 rather than national + country. */
      webInternationalFormat: 0.35,
    },
    /** A UK retail bank: logins, password resets and transfers confirmed by OTP. */
    bank: {
      countries: { GB: 92, ES: 4, FR: 4 },
      appName: 'BankApp',
      appVersion: '12.3.1',
      webChallengeShown: { register: 1, login: 1, reset_password: 1, transfer: 1, other: 1 },
      webInternationalFormat: 0.2,
    },
    /** A global social app, mostly used from its mobile apps. */
    social: {
      countries: { US: 25, IN: 20, BR: 15, ID: 12, NG: 8, GB: 8, DE: 4, FR: 4, ES: 4 },
      appName: 'MyApp',
      appVersion: '5.2.1',
      webChallengeShown: { register: 0.8, login: 0.1, reset_password: 0.5, transfer: 1, other: 0 },
      webInternationalFormat: 0.6,
    },
    /** B2B software; most logins come from company offices (2FA by SMS). */
    saas: {
      countries: { GB: 35, DE: 25, NL: 15, US: 25 },
      appName: 'SaaSApp',
      appVersion: '3.8.0',
      webChallengeShown: { register: 1, login: 0, reset_password: 0.5, transfer: 1, other: 0 },
      webInternationalFormat: 0.5,
    },
  },

  legit: {
    /** What a legitimate user does once the code is delivered. */
    verify: {
      /** Never enter the code (changed their mind, got distracted): 5–12% of OTPs in practice. */
      neverRate: 0.08,
      /** Enter a wrong code first, then the right one. */
      typoRate: 0.04,
      /** Delay from send to verify, seconds: log-normal. */
      delayMedianSeconds: 28,
      delaySigma: 0.55,
      /** Slow verifiers (switch apps, read the code later). */
      slowRate: 0.06,
      slowDelaySeconds: [120, 900] as Range,
    },
    /** Returning users per (tenant, country): population = daily flows × this factor × scale. */
    populationFactor: 2.5,
    web: {
      flowsPerDay: { shop: 6000, social: 3000, saas: 600 } as Weights<TenantId>,
      scenarios: {
        shop: { register: 35, login: 55, reset_password: 10 },
        social: { register: 40, login: 55, reset_password: 5 },
        saas: { register: 10, login: 85, reset_password: 5 },
      } as Record<string, Weights<SimScenario>>,
      /** Browser SDK blocked or not loaded: no device token. */
      deviceMissingRate: 0.03,
      /** Users on a phone browser who are on mobile data (carrier CGNAT) rather than home Wi-Fi. */
      mobileBrowserOnCarrierRate: 0.45,
      /** Share of shown challenges that the browser SDK solves (old browsers, script blockers fail). */
      challengePassRate: 0.98,
    },
    app: {
      flowsPerDay: { social: 7000, shop: 1500 } as Weights<TenantId>,
      scenarios: {
        social: { register: 35, login: 60, reset_password: 5 },
        shop: { register: 25, login: 65, reset_password: 10 },
      } as Record<string, Weights<SimScenario>>,
      /** On mobile data (carrier CGNAT) rather than Wi-Fi. */
      onCarrierRate: 0.7,
      /** Share of app users on iOS (the rest on Android with okhttp). */
      iosShare: 0.45,
      /** Apps send the country picked in the app with the E.164 number this often. */
      countryHintRate: 0.5,
    },
    /**
     * Mobile carriers put many subscribers behind each public address (CGNAT). The pool of
     * public addresses per carrier is sized so that one address serves about this many of the
     * simulated tenants' users per day, at any scale.
     */
    cgnatUsersPerIpPerDay: 40,
    office: {
      /** B2B customers of `saas`, each behind one office IP. Scales with `--scale`. */
      companies: 30,
      countries: { GB: 35, DE: 25, NL: 15, US: 25 },
      employees: [25, 160] as Range,
      /** Share of employees who log in (2FA by SMS) on a weekday / a weekend day. */
      weekdayLoginRate: 0.75,
      weekendLoginRate: 0.04,
      /** Share of the day's logins in the 08:00–10:00 local rush (normal around 08:50). */
      morningShare: 0.7,
    },
    traveler: {
      flowsPerDay: { shop: 200, social: 300, bank: 120, saas: 80 } as Weights<TenantId>,
      scenarios: { login: 75, reset_password: 15, register: 10 } as Weights<SimScenario>,
      destinations: { ES: 18, IT: 12, FR: 12, PT: 8, US: 14, TH: 8, AE: 8, GB: 8, DE: 6, NL: 6 },
      /** On hotel Wi-Fi; the rest on a local SIM / travel eSIM (a foreign carrier's CGNAT). */
      hotelRate: 0.7,
      /** Logging in from a hotel PC or a new phone. */
      newDeviceRate: 0.25,
    },
    retry: {
      flowsPerDay: { shop: 400, social: 600, bank: 100, saas: 100 } as Weights<TenantId>,
      scenarios: { login: 55, register: 35, reset_password: 10 } as Weights<SimScenario>,
      retries: [1, 3] as Range,
      retryDelaySeconds: [30, 180] as Range,
      /** A retry writes the number differently (national with region, spaces, E.164). */
      reformatRate: 0.4,
      /** The user gives up without verifying even after retrying. */
      giveUpRate: 0.1,
    },
    sensitive: {
      flowsPerDay: { bank: 2400 } as Weights<TenantId>,
      scenarios: { login: 35, transfer: 45, reset_password: 20 } as Weights<SimScenario>,
      /** Bank customers come back often: population = daily flows × this × scale. */
      populationFactor: 1.2,
      /** Customers who bank in the app (the rest in the browser). */
      appRate: 0.65,
      /** App users on mobile data rather than home Wi-Fi. */
      onCarrierRate: 0.4,
      /** New phone / new browser at home: unknown device, known network, solves the challenge. */
      newDeviceAtHomeRate: 0.08,
    },
  },

  attacks: {
    bombing: {
      campaignsPerDay: 4,
      victims: [1, 3] as Range,
      victimCountries: { GB: 30, DE: 15, IN: 20, US: 15, FR: 10, BR: 10 },
      durationMinutes: [15, 75] as Range,
      /** One tenant is hammered repeatedly… */
      mainTenantPerMinute: [2, 10] as Range,
      /** …while a few others are hit at once at a lower rate (bomber tools cycle through sites). */
      otherTenants: [2, 3] as Range,
      otherTenantPerMinute: [0.5, 2] as Range,
      tenants: { social: 35, shop: 35, saas: 20, bank: 10 } as Weights<TenantId>,
      scenarios: { register: 50, login: 40, reset_password: 10 } as Weights<SimScenario>,
      /** Each request from a fresh datacenter address, else a fresh residential proxy anywhere. */
      datacenterRate: 0.6,
      /** Library / bot user agent, else a spoofed (often stale) browser user agent. */
      botUserAgentRate: 0.5,
      /** A random device token (from a scraped SDK), else none. */
      deviceRate: 0.4,
      /** A bogus challenge solution (fails), else none. */
      failedChallengeRate: 0.3,
      /** The owner asks for a code again this long after the bombing ends. */
      ownerAfterMinutes: [20, 40] as Range,
    },
    bombingSlow: {
      campaignsPerDay: 3,
      victimCountries: { GB: 40, DE: 20, US: 20, FR: 20 },
      tenants: [1, 2] as Range,
      durationHours: [3, 12] as Range,
      intervalMinutes: [3, 8] as Range,
      /** A random device token per request, else none. */
      deviceRate: 0.3,
    },
    pumping: {
      /** High-cost destinations with real mobile ranges (libphonenumber says valid MOBILE). */
      destinations: { UZ: 25, KG: 20, TJ: 20, AZ: 20, MM: 15 },
      tenants: { social: 65, shop: 35 } as Weights<TenantId>,
      burst: {
        campaignsPerDay: 2,
        durationMinutes: [20, 120] as Range,
        perMinute: [8, 30] as Range,
        /** Attacker ranges: the number minus its last `rangeDigits` digits. */
        ranges: [1, 3] as Range,
        rangeDigits: [3, 4] as Range,
        /** Walk the range upwards, else draw numbers densely at random inside it. */
        sequentialRate: 0.5,
      },
      /** Paced campaigns run the whole simulated period, one request every few minutes. */
      paced: {
        campaigns: 2,
        intervalSeconds: [45, 240] as Range,
        ranges: [3, 6] as Range,
        rangeDigits: [3, 4] as Range,
      },
      /** Device token per request (rotating), else a small reused set. */
      freshDeviceRate: 0.7,
      /** Challenge outcome when shown: headless browsers solve proof of work. */
      challenge: { absent: 60, passed: 30, failed: 10 },
    },
    bots: {
      campaignsPerDay: 4,
      tenants: { social: 70, shop: 30 } as Weights<TenantId>,
      durationHours: [1, 4] as Range,
      intervalSeconds: [10, 90] as Range,
      /** Countries of numbers bought from SMS-activation services; `GB-VOIP` is +44 56. */
      numberCountries: { ID: 25, IN: 20, VN: 15, PH: 10, GB: 10, 'GB-VOIP': 10, US: 10 },
      /** Campaign on datacenter addresses (a few reused VPS IPs), else rotating proxies. */
      datacenterRate: 0.6,
      /** VPS addresses a datacenter campaign cycles through. */
      datacenterIps: [1, 6] as Range,
      /** Automation user agent for the whole campaign, else a spoofed browser one. */
      automationUserAgentRate: 0.5,
      devicesPerCampaign: [1, 3] as Range,
      /** Campaigns whose bots solve the proof of work (they always submit it). */
      powSolverRate: 0.4,
      /** Bots need the account: they verify, fast. */
      verifyRate: 0.93,
      verifyDelaySeconds: [12, 90] as Range,
    },
    junk: {
      actorsPerDay: 40,
      requestsPerActor: [1, 60] as Range,
      intervalSeconds: [2, 120] as Range,
      kinds: { invalid: 3, premium: 2, tollfree: 1, fixedline: 2, drama: 1, length: 2 },
      tenants: { shop: 35, social: 35, saas: 15, bank: 15 } as Weights<TenantId>,
      network: { datacenter: 50, residential: 30, proxy: 20 },
    },
    ato: {
      campaignsPerDay: 12,
      accountsPerCampaign: [1, 15] as Range,
      attemptsPerAccount: [1, 3] as Range,
      attemptGapSeconds: [40, 600] as Range,
      accountGapSeconds: [20, 900] as Range,
      scenarios: { reset_password: 60, transfer: 40 } as Weights<SimScenario>,
      /** Where the attacker connects from (one choice per campaign). */
      network: { datacenter: 40, foreign: 30, proxyInVictimCountry: 30 },
      foreignCountries: { NG: 25, VN: 15, RU: 15, BR: 15, IN: 15, TR: 15 },
      /** Campaigns whose tooling solves the proof of work. */
      powSolveRate: 0.4,
    },
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Time of day
// ---------------------------------------------------------------------------------------------

/** Relative request rate per local hour (0–23) for consumer traffic: quiet nights, evening peak. */
export const CONSUMER_DIURNAL = [
  0.35, 0.2, 0.12, 0.08, 0.08, 0.12, 0.3, 0.65, 0.95, 1.15, 1.25, 1.3, 1.35, 1.3, 1.25, 1.2, 1.2, 1.3, 1.45,
  1.55, 1.6, 1.45, 1.1, 0.7,
] as const;

/** UTC offset in hours in November (no daylight saving), used for diurnal patterns. */
export function utcOffsetHours(country: string): number {
  return COUNTRIES[country]?.utcOffset ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Countries and mobile number plans
// ---------------------------------------------------------------------------------------------

interface CountryPlan {
  /** UTC offset in November (US: central time as the population middle). */
  readonly utcOffset: number;
  readonly callingCode: string;
  /** National significant number prefixes of mobile ranges, and the NSN length. */
  readonly mobilePrefixes: readonly string[];
  readonly nsnLength: number;
  /** +1: libphonenumber cannot tell mobile from fixed line. */
  readonly fixedOrMobile?: boolean;
}

/**
 * Mobile ranges per country, checked with libphonenumber-js/max (every generated number is
 * still validated, rejected draws are redrawn). +44 7 ranges exclude the Crown Dependencies by
 * requiring the parsed region to be GB.
 */
export const COUNTRIES: Readonly<Record<string, CountryPlan>> = {
  GB: { utcOffset: 0, callingCode: '44', mobilePrefixes: ['74', '75', '77', '78', '79'], nsnLength: 10 },
  DE: {
    utcOffset: 1,
    callingCode: '49',
    mobilePrefixes: ['151', '152', '157', '159', '160', '162', '170', '171', '172', '173', '174', '175', '176', '177', '178', '179'],
    nsnLength: 11,
  },
  FR: { utcOffset: 1, callingCode: '33', mobilePrefixes: ['6', '73', '75', '76', '77', '78'], nsnLength: 9 },
  ES: { utcOffset: 1, callingCode: '34', mobilePrefixes: ['6', '71', '72', '73', '74'], nsnLength: 9 },
  IT: { utcOffset: 1, callingCode: '39', mobilePrefixes: ['32', '33', '34', '35', '36', '37', '38', '39'], nsnLength: 10 },
  NL: { utcOffset: 1, callingCode: '31', mobilePrefixes: ['61', '62', '63', '64', '65', '68'], nsnLength: 9 },
  PT: { utcOffset: 0, callingCode: '351', mobilePrefixes: ['91', '92', '93', '96'], nsnLength: 9 },
  US: {
    utcOffset: -6,
    callingCode: '1',
    mobilePrefixes: ['212', '213', '305', '312', '404', '415', '512', '617', '646', '702', '713', '718', '773', '818', '917', '206'],
    nsnLength: 10,
    fixedOrMobile: true,
  },
  IN: {
    utcOffset: 5.5,
    callingCode: '91',
    mobilePrefixes: ['98', '99', '97', '96', '95', '94', '93', '90', '70', '88', '89'],
    nsnLength: 10,
  },
  BR: { utcOffset: -3, callingCode: '55', mobilePrefixes: ['119', '219', '319', '419', '519', '619', '719', '819', '279', '199'], nsnLength: 11 },
  NG: {
    utcOffset: 1,
    callingCode: '234',
    mobilePrefixes: ['803', '806', '703', '813', '816', '903', '802', '808', '812', '901', '902', '906', '907', '708', '810', '814'],
    nsnLength: 10,
  },
  ID: { utcOffset: 7, callingCode: '62', mobilePrefixes: ['811', '812', '813', '821', '852', '857', '878'], nsnLength: 11 },
  VN: { utcOffset: 7, callingCode: '84', mobilePrefixes: ['9', '3'], nsnLength: 9 },
  PH: { utcOffset: 8, callingCode: '63', mobilePrefixes: ['917', '92', '93', '94', '95'], nsnLength: 10 },
  TH: { utcOffset: 7, callingCode: '66', mobilePrefixes: ['8', '9'], nsnLength: 9 },
  AE: { utcOffset: 4, callingCode: '971', mobilePrefixes: ['50', '52', '54', '55', '56', '58'], nsnLength: 9 },
  // High-cost SMS destinations favoured by toll fraud (pumping).
  UZ: { utcOffset: 5, callingCode: '998', mobilePrefixes: ['90', '91', '93', '94', '97', '99', '88', '33'], nsnLength: 9 },
  KG: { utcOffset: 6, callingCode: '996', mobilePrefixes: ['55', '70', '77', '50', '22'], nsnLength: 9 },
  TJ: { utcOffset: 5, callingCode: '992', mobilePrefixes: ['90', '91', '92', '93', '98', '55'], nsnLength: 9 },
  AZ: { utcOffset: 4, callingCode: '994', mobilePrefixes: ['50', '51', '55', '70', '77', '99'], nsnLength: 9 },
  MM: { utcOffset: 6.5, callingCode: '95', mobilePrefixes: ['96', '925', '979'], nsnLength: 10 },
  // Attacker home countries (IP only).
  RU: { utcOffset: 3, callingCode: '7', mobilePrefixes: ['91', '92', '98'], nsnLength: 10 },
  TR: { utcOffset: 3, callingCode: '90', mobilePrefixes: ['53', '54', '55'], nsnLength: 10 },
};

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
  for (let attempt = 0; attempt < 64; attempt++) {
    const base = mobileNumber(rng, country);
    const stem = base.nationalNumber.slice(0, base.nationalNumber.length - freeDigits);
    // The whole range must be valid: check its first and last numbers.
    const first = parsePhoneNumberFromString(`+${base.callingCode}${stem}${'0'.repeat(freeDigits)}`);
    const last = parsePhoneNumberFromString(`+${base.callingCode}${stem}${'9'.repeat(freeDigits)}`);
    if (isAcceptedMobile(first, country, false) && isAcceptedMobile(last, country, false)) {
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

// ---------------------------------------------------------------------------------------------
// Junk numbers
// ---------------------------------------------------------------------------------------------

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
      return rng.chance(0.5)
        ? { phone: `+44 7700 900${rng.digits(3)}` }
        : { phone: `07700 900${rng.digits(3)}`, country: 'GB' };
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

// ---------------------------------------------------------------------------------------------
// IP pools
// ---------------------------------------------------------------------------------------------

/** One address block and who announces it. */
export interface NetBlock {
  readonly cidr: string;
  readonly asn: number;
  readonly org: string;
}

export type NetworkType = 'residential' | 'mobileCgnat' | 'office' | 'hotel' | 'datacenter' | 'residentialProxy';

/*
 * Sources: every block below was checked against the openly licensed @ip-location-db/asn
 * (RouteViews + DB-IP, CC-BY-4.0) and @ip-location-db/geo-whois-asn-country (CC0) snapshots
 * of June 2026, one address per /24: the country is the pool's country for every /24, the
 * block is announced (≥ 96% of its /24s) by the organisation named, and `asn` is its main
 * ASN (big ISPs announce one block from sister ASNs). Blocks are CIDR-aligned. No
 * documentation (RFC 5737), private (RFC 1918) or shared CGNAT (100.64.0.0/10) space: behind
 * a carrier's CGNAT the shield sees the carrier's public pool, which is what is listed here.
 */

/** Home broadband of the big access ISPs. */
const RESIDENTIAL: Record<string, readonly NetBlock[]> = {
  GB: [
    { cidr: '86.128.0.0/10', asn: 2856, org: 'British Telecommunications (BT)' },
    { cidr: '82.0.0.0/14', asn: 5089, org: 'Virgin Media' },
    { cidr: '90.192.0.0/11', asn: 5607, org: 'Sky UK' },
    { cidr: '92.16.0.0/12', asn: 13285, org: 'TalkTalk' },
  ],
  DE: [
    { cidr: '79.192.0.0/10', asn: 3320, org: 'Deutsche Telekom' },
    { cidr: '91.0.0.0/10', asn: 3320, org: 'Deutsche Telekom' },
    { cidr: '178.24.0.0/14', asn: 3209, org: 'Vodafone GmbH (cable)' },
  ],
  FR: [
    { cidr: '90.0.0.0/13', asn: 3215, org: 'Orange' },
    { cidr: '82.224.0.0/11', asn: 12322, org: 'Free SAS' },
  ],
  ES: [{ cidr: '83.32.0.0/11', asn: 3352, org: 'Telefonica de Espana' }],
  IT: [{ cidr: '79.0.0.0/11', asn: 3269, org: 'Telecom Italia' }],
  NL: [
    { cidr: '77.160.0.0/12', asn: 1136, org: 'KPN' },
    { cidr: '84.24.0.0/13', asn: 33915, org: 'Vodafone Libertel (Ziggo)' },
  ],
  PT: [{ cidr: '85.240.0.0/13', asn: 3243, org: 'MEO' }],
  US: [
    { cidr: '73.0.0.0/8', asn: 7922, org: 'Comcast Cable' },
    { cidr: '70.112.0.0/13', asn: 11427, org: 'Charter Communications (Spectrum)' },
    { cidr: '74.128.0.0/13', asn: 10796, org: 'Charter Communications (Spectrum)' },
    { cidr: '71.104.0.0/13', asn: 701, org: 'Verizon (Fios)' },
    { cidr: '108.48.0.0/13', asn: 701, org: 'Verizon (Fios)' },
  ],
  IN: [
    { cidr: '122.160.0.0/12', asn: 24560, org: 'Bharti Airtel broadband' },
    { cidr: '117.192.0.0/10', asn: 9829, org: 'BSNL' },
  ],
  BR: [
    { cidr: '177.168.0.0/13', asn: 26599, org: 'Telefonica Brasil (Vivo)' },
    { cidr: '179.136.0.0/13', asn: 28573, org: 'Claro NXT' },
  ],
  NG: [{ cidr: '102.88.0.0/14', asn: 29465, org: 'MTN Nigeria' }],
  ID: [{ cidr: '36.64.0.0/11', asn: 7713, org: 'Telkom Indonesia (IndiHome)' }],
  VN: [
    { cidr: '27.64.0.0/12', asn: 7552, org: 'Viettel' },
    { cidr: '113.160.0.0/11', asn: 45899, org: 'VNPT' },
  ],
  TR: [
    { cidr: '78.160.0.0/11', asn: 9121, org: 'Turk Telekom' },
    { cidr: '85.96.0.0/12', asn: 9121, org: 'Turk Telekom' },
  ],
  RU: [{ cidr: '95.24.0.0/14', asn: 8402, org: 'PJSC Vimpelcom (Beeline; also AS3216)' }],
  TH: [{ cidr: '171.96.0.0/13', asn: 17552, org: 'True Internet (AS17552 and AS7470)' }],
  MX: [{ cidr: '189.172.0.0/14', asn: 8151, org: 'Uninet (Telmex)' }],
  EG: [
    { cidr: '41.32.0.0/12', asn: 8452, org: 'TE Data' },
    { cidr: '156.192.0.0/11', asn: 8452, org: 'TE Data' },
  ],
  UA: [{ cidr: '46.118.0.0/15', asn: 15895, org: 'Kyivstar' }],
  PL: [{ cidr: '83.0.0.0/11', asn: 5617, org: 'Orange Polska' }],
  PH: [{ cidr: '112.198.0.0/17', asn: 4775, org: 'Globe Telecom (AS4775 and AS132199)' }],
  AE: [{ cidr: '2.48.0.0/14', asn: 5384, org: 'Etisalat' }],
};

/** Mobile operators' public (CGNAT) address pools; one entry per carrier. */
const MOBILE_CGNAT: Record<string, readonly NetBlock[]> = {
  GB: [
    { cidr: '31.94.0.0/16', asn: 2856, org: 'EE (announced by BT)' },
    { cidr: '188.28.0.0/14', asn: 206067, org: 'Hutchison 3G UK (Three)' },
    { cidr: '82.132.224.0/20', asn: 35228, org: 'Telefonica UK (O2)' },
    { cidr: '148.252.128.0/18', asn: 25135, org: 'Vodafone UK' },
  ],
  DE: [
    { cidr: '176.0.0.0/13', asn: 6805, org: 'Telefonica Germany (O2)' },
    { cidr: '109.40.0.0/13', asn: 3209, org: 'Vodafone GmbH (mobile)' },
  ],
  FR: [
    { cidr: '37.168.0.0/13', asn: 51207, org: 'Free Mobile' },
    { cidr: '176.128.0.0/10', asn: 5410, org: 'Bouygues Telecom' },
  ],
  ES: [
    { cidr: '77.208.0.0/14', asn: 12430, org: 'Vodafone Espana' },
    { cidr: '85.48.0.0/12', asn: 12479, org: 'Orange Espagne' },
  ],
  IT: [
    { cidr: '37.176.0.0/13', asn: 30722, org: 'Vodafone Italia' },
    { cidr: '151.16.0.0/12', asn: 1267, org: 'Wind Tre' },
  ],
  NL: [{ cidr: '188.88.0.0/14', asn: 50266, org: 'Odido (T-Mobile NL)' }],
  PT: [{ cidr: '89.152.0.0/14', asn: 2860, org: 'NOS Comunicacoes' }],
  US: [
    { cidr: '172.56.0.0/13', asn: 21928, org: 'T-Mobile USA' },
    { cidr: '174.192.0.0/10', asn: 6167, org: 'Verizon Wireless' },
    { cidr: '166.170.0.0/15', asn: 20057, org: 'AT&T Mobility' },
    { cidr: '166.172.0.0/15', asn: 20057, org: 'AT&T Mobility' },
  ],
  IN: [
    { cidr: '49.32.0.0/12', asn: 55836, org: 'Reliance Jio' },
    { cidr: '106.196.0.0/15', asn: 45609, org: 'Bharti Airtel (mobile)' },
    { cidr: '27.59.0.0/16', asn: 45609, org: 'Bharti Airtel (mobile)' },
  ],
  BR: [
    { cidr: '191.176.0.0/13', asn: 28573, org: 'Claro NXT' },
    { cidr: '179.84.0.0/14', asn: 26599, org: 'Telefonica Brasil (Vivo)' },
  ],
  NG: [
    { cidr: '102.88.0.0/14', asn: 29465, org: 'MTN Nigeria' },
    { cidr: '105.112.0.0/13', asn: 36873, org: 'Airtel Nigeria' },
  ],
  ID: [{ cidr: '114.120.0.0/13', asn: 23693, org: 'Telkomsel' }],
  TH: [{ cidr: '1.46.0.0/15', asn: 24378, org: 'Total Access Communication (dtac)' }],
  AE: [{ cidr: '2.48.0.0/14', asn: 5384, org: 'Etisalat' }],
  PH: [{ cidr: '180.190.0.0/15', asn: 132199, org: 'Globe Telecom (AS132199 and AS4775)' }],
};

/** Business lines of ISPs that companies put their office behind (one address per company). */
const OFFICE: Record<string, readonly NetBlock[]> = {
  GB: [
    { cidr: '212.23.0.0/19', asn: 13037, org: 'Zen Internet' },
    { cidr: '81.149.0.0/16', asn: 2856, org: 'BT (business)' },
  ],
  DE: [{ cidr: '80.144.0.0/13', asn: 3320, org: 'Deutsche Telekom (business)' }],
  NL: [{ cidr: '213.93.0.0/16', asn: 33915, org: 'Vodafone Libertel (business)' }],
  US: [
    { cidr: '4.0.0.0/9', asn: 3356, org: 'Level 3 / Lumen' },
    { cidr: '65.192.0.0/11', asn: 701, org: 'Verizon Business' },
  ],
};

/** Hotel Wi-Fi: business broadband of the national incumbents (GeoIP cannot tell a hotel). */
const HOTEL: Record<string, readonly NetBlock[]> = {
  ES: [{ cidr: '80.24.0.0/13', asn: 3352, org: 'Telefonica de Espana' }],
  IT: [{ cidr: '79.0.0.0/11', asn: 3269, org: 'Telecom Italia' }],
  FR: [{ cidr: '90.0.0.0/13', asn: 3215, org: 'Orange' }],
  PT: [{ cidr: '85.240.0.0/13', asn: 3243, org: 'MEO' }],
  US: [{ cidr: '4.0.0.0/9', asn: 3356, org: 'Level 3 / Lumen' }],
  TH: [{ cidr: '171.96.0.0/13', asn: 17552, org: 'True Internet (AS17552 and AS7470)' }],
  AE: [{ cidr: '2.48.0.0/14', asn: 5384, org: 'Etisalat' }],
  GB: [{ cidr: '81.149.0.0/16', asn: 2856, org: 'BT (business)' }],
  DE: [{ cidr: '80.144.0.0/13', asn: 3320, org: 'Deutsche Telekom (business)' }],
  NL: [{ cidr: '213.93.0.0/16', asn: 33915, org: 'Vodafone Libertel (business)' }],
};

/** Cloud and VPS providers (AS16509/14618 AWS, 15169/396982 Google, 8075 Azure, …). */
const DATACENTER: readonly NetBlock[] = [
  { cidr: '3.120.0.0/14', asn: 16509, org: 'Amazon AWS (eu-central)' },
  { cidr: '3.208.0.0/12', asn: 14618, org: 'Amazon AWS (us-east)' },
  { cidr: '52.0.0.0/11', asn: 16509, org: 'Amazon AWS' },
  { cidr: '18.128.0.0/9', asn: 16509, org: 'Amazon AWS' },
  { cidr: '35.184.0.0/13', asn: 396982, org: 'Google Cloud' },
  { cidr: '34.64.0.0/10', asn: 396982, org: 'Google Cloud' },
  { cidr: '20.64.0.0/10', asn: 8075, org: 'Microsoft Azure' },
  { cidr: '159.89.0.0/16', asn: 14061, org: 'DigitalOcean' },
  { cidr: '167.99.0.0/16', asn: 14061, org: 'DigitalOcean' },
  { cidr: '138.68.0.0/16', asn: 14061, org: 'DigitalOcean' },
  { cidr: '206.189.0.0/16', asn: 14061, org: 'DigitalOcean' },
  { cidr: '51.68.0.0/16', asn: 16276, org: 'OVH' },
  { cidr: '54.36.0.0/16', asn: 16276, org: 'OVH' },
  { cidr: '137.74.0.0/16', asn: 16276, org: 'OVH' },
  { cidr: '5.9.0.0/16', asn: 24940, org: 'Hetzner' },
  { cidr: '88.198.0.0/16', asn: 24940, org: 'Hetzner' },
  { cidr: '78.46.0.0/15', asn: 24940, org: 'Hetzner' },
  { cidr: '116.202.0.0/15', asn: 24940, org: 'Hetzner' },
  { cidr: '95.216.0.0/16', asn: 24940, org: 'Hetzner (Finland)' },
  { cidr: '172.104.0.0/15', asn: 63949, org: 'Akamai (Linode)' },
  { cidr: '45.32.0.0/16', asn: 20473, org: 'Vultr (The Constant Company)' },
  { cidr: '45.76.0.0/16', asn: 20473, org: 'Vultr (The Constant Company)' },
  { cidr: '161.97.64.0/18', asn: 51167, org: 'Contabo' },
  { cidr: '47.80.0.0/14', asn: 45102, org: 'Alibaba Cloud' },
  { cidr: '146.70.0.0/16', asn: 9009, org: 'M247 (VPN and proxy hosting)' },
];

/**
 * Residential proxy exits are real home connections rented from infected or "bandwidth
 * sharing" devices: the same ISP blocks as residential users, so GeoIP reports an ordinary
 * access ISP in the exit's country. Countries weighted as proxy networks advertise them.
 */
export const PROXY_COUNTRIES = {
  US: 20,
  BR: 10,
  IN: 8,
  VN: 8,
  ID: 6,
  TR: 6,
  RU: 6,
  GB: 5,
  DE: 5,
  FR: 4,
  TH: 4,
  MX: 4,
  EG: 4,
  UA: 3,
  PL: 3,
  PH: 4,
} as const;

/** All pools by network type; keys of the per-country ones are ISO countries. */
export const ipPools = {
  residential: RESIDENTIAL,
  mobileCgnat: MOBILE_CGNAT,
  office: OFFICE,
  hotel: HOTEL,
  datacenter: DATACENTER,
  residentialProxy: RESIDENTIAL,
} as const;

interface ParsedBlock {
  readonly first: number;
  readonly size: number;
}

const parsedBlocks = new Map<string, ParsedBlock>();

function parseBlock(cidr: string): ParsedBlock {
  let block = parsedBlocks.get(cidr);
  if (!block) {
    const [address, bits] = cidr.split('/');
    const octets = (address ?? '').split('.').map(Number);
    const prefix = Number(bits);
    if (octets.length !== 4 || octets.some((o) => !(o >= 0 && o <= 255)) || !(prefix >= 8 && prefix <= 30)) {
      throw new Error(`bad CIDR ${cidr}`);
    }
    const first = ((octets[0] ?? 0) * 16777216 + (octets[1] ?? 0) * 65536 + (octets[2] ?? 0) * 256 + (octets[3] ?? 0)) >>> 0;
    block = { first, size: 2 ** (32 - prefix) };
    parsedBlocks.set(cidr, block);
  }
  return block;
}

/** A host address in `block` (never the .0 or .255 of a /24). */
export function addressIn(rng: Rng, block: NetBlock): string {
  const { first, size } = parseBlock(block.cidr);
  const n = first + Math.floor(rng.next() * size);
  const last = 1 + Math.floor(rng.next() * 254);
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${last}`;
}

function poolFor(type: Exclude<NetworkType, 'datacenter'>, country: string): readonly NetBlock[] {
  const pool = ipPools[type][country];
  if (!pool || pool.length === 0) throw new Error(`no ${type} addresses for ${country}`);
  return pool;
}

/** A random address of a network type in a country. */
export function addressOf(rng: Rng, type: Exclude<NetworkType, 'datacenter'>, country: string): string {
  return addressIn(rng, rng.pick(poolFor(type, country)));
}

export function datacenterAddress(rng: Rng): string {
  return addressIn(rng, rng.pick(DATACENTER));
}

/** A residential proxy exit somewhere in the world (or in `country`). */
export function proxyAddress(rng: Rng, country?: string): string {
  return addressOf(rng, 'residentialProxy', country ?? rng.weighted(PROXY_COUNTRIES));
}

export function hasPool(type: Exclude<NetworkType, 'datacenter'>, country: string): boolean {
  return (ipPools[type][country]?.length ?? 0) > 0;
}

export function carriersOf(country: string): readonly NetBlock[] {
  return poolFor('mobileCgnat', country);
}

// ---------------------------------------------------------------------------------------------
// User agents and devices
// ---------------------------------------------------------------------------------------------

export interface BrowserAgent {
  readonly ua: string;
  readonly mobile: boolean;
}

/** Current browsers (autumn 2026 versions are extrapolated; the shapes are the real ones). */
export const BROWSER_USER_AGENTS: readonly (BrowserAgent & { weight: number })[] = [
  { weight: 18, mobile: false, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36' },
  { weight: 6, mobile: false, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36' },
  { weight: 7, mobile: false, ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36' },
  { weight: 6, mobile: false, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0' },
  { weight: 4, mobile: false, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0' },
  { weight: 5, mobile: false, ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15' },
  { weight: 1, mobile: false, ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0' },
  { weight: 16, mobile: true, ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Mobile/15E148 Safari/604.1' },
  { weight: 6, mobile: true, ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1' },
  { weight: 3, mobile: true, ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/142.0.7444.77 Mobile/15E148 Safari/604.1' },
  { weight: 16, mobile: true, ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36' },
  { weight: 5, mobile: true, ua: 'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36' },
  { weight: 2, mobile: false, ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7; rv:145.0) Gecko/20100101 Firefox/145.0' },
];

/** Corporate desktops. */
export const OFFICE_USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15',
];

/**
 * Browser user agents attackers paste into their scripts: well-formed, but often months or
 * years stale (a signal the engine may use), and the same few strings across campaigns.
 */
export const SPOOFED_BROWSER_USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.84 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0',
];

/** HTTP libraries and headless browsers. */
export const BOT_USER_AGENTS: readonly string[] = [
  'python-requests/2.31.0',
  'python-requests/2.32.3',
  'Go-http-client/1.1',
  'Go-http-client/2.0',
  'curl/8.5.0',
  'axios/1.7.7',
  'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
  'python-httpx/0.27.0',
  'PostmanRuntime/7.39.0',
  'Java/17.0.10',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
];

/** iOS versions with the CFNetwork and Darwin versions they ship. */
const IOS_VERSIONS: readonly (readonly [ios: string, cfNetwork: string, darwin: string])[] = [
  ['17.5', '1496.0.7', '23.5.0'],
  ['17.6', '1498.700.2', '23.6.0'],
  ['18.5', '3826.500.131', '24.5.0'],
  ['18.6', '3826.600.41', '24.6.0'],
  ['26.0', '3860.100.1', '25.0.0'],
];

const ANDROID_APP_AGENTS: readonly string[] = ['okhttp/4.12.0', 'okhttp/4.12.0', 'okhttp/4.11.0', 'okhttp/4.9.3', 'okhttp/5.1.0'];

/** The user agent of a tenant's mobile app on a user's phone. */
export function appUserAgent(rng: Rng, tenant: TenantId, ios: boolean): string {
  if (!ios) return rng.pick(ANDROID_APP_AGENTS);
  const app = SIM_CONFIG.tenants[tenant];
  const [version, cfNetwork, darwin] = rng.pick(IOS_VERSIONS);
  return `${app.appName}/${app.appVersion} (iPhone; iOS ${version}) CFNetwork/${cfNetwork} Darwin/${darwin}`;
}

export function browserAgent(rng: Rng): BrowserAgent {
  let total = 0;
  for (const agent of BROWSER_USER_AGENTS) total += agent.weight;
  let x = rng.next() * total;
  for (const agent of BROWSER_USER_AGENTS) {
    x -= agent.weight;
    if (x < 0) return agent;
  }
  return BROWSER_USER_AGENTS[0] as BrowserAgent;
}

/** A device token as the shield issues them (opaque). */
export function deviceId(rng: Rng): string {
  return `d-${rng.hex(16)}`;
}
