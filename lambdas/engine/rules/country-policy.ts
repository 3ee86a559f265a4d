import { Reason } from '../../domain/reasons';
import { countryKey } from '../phone';
import type { Rule } from '../rule';

/** The tenant's own country allow and deny lists for destination numbers. */
export const countryPolicy: Rule = {
  id: 'country-policy',
  evaluate: ({ phone, policy }) => {
    if (!phone?.valid) return undefined;
    const { allow, deny } = policy.countries;
    const country = countryKey(phone);
    const denied = deny.includes(country) || (allow.length > 0 && !allow.includes(country));
    return denied ? { reason: Reason.COUNTRY_NOT_ALLOWED, weight: 100, action: 'block' } : undefined;
  },
};
