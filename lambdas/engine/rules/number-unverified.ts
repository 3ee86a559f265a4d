import { Reason } from '../../domain/reasons';
import { counterValue, type Rule } from '../rule';

/**
 * Codes sent to this number today that nobody verified. Bombing victims and pumped numbers
 * never verify; a real user who asked three times and verified none must prove they are human.
 */
export const numberUnverified: Rule = {
  id: 'number-unverified',
  evaluate: (ctx) => {
    // The number's daily quota counter includes this attempt: earlier sends are one fewer.
    const earlierSends = counterValue(ctx, 'number', 'day') - 1;
    const unverified = earlierSends - counterValue(ctx, 'verified:number', 'day');
    return unverified >= ctx.policy.conversion.maxUnverifiedPerNumber ? { reason: Reason.NUMBER_UNVERIFIED, weight: 45 } : undefined;
  },
};
