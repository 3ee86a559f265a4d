import { Reason } from '../../domain/reasons';
import { counterValue, type Rule } from '../rule';

/** Typical verified share of OTPs when a tenant has too little data of its own. */
const FALLBACK_TENANT_RATIO = 0.85;

/**
 * A destination country whose codes are verified far less than the tenant's own average:
 * pumping spreads across a country's ranges. Judged against the tenant's baseline, not a constant.
 */
export const countryLowConversion: Rule = {
  id: 'country-low-conversion',
  evaluate: (ctx) => {
    const { countryMinSends, countryRelativeRatio } = ctx.policy.conversion;
    const sent = counterValue(ctx, 'sent:country', 'day');
    if (sent < countryMinSends) return undefined;
    const tenantSent = counterValue(ctx, 'sent:tenant', 'day');
    const tenantRatio = tenantSent >= 100 ? counterValue(ctx, 'verified:tenant', 'day') / tenantSent : FALLBACK_TENANT_RATIO;
    const ratio = counterValue(ctx, 'verified:country', 'day') / sent;
    return ratio < tenantRatio * countryRelativeRatio ? { reason: Reason.COUNTRY_LOW_CONVERSION, weight: 30 } : undefined;
  },
};
