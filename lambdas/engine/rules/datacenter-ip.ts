import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/** The caller is on a hosting or cloud network: people browse from ISPs and carriers, bots from servers. */
export const datacenterIp: Rule = {
  id: 'datacenter-ip',
  evaluate: ({ geo }) => (geo.hosting ? { reason: Reason.DATACENTER_IP, weight: 35 } : undefined),
};
