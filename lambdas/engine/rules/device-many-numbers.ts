import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';
import { limitFinding } from './limit';

/** One device asking for codes to many numbers: a bot farm or a bomber behind rotating IPs. */
export const deviceManyNumbers: Rule = {
  id: 'device-many-numbers',
  evaluate: (ctx) => limitFinding(ctx, 'device-numbers', Reason.DEVICE_MANY_NUMBERS, 35, true),
};
