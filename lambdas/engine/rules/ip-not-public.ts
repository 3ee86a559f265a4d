import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/**
 * A private or reserved `ip`: usually the calling backend passed its own proxy's address, or a
 * client-chosen X-Forwarded-For value reached it. Informational (weight 0). The per-address
 * counters still apply: every non-public address of a tenant counts as one shared address, so a
 * non-public value never escapes them; there is no GeoIP country, AS or hosting flag for it.
 */
export const ipNotPublic: Rule = {
  id: 'ip-not-public',
  evaluate: ({ geo }) => (geo.kind === 'public' ? undefined : { reason: Reason.IP_NOT_PUBLIC, weight: 0 }),
};
