import { Reason } from '../reasons';
import type { Rule } from '../rule';

/** Numbers that cannot exist (wrong length, unassigned range) cannot receive an SMS: sending costs money for nothing. */
export const invalidNumber: Rule = {
  id: 'invalid-number',
  evaluate: ({ phone }) =>
    phone?.valid ? undefined : { reason: Reason.INVALID_NUMBER, weight: 100, action: 'block' },
};
