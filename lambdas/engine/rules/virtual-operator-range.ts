import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';
import { virtualOperatorPrefix } from '../virtual-operator-ranges';

/**
 * The number is in a virtual-operator (MVNO) segment that is widely abused (see
 * `virtual-operator-ranges.ts`). Real people have such numbers too, so this adds risk like a VoIP
 * number does and never blocks on its own; with the other signals of a farm (fresh devices,
 * hosting networks, a crowded prefix) it tips the score.
 */
export const virtualOperatorRange: Rule = {
  id: 'virtual-operator-range',
  evaluate: ({ phone }) => (phone?.valid && virtualOperatorPrefix(phone.e164) ? { reason: Reason.VIRTUAL_OPERATOR_RANGE, weight: 30 } : undefined),
};
