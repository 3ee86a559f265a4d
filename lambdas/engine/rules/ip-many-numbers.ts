import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';
import { limitFinding } from './limit';

/** Many different numbers from one IP. Never blocks alone: carrier NAT and offices look like this too. */
export const ipManyNumbers: Rule = {
  id: 'ip-many-numbers',
  evaluate: (ctx) => limitFinding(ctx, 'ip-numbers', Reason.IP_MANY_NUMBERS, 20, false),
};
