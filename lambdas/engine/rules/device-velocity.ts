import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';
import { limitFinding } from './limit';

/** Attempts from one device, whatever IP or number it uses. */
export const deviceVelocity: Rule = {
  id: 'device-velocity',
  evaluate: (ctx) => limitFinding(ctx, 'device', Reason.DEVICE_VELOCITY, 25, true),
};
