import { Reason } from '../../domain/reasons';
import type { Finding } from '../../domain/types';
import { DIM } from '../dimensions';
import { type AccountHistory, counterValue, type Rule, type RuleContext } from '../rule';

/**
 * A block by default. A tenant that would rather step up sets `action: 'challenge'`: a solved
 * proof of work still does not clear it (`stepUp`), so the verdict stays a challenge with
 * `CHALLENGE_NOT_ENOUGH` first and the tenant's flow asks for a stronger factor.
 */
const TAKEOVER_RISK: Finding = { reason: Reason.ACCOUNT_TAKEOVER_RISK, weight: 0, action: 'block', stepUp: true };

/**
 * A device and a network the account never verified on, and nothing else against it: a customer's
 * new phone on mobile data looks the same as an attacker's first try, so at home it asks for a
 * challenge a solution clears. High-value tenants set it to block, or to
 * `{ action: 'challenge', stepUp: true }`; abroad it always steps up (see the rule).
 */
const UNFAMILIAR: Finding = { reason: Reason.NEW_DEVICE_AND_NETWORK, weight: 0, action: 'challenge' };

/**
 * Account takeover in sensitive scenarios (on for reset_password and transfer by default; the set
 * is the policy's: enable it in any scenario's `rules`). The attacker knows the account and the
 * number, brings a device and a network of their own, and solves the proof of work: a cost, not
 * an identity. So history decides, not the challenge. It is the account's verified history, else
 * the number's at this tenant. A device it verified on clears everything (travellers, a new
 * Wi-Fi). For any other device, `ACCOUNT_TAKEOVER_RISK`:
 *
 * - the device asked for another account's codes today (one attacker, a list of accounts);
 * - unless the network is one it verified on (a new phone at home: that is why people reset):
 *   a datacenter address, or an address abroad (of the number's country) that asked for other
 *   foreign numbers' sensitive codes today (one proxy, a list of victims).
 *
 * Otherwise a device and a network it never verified on is `NEW_DEVICE_AND_NETWORK`: at home a
 * challenge a solution clears; abroad a step-up a solution does not clear (a residential proxy
 * abroad solving the proof of work is the takeover that got through most: `npm run eval`,
 * `ato-resi-abroad`; a traveller on a hotel PC is asked for another factor). With no history at
 * all nothing more is said: a first-time customer, at home or abroad, is not refused for being new.
 */
export const unfamiliarDeviceAndNetwork: Rule = {
  id: 'unfamiliar-device-and-network',
  defaults: { enabled: false },
  evaluate: (ctx) => {
    const { geo, phone } = ctx;
    const history = knownHistory(ctx);
    if (history && history.deviceVerified > 0) return undefined;
    if (counterValue(ctx, DIM.DEVICE_ACCOUNTS) >= 2) return TAKEOVER_RISK;
    if (history && history.networkVerified > 0) return undefined;
    if (geo.hosting) return TAKEOVER_RISK;
    const foreign = geo.country !== undefined && phone?.country !== undefined && geo.country !== phone.country;
    if (foreign && counterValue(ctx, DIM.IP_FOREIGN_SENSITIVE) >= 2) return TAKEOVER_RISK;
    if (history && foreign) return { ...UNFAMILIAR, stepUp: true };
    return history ? UNFAMILIAR : undefined;
  },
};

/** The account's verified history when it has one, else the number's; undefined when neither has any. */
function knownHistory({ account, numberHistory }: Pick<RuleContext, 'account' | 'numberHistory'>): AccountHistory | undefined {
  if (account && account.verified > 0) return account;
  if (numberHistory && numberHistory.verified > 0) return numberHistory;
  return undefined;
}
