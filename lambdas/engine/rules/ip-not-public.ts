import { Reason } from '../reasons';
import type { Rule } from '../rule';

/**
 * A private or reserved `ip`: usually the calling backend passed its own proxy's address.
 * Informational (weight 0) — IP-based counters are skipped for such addresses so that one
 * misconfigured backend cannot rate-limit all of its users together.
 */
export const ipNotPublic: Rule = {
  id: 'ip-not-public',
  evaluate: ({ geo }) => (geo.kind === 'public' ? undefined : { reason: Reason.IP_NOT_PUBLIC, weight: 0 }),
};
