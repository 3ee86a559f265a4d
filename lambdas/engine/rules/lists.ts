import type { ListEntry, ListKind } from '../../ports/list-store';
import type { Rule } from '../rule';
import type { Finding } from '../../domain/types';

const SUFFIX: Readonly<Record<ListKind, 'NUMBER' | 'PREFIX' | 'IP' | 'DEVICE' | 'ASN' | 'COUNTRY'>> = {
  number: 'NUMBER',
  prefix: 'PREFIX',
  ip: 'IP',
  cidr: 'IP',
  device: 'DEVICE',
  asn: 'ASN',
  country: 'COUNTRY',
};

/** Block and allow entries that match the attempt. Allow entries beat every rule (test numbers). */
export const lists: Rule = {
  id: 'lists',
  evaluate: ({ lists: matched }) => matched.map(toFinding),
};

function toFinding(entry: ListEntry): Finding {
  return entry.action === 'allow'
    ? { reason: `ALLOWLISTED_${SUFFIX[entry.kind]}`, weight: 0, action: 'allow' }
    : { reason: `BLOCKLISTED_${SUFFIX[entry.kind]}`, weight: 100, action: 'block' };
}
