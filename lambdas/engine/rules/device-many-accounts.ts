import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';
import { limitFinding } from './limit';

/** One device asking for codes for several accounts today: an attacker working through a list of accounts. */
export const deviceManyAccounts: Rule = {
  id: 'device-many-accounts',
  evaluate: (ctx) => limitFinding(ctx, 'device-accounts', Reason.DEVICE_MANY_ACCOUNTS, 40, true),
};
