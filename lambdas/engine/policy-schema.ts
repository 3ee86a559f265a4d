import * as z from 'zod';
import { SCENARIOS } from '../domain/types';

/** zod schema of tenant policy overrides: admin API, CLI and replay configs all validate with it. */
const count = z.number().int().min(0).max(1_000_000);
const limits = z.strictObject({ minute: count.optional(), hour: count.optional(), day: count.optional() });
const ruleSetting = z.strictObject({
  enabled: z.boolean().optional(),
  weight: z.number().min(-100).max(100).optional(),
  action: z.enum(['block', 'challenge', 'score']).optional(),
  stepUp: z.boolean().optional(),
});
const ruleSettings = z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a rule id or reason code'), ruleSetting);
const threshold = z.number().min(0).max(100);
const scenario = z.strictObject({
  challengeAt: threshold.optional(),
  blockAt: threshold.optional(),
  rules: ruleSettings.optional(),
  onStoreError: z.enum(['open', 'closed']).optional(),
});
const country = z.string().regex(/^(?:[A-Z]{2}|\+\d{1,3})$/, 'must be an ISO country code such as "GB" (or "+882" for non-geographic codes)');
const costCap = z.strictObject({
  burstPer10Min: count.optional(),
  dailyBudgetUsd: z.number().min(0).max(10_000_000).optional(),
});

export const policyOverridesSchema = z.strictObject({
  mode: z.enum(['enforce', 'shadow']).optional(),
  numberLimits: limits.optional(),
  globalNumberLimits: limits.optional(),
  sourceLimits: z.strictObject({ ip: limits.optional(), subnet: limits.optional(), device: limits.optional() }).optional(),
  distinctLimits: z
    .strictObject({
      ipNumbers: limits.optional(),
      deviceNumbers: limits.optional(),
      ipCountries: limits.optional(),
      numberNetworks: limits.optional(),
      deviceAccounts: limits.optional(),
      range3Numbers: limits.optional(),
      range4Numbers: limits.optional(),
    })
    .optional(),
  hardMultiplier: z.number().min(1).max(100).optional(),
  conversion: z
    .strictObject({
      maxUnverifiedPerNumber: count.optional(),
      pendingWindowSeconds: z.number().int().min(0).max(1_800).optional(),
      rangeMinSends: count.optional(),
      rangeMinRatio: z.number().min(0).max(1).optional(),
      countryMinSends: count.optional(),
      countryRelativeRatio: z.number().min(0).max(1).optional(),
      unverifiedFloor: count.optional(),
      unverifiedFactor: z.number().min(0).max(100).optional(),
      unverifiedTodayFactor: z.number().min(0).max(100).optional(),
    })
    .optional(),
  prefix: z
    .strictObject({
      allowance: z.strictObject({ range3: count.optional(), range4: count.optional(), range5: count.optional() }).optional(),
      factor: z.number().min(1).max(1_000_000).optional(),
      usedSpace: z.number().gt(0).max(1).optional(),
      blockAt: z.number().min(1).max(100).optional(),
    })
    .optional(),
  numberBackoff: z
    .strictObject({
      baseSeconds: z.number().int().min(1).max(3_600).optional(),
      maxSeconds: z.number().int().min(1).max(86_400).optional(),
      jitter: z.number().min(0).max(0.5).optional(),
    })
    .optional(),
  spike: z.strictObject({ minHourly: count.optional(), factor: z.number().min(1).max(1000).optional(), minTenantDaily: count.optional() }).optional(),
  networks: z
    .strictObject({
      scenarios: z.array(z.enum(SCENARIOS)).max(SCENARIOS.length).optional(),
      spike: z.strictObject({ minHourly: count.optional(), factor: z.number().min(1).max(1000).optional(), minTenantDaily: count.optional() }).optional(),
      hosting: z.strictObject({ hourly: count.optional(), daily: count.optional(), share: z.number().min(0).max(1).optional() }).optional(),
    })
    .optional(),
  jointDefense: z
    .strictObject({
      bombingTenants: z.number().int().min(3).max(100).optional(),
      bombingNetworks: z.number().int().min(3).max(100).optional(),
      bombedLimits: limits.optional(),
      challengeLevel: z.number().int().min(1).max(10).optional(),
      pumpedRangeDaily: count.optional(),
    })
    .optional(),
  costGuard: z
    .strictObject({
      mode: z.enum(['off', 'monitor', 'enforce']).optional(),
      default: costCap.optional(),
      countries: z.record(country, costCap).optional(),
    })
    .optional(),
  usage: z.strictObject({ perMinute: z.number().int().min(1).max(10_000_000).optional() }).optional(),
  countries: z.strictObject({ allow: z.array(country).max(300).optional(), deny: z.array(country).max(300).optional() }).optional(),
  rules: ruleSettings.optional(),
  scenarios: z.partialRecord(z.enum(SCENARIOS), scenario).optional(),
});
