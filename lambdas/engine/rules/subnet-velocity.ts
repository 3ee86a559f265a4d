import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';
import { limitFinding } from './limit';

/** Attempts from one /24 (IPv4) or /64 (IPv6): catches rotation inside a rented block. */
export const subnetVelocity: Rule = {
  id: 'subnet-velocity',
  evaluate: (ctx) => limitFinding(ctx, 'subnet', Reason.SUBNET_VELOCITY, 15, true),
};
