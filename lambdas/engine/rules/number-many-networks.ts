import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';
import { limitFinding } from './limit';

/**
 * Codes for one number asked for from many different networks today: a bomber rotating
 * proxies. A person retries from the same network, or two (Wi-Fi and mobile data).
 */
export const numberManyNetworks: Rule = {
  id: 'number-many-networks',
  evaluate: (ctx) => limitFinding(ctx, 'number-networks', Reason.NUMBER_MANY_NETWORKS, 30, false),
};
