import { confident, reputationEntry } from '../reputation';
import { Reason } from '../reasons';
import { valueOf, type Rule } from '../rule';

/**
 * A number the joint-defense job found being bombed through several tenants (or far above its
 * normal rate): every tenant stops sending to it until the entry expires. The number's real
 * owner must still get a code, so an attempt that shows ownership — the account has verified
 * codes on this device before, or this number verified a code with this tenant today, neither
 * of which a bomber can produce — gets a proof-of-work challenge instead of the block. The
 * global per-number quota still caps what reaches the phone.
 */
export const jointDefenseVictim: Rule = {
  id: 'joint-defense-victim',
  evaluate: (ctx) => {
    const entry = reputationEntry(ctx.reputation, 'number');
    if (!entry) return undefined;
    const owner = (ctx.account?.deviceVerified ?? 0) > 0 || valueOf(ctx, 'verified:number', 'day') > 0;
    if (owner || !confident(entry)) return { reason: Reason.JOINT_DEFENSE_VICTIM, weight: 40, action: 'challenge' };
    const retryAfterSeconds = entry.expiresAt === undefined ? undefined : Math.max(1, entry.expiresAt - Math.floor(ctx.now / 1000));
    return { reason: Reason.JOINT_DEFENSE_VICTIM, weight: 100, action: 'block', retryAfterSeconds };
  },
};
