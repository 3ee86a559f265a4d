/**
 * Thresholds of the joint-defense aggregation. Windows end at the run's time.
 *
 * "Joint" means independent sources: every entry that can refuse an attempt needs evidence from
 * at least two tenants and two networks, and one tenant's share of the evidence is capped, so one
 * tenant (or one end user calling one app's endpoint) can never get a number or a range refused
 * at every tenant. Verdict-only calls and attempts refused by velocity or reputation rules are not
 * evidence about a number or range (see `evidenceOf`), so no entry feeds on the refusals it causes.
 */
export interface JointDefenseConfig {
  /** Events read per run: the longest window below. */
  readonly windowMinutes: number;
  /** Bombing victims: one number hammered through several tenants from several networks. */
  readonly victim: {
    /** Short window: a burst through several tenants is promoted within minutes. */
    readonly fastWindowMinutes: number;
    readonly fastMinAttempts: number;
    readonly minTenants: number;
    readonly minNetworks: number;
    /** Attempts in the whole window. */
    readonly minAttempts: number;
    /** Attempts counted per tenant at most: one tenant's share of the evidence. */
    readonly maxPerTenant: number;
    /** Verified codes per attempt at most: a number whose owner keeps verifying is not bombed. */
    readonly maxVerifiedRatio: number;
    readonly ttlSeconds: number;
  };
  /** Abusive IPs, subnets and devices: blocked for their own behaviour at several tenants (only ever a score). */
  readonly source: {
    readonly minTenants: number;
    /** Attempts blocked by rules other than joint defense itself. */
    readonly minBlocked: number;
    /** Blocked attempts counted per tenant at most. */
    readonly maxPerTenant: number;
    readonly minBlockedRatio: number;
    readonly maxVerifiedRatio: number;
    readonly ttlSeconds: number;
  };
  /** Pumped ranges: many different numbers of one 10,000-number range, almost none verified. */
  readonly range: {
    readonly minNumbers: number;
    readonly minTenants: number;
    readonly minNetworks: number;
    /** Different numbers counted per tenant at most. */
    readonly maxPerTenant: number;
    /** Share of those numbers with a verified code, at most. */
    readonly maxVerifiedRatio: number;
    /** Attempts younger than this are left out: their codes may still be verified. */
    readonly maturitySeconds: number;
    readonly ttlSeconds: number;
  };
  /** Pumped countries: the same across a whole destination country (only ever a score). */
  readonly country: {
    readonly minNumbers: number;
    readonly minTenants: number;
    /** Different numbers counted per tenant at most. */
    readonly maxPerTenant: number;
    readonly maxVerifiedRatio: number;
    readonly ttlSeconds: number;
  };
  /** Entries produced per run at most, strongest evidence first. */
  readonly maxEntries: number;
}

export const DEFAULT_JOINT_DEFENSE: JointDefenseConfig = {
  windowMinutes: 60,
  victim: {
    fastWindowMinutes: 15,
    fastMinAttempts: 6,
    minTenants: 2,
    minNetworks: 2,
    minAttempts: 8,
    maxPerTenant: 3,
    maxVerifiedRatio: 0.25,
    ttlSeconds: 900,
  },
  source: { minTenants: 2, minBlocked: 10, maxPerTenant: 5, minBlockedRatio: 0.8, maxVerifiedRatio: 0.2, ttlSeconds: 3_600 },
  range: { minNumbers: 6, minTenants: 2, minNetworks: 2, maxPerTenant: 4, maxVerifiedRatio: 0.1, maturitySeconds: 300, ttlSeconds: 2 * 3_600 },
  country: { minNumbers: 40, minTenants: 2, maxPerTenant: 20, maxVerifiedRatio: 0.1, ttlSeconds: 2 * 3_600 },
  maxEntries: 1_000,
};

/** A partial config merged onto the defaults, section by section. */
export type JointDefenseOverrides = {
  readonly [K in keyof JointDefenseConfig]?: JointDefenseConfig[K] extends object ? Partial<JointDefenseConfig[K]> : JointDefenseConfig[K];
};

export function jointDefenseConfig(overrides: JointDefenseOverrides = {}): JointDefenseConfig {
  const d = DEFAULT_JOINT_DEFENSE;
  return {
    windowMinutes: overrides.windowMinutes ?? d.windowMinutes,
    victim: { ...d.victim, ...overrides.victim },
    source: { ...d.source, ...overrides.source },
    range: { ...d.range, ...overrides.range },
    country: { ...d.country, ...overrides.country },
    maxEntries: overrides.maxEntries ?? d.maxEntries,
  };
}
