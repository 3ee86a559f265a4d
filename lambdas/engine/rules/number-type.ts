import type { NumberType } from 'libphonenumber-js/max';
import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';
import type { Finding } from '../../domain/types';

/**
 * Number types that cannot receive an SMS or that bill the sender (toll fraud). Final: no allow
 * entry overrides them (a tenant's admin can still tune them in the policy, e.g. landlines).
 * FIXED_LINE_OR_MOBILE (all of +1) is treated as possibly mobile. VoIP numbers are
 * cheap to rent in bulk, so they add risk without blocking on their own.
 */
const BY_TYPE: Partial<Record<NonNullable<NumberType>, Finding>> = {
  PREMIUM_RATE: { reason: Reason.PREMIUM_RATE_NUMBER, weight: 100, action: 'block', final: true },
  SHARED_COST: { reason: Reason.SHARED_COST_NUMBER, weight: 100, action: 'block', final: true },
  TOLL_FREE: { reason: Reason.TOLL_FREE_NUMBER, weight: 100, action: 'block', final: true },
  FIXED_LINE: { reason: Reason.FIXED_LINE_NUMBER, weight: 100, action: 'block', final: true },
  UAN: { reason: Reason.UAN_NUMBER, weight: 100, action: 'block', final: true },
  PAGER: { reason: Reason.PAGER_NUMBER, weight: 100, action: 'block', final: true },
  VOICEMAIL: { reason: Reason.VOICEMAIL_NUMBER, weight: 100, action: 'block', final: true },
  PERSONAL_NUMBER: { reason: Reason.PERSONAL_NUMBER, weight: 100, action: 'block', final: true },
  VOIP: { reason: Reason.VOIP_NUMBER, weight: 30 },
};

export const numberType: Rule = {
  id: 'number-type',
  evaluate: ({ phone }) => (phone?.valid && phone.type ? BY_TYPE[phone.type] : undefined),
};
