import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

import type { Finding } from '../../domain/types';

/** The finding of a number that cannot take an SMS; the engine adds it even when the rule is tuned away. */
export const INVALID_NUMBER_FINDING: Finding = { reason: Reason.INVALID_NUMBER, weight: 100, action: 'block', final: true };

/**
 * Numbers that cannot exist (wrong length, unassigned range) or text that is not a number at
 * all cannot receive an SMS: sending costs money for nothing. No allow entry overrides it, and
 * the engine keeps the block even where a policy switches this rule off (see `RiskEngine.judge`).
 */
export const invalidNumber: Rule = {
  id: 'invalid-number',
  evaluate: ({ phone }) => (phone?.valid ? undefined : INVALID_NUMBER_FINDING),
};
