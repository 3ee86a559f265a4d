import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/** Regions that share a numbering plan or travel zone with another: not a mismatch. */
const SAME_AREA: Readonly<Record<string, string>> = { GG: 'GB', JE: 'GB', IM: 'GB' };
const area = (country: string) => SAME_AREA[country] ?? country;

/** The caller's IP country differs from the number's country. Weak alone: people travel. */
export const countryMismatch: Rule = {
  id: 'country-mismatch',
  evaluate: ({ phone, geo }) => {
    if (!phone?.country || !geo.country || geo.kind !== 'public') return undefined;
    return area(phone.country) !== area(geo.country) ? { reason: Reason.COUNTRY_MISMATCH, weight: 10 } : undefined;
  },
};
