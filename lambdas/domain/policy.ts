import type { Scenario } from './types';

/** Counter windows. Buckets are aligned to the epoch: a fixed hour is 10:00–11:00 UTC. */
export const WINDOWS = { minute: 60, hour: 3_600, day: 86_400 } as const;
export type Window = keyof typeof WINDOWS;

/** Maximum events per window; a missing window is not counted at all. */
export type Limits = Partial<Record<Window, number>>;

/** How a rule's finding is applied: as a hard block, a challenge, or only its score. */
export type RuleAction = 'block' | 'challenge' | 'score';

/** Per-rule tuning. Anything left out falls back to the rule's own default. */
export interface RuleSetting {
  readonly enabled?: boolean;
  /** Points added to the score when the rule fires. */
  readonly weight?: number;
  readonly action?: RuleAction;
  /**
   * With `action: 'challenge'`: a solved proof of work does not clear the finding, the verdict
   * stays a challenge (`CHALLENGE_NOT_ENOUGH`) for the tenant's own step-up (another factor).
   */
  readonly stepUp?: boolean;
}

export interface ScenarioPolicy {
  /** Score at or above which the verdict is `challenge`. */
  readonly challengeAt: number;
  /** Score at or above which the verdict is `block`. */
  readonly blockAt: number;
  /** Rule settings for this scenario only; they win over the tenant-wide ones. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /**
   * When the store cannot be reached: `open` judges on stateless signals only (number type,
   * GeoIP, user agent…) and sends on allow; `closed` refuses with 503. @default open for
   * register/login/other, closed for reset_password/transfer
   */
  readonly onStoreError: 'open' | 'closed';
}

/** Attempts per source and tenant; over the limit adds the rule's weight, far over it blocks. */
export interface SourceLimits {
  readonly ip: Limits;
  /** IPv4 /24 or IPv6 /64. */
  readonly subnet: Limits;
  readonly device: Limits;
}

/** Limits on how many different things one subject touches. Only the first window with a limit is used. */
export interface DistinctLimits {
  /** Different numbers asked for from one IP (carrier NAT and offices put tens on one IP). */
  readonly ipNumbers: Limits;
  /** Different numbers asked for from one device. */
  readonly deviceNumbers: Limits;
  /** Different number countries asked for from one IP. */
  readonly ipCountries: Limits;
  /** Different networks (/24 or /64) asking for codes to one number: bombers rotate proxies, people do not. */
  readonly numberNetworks: Limits;
  /** Different accounts asking for codes from one device: one attacker working through stolen accounts. */
  readonly deviceAccounts: Limits;
  /** Different numbers inside one 1,000-number range (number minus its last 3 digits). */
  readonly range3Numbers: Limits;
  /** Different numbers inside one 10,000-number range (number minus its last 4 digits). */
  readonly range4Numbers: Limits;
}

/** Verification (conversion) signals: pumped and bombed numbers never verify. */
export interface ConversionPolicy {
  /** SMS to one number today that were not verified, before NUMBER_UNVERIFIED fires. */
  readonly maxUnverifiedPerNumber: number;
  /**
   * A code sent less than this long ago is pending, not unverified: its owner may still be
   * waiting for it. At most 1800 (the recent sends are kept per minute for 30–60 minutes).
   */
  readonly pendingWindowSeconds: number;
  /** SMS to one 10,000-number range today before its conversion is judged. */
  readonly rangeMinSends: number;
  /** Verified share below which a range is suspicious. */
  readonly rangeMinRatio: number;
  /** SMS to one country today before its conversion is judged. */
  readonly countryMinSends: number;
  /** A country is suspicious below this share of the tenant's own verified ratio. */
  readonly countryRelativeRatio: number;
  /** Unverified SMS one country may take a day however little it verifies (COUNTRY_UNVERIFIED_BUDGET). */
  readonly unverifiedFloor: number;
  /** …or this share of the codes the country verified yesterday (a whole day), if more… */
  readonly unverifiedFactor: number;
  /** …or this share of the codes it verified so far today (a partial day with codes still in flight: a tenant's first day, a growth day), if more. */
  readonly unverifiedTodayFactor: number;
}

/**
 * Number prefixes far busier than the tenant's traffic to their country warrants: numbers bought in
 * bulk from a few operator ranges, even when the farm verifies its codes. Widths: the number minus
 * its last 3, 4 or 5 digits (1,000 / 10,000 / 100,000 numbers).
 */
export interface PrefixPolicy {
  /** SMS one prefix may take a day whatever the country's traffic, per width. */
  readonly allowance: { readonly range3: number; readonly range4: number; readonly range5: number };
  /** A prefix is anomalous above this many times the SMS its share of the country's number space gets. */
  readonly factor: number;
  /**
   * Share of a country's nominal number space (every national number of that length) its people's
   * numbers fall in. Smaller means fewer blocks in use, so each expects more of the country's SMS.
   */
  readonly usedSpace: number;
  /** Past this multiple of its threshold a prefix blocks (below it, +40: a challenge farms solve). */
  readonly blockAt: number;
}

/**
 * Exponential backoff for a number whose codes are still pending: the k-th request within the
 * pending window waits `baseSeconds` × 2^(k−1) after the previous SMS (± `jitter`, at most
 * `maxSeconds`) and is answered 429 with Retry-After before anything asks for a challenge.
 */
export interface BackoffPolicy {
  readonly baseSeconds: number;
  readonly maxSeconds: number;
  /** Relative spread of each wait, 0–0.5: 0.2 waits between 80% and 120% of it. */
  readonly jitter: number;
}

