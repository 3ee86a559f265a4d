import type { NumberType } from 'libphonenumber-js/max';
import { Reason } from '../reasons';
import type { Rule } from '../rule';
import type { Finding } from '../types';

/**
 * Number types that cannot receive an SMS or that bill the sender (toll fraud).
 * FIXED_LINE_OR_MOBILE (all of +1) is treated as possibly mobile. VoIP numbers are
 * cheap to rent in bulk, so they add risk without blocking on their own.
 */
const BY_TYPE: Partial<Record<NonNullable<NumberType>, Finding>> = {
  PREMIUM_RATE: { reason: Reason.PREMIUM_RATE_NUMBER, weight: 100, action: 'block' },
  SHARED_COST: { reason: Reason.SHARED_COST_NUMBER, weight: 100, action: 'block' },
  TOLL_FREE: { reason: Reason.TOLL_FREE_NUMBER, weight: 100, action: 'block' },
  FIXED_LINE: { reason: Reason.FIXED_LINE_NUMBER, weight: 100, action: 'block' },
  UAN: { reason: Reason.UAN_NUMBER, weight: 100, action: 'block' },
  PAGER: { reason: Reason.PAGER_NUMBER, weight: 100, action: 'block' },
  VOICEMAIL: { reason: Reason.VOICEMAIL_NUMBER, weight: 100, action: 'block' },
  PERSONAL_NUMBER: { reason: Reason.PERSONAL_NUMBER, weight: 100, action: 'block' },
  VOIP: { reason: Reason.VOIP_NUMBER, weight: 30 },
};

export const numberType: Rule = {
  id: 'number-type',
  evaluate: ({ phone }) => (phone?.valid && phone.type ? BY_TYPE[phone.type] : undefined),
};
