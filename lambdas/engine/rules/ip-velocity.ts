import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';
import { limitFinding } from './limit';

/** Attempts from one IP. Carrier NAT and offices share IPs, so the limit is high and soft first. */
export const ipVelocity: Rule = {
  id: 'ip-velocity',
  evaluate: (ctx) => limitFinding(ctx, 'ip', Reason.IP_VELOCITY, 20, true),
};