/** Spikes of one country against the tenant's own baseline (yesterday's traffic). */
export interface SpikePolicy {
  /** Fewer attempts than this in the current hour never count as a spike. */
  readonly minHourly: number;
  /** A spike is this many times the country's average hourly attempts yesterday. */
  readonly factor: number;
  /** The tenant needs at least this many attempts yesterday to have a baseline at all. */
  readonly minTenantDaily: number;
}

/**
 * Attempts per autonomous system (the caller's network: one AS, all hosting networks pooled as
 * one) and tenant, counted for the scenarios listed (sign-ups by default): one item per counted
 * verdict, its hour, today and yesterday as fields.
 */
export interface NetworkPolicy {
  /** Scenarios whose attempts are counted per network; each scenario has its own baseline. An empty list reads nothing. */
  readonly scenarios: readonly Scenario[];
  /** NETWORK_SPIKE: this hour's attempts from one network far above its hourly average yesterday. */
  readonly spike: {
    /** Fewer attempts than this from the network this hour never count as a spike. */
    readonly minHourly: number;
    /** A spike is more than this many times the network's average hourly attempts yesterday. */
    readonly factor: number;
    /** The tenant needs at least this many attempts yesterday (all scenarios) to have a baseline at all. */
    readonly minTenantDaily: number;
  };
  /**
   * HOSTING_SIGNUP_BUDGET: attempts from hosting networks (all pooled) per tenant. Over `hourly`
   * this hour, or over the most of `daily` and `share` × the tenant's attempts (all scenarios)
   * yesterday or today, the attempt is blocked.
   */
  readonly hosting: {
    readonly hourly: number;
    readonly daily: number;
    readonly share: number;
  };
}

/** A cap on one destination country: SMS per 10 minutes and estimated spend per day. */
export interface CountryCostCap {
  /** SMS to the country per fixed 10-minute slot. */
  readonly burstPer10Min: number;
  /** Estimated spend on the country per day (UTC), in USD, from the bundled price table. */
  readonly dailyBudgetUsd: number;
}

/**
 * Cost guardrails per destination country, per tenant: a burst cap and a daily budget. `monitor`
 * names the breach in the verdict (and the metric) but lets the SMS go; `enforce` refuses it until
 * the slot or the day turns over (429 with Retry-After); `off` reads nothing.
 */
export interface CostGuardPolicy {
  readonly mode: 'off' | 'monitor' | 'enforce';
  /** The caps of every country without its own entry. */
  readonly default: CountryCostCap;
  /** Caps of single countries (ISO code, or `+<calling code>` for non-geographic numbers), merged onto `default`. */
  readonly countries: Readonly<Record<string, Partial<CountryCostCap>>>;
}

/**
 * How a tenant treats a number under cross-tenant bombing and a range promoted as pumped: the
 * number is defused, not locked. Without proof of ownership an attempt needs a harder proof of
 * work, and every tenant together may send only `bombedLimits`; the owner (this number verified
 * a code here today, or the account verified on this device) is served within the same cap.
 */
export interface JointDefensePolicy {
  /**
   * Live bombing signal: different tenants, this one included, asking for one number within the
   * last 5–10 minutes. 3 means two other interfaces besides this one: one tenant never counts twice.
   */
  readonly bombingTenants: number;
  /** …and from this many different networks (/24 or /64; a non-public address counts as its tenant's own), so one network alone never trips it. */
  readonly bombingNetworks: number;
  /** SMS to a bombed number across every tenant while it is bombed (live signal or promoted entry). */
  readonly bombedLimits: Limits;
  /** Proof-of-work level asked of an attempt without ownership history on a bombed number or a pumped range. */
  readonly challengeLevel: number;
  /** SMS per day from this tenant into one range promoted as pumped, for attempts without ownership history. */
  readonly pumpedRangeDaily: number;
}

/** The complete policy of one tenant. */
export interface Policy {
  /** `shadow`: evaluate and record, but always send. */
  readonly mode: 'enforce' | 'shadow';
  /** SMS per number, per tenant. Aliases of one number count as one (keys use E.164). */
  readonly numberLimits: Limits;
  /** SMS per number across every tenant of this deployment: caps a victim bombed through many interfaces. */
  readonly globalNumberLimits: Limits;
  readonly sourceLimits: SourceLimits;
  readonly distinctLimits: DistinctLimits;
  /** Source and distinct limits block outright at this multiple of the limit. */
  readonly hardMultiplier: number;
  readonly conversion: ConversionPolicy;
  readonly numberBackoff: BackoffPolicy;
  readonly prefix: PrefixPolicy;
  readonly spike: SpikePolicy;
  readonly networks: NetworkPolicy;
  readonly jointDefense: JointDefensePolicy;
  readonly costGuard: CostGuardPolicy;
  /**
   * Verdicts this tenant may ask for per minute (sends, OTP sends and verdict-only calls), across
   * every instance of the service: a leaked key or an app under attack cannot take the
   * deployment's capacity from the other tenants. Counted in memory and shared every few seconds,
   * so it may let a few more through. Absent: no limit.
   */
  readonly usage: { readonly perMinute?: number };
  /** Number countries (ISO codes) this tenant sends to: `allow` empty means all, `deny` always wins. */
  readonly countries: { readonly allow: readonly string[]; readonly deny: readonly string[] };
  /** Tenant-wide rule settings, keyed by rule id or reason code. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly scenarios: Readonly<Record<Scenario, ScenarioPolicy>>;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
/** What a tenant stores: any part of the policy; the rest comes from the defaults. */
export type PolicyOverrides = DeepPartial<Policy>;
