import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';
import { limitFinding } from './limit';

/** One IP asking for numbers in many countries. Weak: hotel and airport Wi-Fi look like this too. */
export const ipManyCountries: Rule = {
  id: 'ip-many-countries',
  evaluate: (ctx) => limitFinding(ctx, 'ip-countries', Reason.IP_MANY_COUNTRIES, 15, false),
};
