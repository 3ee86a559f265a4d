import { Reason } from '../../domain/reasons';
import type { Finding } from '../../domain/types';
import type { AccountHistory, Rule, RuleContext } from '../rule';

/**
 * A block by default. A tenant that would rather step up sets `action: 'challenge'`: a solved
 * proof of work still does not clear it (`stepUp`), so the verdict stays a challenge with
 * `CHALLENGE_NOT_ENOUGH` first and the tenant's flow asks for a stronger factor.
 */
const TAKEOVER_RISK: Finding = { reason: Reason.ACCOUNT_TAKEOVER_RISK, weight: 0, action: 'block', stepUp: true };

/**
 * A new device on a new network in the number's own country: a customer's new phone on mobile
 * data looks the same as an attacker behind a residential proxy there, so by default it asks for
 * a challenge a solution clears. High-value tenants set it to block, or to
 * `{ action: 'challenge', stepUp: true }`.
 */
const UNFAMILIAR_AT_HOME: Finding = { reason: Reason.NEW_DEVICE_AND_NETWORK, weight: 0, action: 'challenge' };

/**
 * Account takeover in sensitive scenarios (on for reset_password and transfer by default; the set
 * is the policy's: enable it in any scenario's `rules`). The attacker knows the account and the
 * number, brings a device and a network of their own, and solves the proof of work: a cost, not
 * an identity. So the history decides, not the challenge:
 *
 * - the account's verified history, else the number's at this tenant. A known device clears it
 *   (travellers, a new Wi-Fi), and so does a known network (a new phone at home: that is why
 *   people reset). A device and a network it never verified on is `ACCOUNT_TAKEOVER_RISK` when
 *   the network is a datacenter or abroad (of the number's country), `NEW_DEVICE_AND_NETWORK`
 *   otherwise;
 * - no history at all: only a datacenter address refuses. A first-time customer at home on a new
 *   phone, or abroad, is not refused for that alone.
 */
export const unfamiliarDeviceAndNetwork: Rule = {
  id: 'unfamiliar-device-and-network',
  defaults: { enabled: false },
  evaluate: (ctx) => {
    const { geo, phone } = ctx;
    const history = knownHistory(ctx);
    if (history && (history.deviceVerified > 0 || history.networkVerified > 0)) return undefined;
    if (geo.hosting) return TAKEOVER_RISK;
    if (!history) return undefined;
    const foreign = geo.country !== undefined && phone?.country !== undefined && geo.country !== phone.country;
    return foreign ? TAKEOVER_RISK : UNFAMILIAR_AT_HOME;
  },
};

/** The account's verified history when it has one, else the number's; undefined when neither has any. */
function knownHistory({ account, numberHistory }: Pick<RuleContext, 'account' | 'numberHistory'>): AccountHistory | undefined {
  if (account && account.verified > 0) return account;
  if (numberHistory && numberHistory.verified > 0) return numberHistory;
  return undefined;
}
