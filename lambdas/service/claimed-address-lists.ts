import type { ListEntry, ListKey, ListKind, ListPage, ListPageRequest, ListStore } from '../ports/list-store';

/** The list kinds an address matches (directly, or through its network). */
const ADDRESS_KINDS: ReadonlySet<ListKind> = new Set(['ip', 'cidr', 'asn']);

const trusted = (entry: ListEntry) => !(entry.action === 'allow' && ADDRESS_KINDS.has(entry.kind));

/**
 * The lists as seen by a caller whose end-user address is a claim, not an observation (the
 * Cognito sender reads it from `clientMetadata`, which whoever calls Cognito writes): block
 * entries of an address still count, allow entries of an address (ip, cidr, asn) are never
 * seen, so nobody gets an allow by naming the office's address. Other kinds pass unchanged.
 */
export function withClaimedAddresses(store: ListStore): ListStore {
  return {
    getMany: async (keys: readonly ListKey[], nowSeconds: number) => (await store.getMany(keys, nowSeconds)).filter(trusted),
    listKinds: async (scope: string, kinds: readonly ListKind[], nowSeconds: number) => (await store.listKinds(scope, kinds, nowSeconds)).filter(trusted),
    put: (entry: ListEntry) => store.put(entry),
    remove: (key: ListKey) => store.remove(key),
    listScope: (scope: string, nowSeconds: number) => store.listScope(scope, nowSeconds),
    listScopePage: (scope: string, nowSeconds: number, page: ListPageRequest): Promise<ListPage> => store.listScopePage(scope, nowSeconds, page),
    countScope: (scope: string, nowSeconds: number, atMost: number) => store.countScope(scope, nowSeconds, atMost),
  };
}
