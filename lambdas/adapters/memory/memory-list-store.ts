import {
  decodeListCursor,
  encodeListCursor,
  type ListEntry,
  type ListKey,
  type ListKind,
  type ListPage,
  type ListPageRequest,
  type ListStore,
  listKeyId,
} from '../../ports/list-store';

/**
 * In-process lists for replay, local tests and engine tests. Same semantics as `DynamoListStore`:
 * expired entries are invisible, `getMany` returns entries in the order of the (deduplicated) keys,
 * `listScope` and `listScopePage` in key order (the order of the `byScope` index), `listKinds` kind
 * by kind in the order asked, each kind in key order.
 */
export class MemoryListStore implements ListStore {
  private readonly entries = new Map<string, ListEntry>();

  async getMany(keys: readonly ListKey[], nowSeconds: number): Promise<ListEntry[]> {
    const result: ListEntry[] = [];
    // Called on every verdict, and most keys are absent: nothing is built for them.
    if (this.entries.size === 0) return result;
    let found: Set<string> | undefined;
    for (const key of keys) {
      const id = listKeyId(key);
      const entry = this.entries.get(id);
      if (!entry || !isLive(entry, nowSeconds)) continue;
      // A key asked twice is returned once, at its first position.
      if (found?.has(id)) continue;
      (found ??= new Set()).add(id);
      result.push(entry);
    }
    return result;
  }

  async put(entry: ListEntry): Promise<void> {
    this.entries.set(listKeyId(entry), stored(entry));
  }

  async remove(key: ListKey): Promise<void> {
    this.entries.delete(listKeyId(key));
  }

  async listScope(scope: string, nowSeconds: number): Promise<ListEntry[]> {
    return [...this.entries]
      .filter(([, entry]) => entry.scope === scope && isLive(entry, nowSeconds))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, entry]) => entry);
  }

  /** Pages of `listScope` (so a subclass that wraps `listScope`, e.g. to inject faults, wraps pages too). */
  async listScopePage(scope: string, nowSeconds: number, page: ListPageRequest): Promise<ListPage> {
    const after = page.cursor === undefined ? undefined : decodeListCursor(scope, page.cursor);
    const live = await this.listScope(scope, nowSeconds);
    let start = 0;
    if (after !== undefined) while (start < live.length && listKeyId(live[start] as ListEntry) <= after) start++;
    const entries = live.slice(start, start + page.limit);
    const last = entries.at(-1);
    return start + entries.length < live.length && last ? { entries, cursor: encodeListCursor(listKeyId(last)) } : { entries };
  }

  async countScope(scope: string, nowSeconds: number, atMost: number): Promise<number> {
    let count = 0;
    for (const entry of this.entries.values()) {
      if (count >= atMost) break;
      if (entry.scope === scope && isLive(entry, nowSeconds)) count++;
    }
    return count;
  }

  async listKinds(scope: string, kinds: readonly ListKind[], nowSeconds: number): Promise<ListEntry[]> {
    const wanted = new Set(kinds);
    const found = [...this.entries].filter(([, entry]) => entry.scope === scope && wanted.has(entry.kind) && isLive(entry, nowSeconds));
    return [...wanted].flatMap((kind) =>
      found
        .filter(([, entry]) => entry.kind === kind)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, entry]) => entry),
    );
  }

  get size(): number {
    return this.entries.size;
  }
}

function isLive(entry: ListEntry, nowSeconds: number): boolean {
  return entry.expiresAt === undefined || entry.expiresAt > nowSeconds;
}

/** A copy holding only the entry's fields, as a database would return it. */
function stored(entry: ListEntry): ListEntry {
  return {
    scope: entry.scope,
    kind: entry.kind,
    value: entry.value,
    action: entry.action,
    createdAt: entry.createdAt,
    ...(entry.reason !== undefined && { reason: entry.reason }),
    ...(entry.display !== undefined && { display: entry.display }),
    ...(entry.expiresAt !== undefined && { expiresAt: entry.expiresAt }),
    ...(entry.evidence !== undefined && { evidence: entry.evidence }),
    ...(entry.confidence !== undefined && { confidence: entry.confidence }),
    ...(entry.source !== undefined && { source: entry.source }),
  };
}
