import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  DeleteItemCommand,
  type DynamoDBClient,
  type KeysAndAttributes,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import {
  decodeListCursor,
  encodeListCursor,
  type ListAction,
  type ListEntry,
  type ListKey,
  type ListKind,
  type ListPage,
  type ListPageRequest,
  type ListStore,
  listKeyId,
} from '../../ports/list-store';

/** DynamoDB caps `BatchGetItem` at 100 keys per request. */
const BATCH_GET_LIMIT = 100;

/**
 * Queries (each ≤ 1 MB) one page may take when expired entries (not yet removed by TTL) make
 * the first answers short: a page may come back short, never unbounded.
 */
const MAX_QUERIES_PER_PAGE = 8;

/** Live entries only: DynamoDB TTL removes expired items up to days late. */
const LIVE_FILTER = 'attribute_not_exists(#exp) OR #exp > :now';

type Item = Record<string, AttributeValue>;

/** Thrown when DynamoDB keeps returning `UnprocessedKeys` after every retry (sustained throttling). */
export class UnprocessedKeysError extends Error {
  override readonly name = 'UnprocessedKeysError';
  constructor(
    readonly tableName: string,
    readonly unprocessed: number,
    attempts: number,
  ) {
    super(`BatchGetItem on ${tableName} left ${unprocessed} key(s) unprocessed after ${attempts} attempts`);
  }
}

export interface DynamoListStoreOptions {
  /** Retries of `UnprocessedKeys` per batch before giving up. @default 4 */
  readonly maxRetries?: number;
  /** First backoff in milliseconds; doubles on each retry (with jitter). @default 20 */
  readonly baseDelayMs?: number;
}

/**
 * Block/allow entries in the Lists table, one item per entry keyed by `listKeyId`.
 * Expired entries are filtered on read: DynamoDB TTL deletes them only eventually (up to days later).
 */
export class DynamoListStore implements ListStore {
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoListStoreOptions = {},
  ) {
    this.maxRetries = options.maxRetries ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 20;
  }

  async getMany(keys: readonly ListKey[], nowSeconds: number): Promise<ListEntry[]> {
    const ids = [...new Set(keys.map(listKeyId))];
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += BATCH_GET_LIMIT) batches.push(ids.slice(i, i + BATCH_GET_LIMIT));
    const found = new Map<string, ListEntry>();
    const results = await Promise.all(batches.map((batch) => this.batchGet(batch)));
    for (const items of results) for (const item of items) found.set(item.pk?.S ?? '', fromItem(item));
    // Input order, so callers and tests see a deterministic result.
    const entries: ListEntry[] = [];
    for (const id of ids) {
      const entry = found.get(id);
      if (entry && isLive(entry, nowSeconds)) entries.push(entry);
    }
    return entries;
  }

  async put(entry: ListEntry): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toItem(entry) }));
  }

  async remove(key: ListKey): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: { pk: { S: listKeyId(key) } } }));
  }

  async listScope(scope: string, nowSeconds: number): Promise<ListEntry[]> {
    return this.queryScope(scope, undefined, nowSeconds);
  }

  /**
   * Live entries after the cursor from the `byScope` index: `Limit` is what the page still
   * lacks (DynamoDB applies it before the expiry filter), so the page ends on the last entry
   * read and `LastEvaluatedKey` is where the next one starts.
   */
  async listScopePage(scope: string, nowSeconds: number, page: ListPageRequest): Promise<ListPage> {
    let startKey: Item | undefined = page.cursor === undefined ? undefined : { scope: { S: scope }, pk: { S: decodeListCursor(scope, page.cursor) } };
    const entries: ListEntry[] = [];
    for (let query = 0; query < MAX_QUERIES_PER_PAGE && entries.length < page.limit; query++) {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byScope',
          KeyConditionExpression: '#s = :s',
          FilterExpression: LIVE_FILTER,
          ExpressionAttributeNames: { '#s': 'scope', '#exp': 'expiresAt' },
          ExpressionAttributeValues: { ':s': { S: scope }, ':now': { N: String(nowSeconds) } },
          Limit: page.limit - entries.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) entries.push(fromItem(item));
      startKey = out.LastEvaluatedKey;
      if (!startKey) break;
    }
    const next = startKey?.pk?.S;
    return next === undefined ? { entries } : { entries, cursor: encodeListCursor(next) };
  }

  /**
   * `Select: 'COUNT'` over the scope with the expiry filter, page by page (each ≤ 1 MB read),
   * stopping as soon as `atMost` live entries were counted.
   */
  async countScope(scope: string, nowSeconds: number, atMost: number): Promise<number> {
    let count = 0;
    let startKey: Item | undefined;
    while (count < atMost) {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byScope',
          KeyConditionExpression: '#s = :s',
          FilterExpression: LIVE_FILTER,
          ExpressionAttributeNames: { '#s': 'scope', '#exp': 'expiresAt' },
          ExpressionAttributeValues: { ':s': { S: scope }, ':now': { N: String(nowSeconds) } },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += out.Count ?? 0;
      startKey = out.LastEvaluatedKey;
      if (!startKey) break;
    }
    return Math.min(count, atMost);
  }

  /** One paginated query per distinct kind, in parallel; kind by kind in the order asked. */
  async listKinds(scope: string, kinds: readonly ListKind[], nowSeconds: number): Promise<ListEntry[]> {
    const pages = await Promise.all([...new Set(kinds)].map((kind) => this.queryScope(scope, kind, nowSeconds)));
    return pages.flat();
  }

  /** Live entries of one scope from the `byScope` index, optionally only those of one kind (`pk` prefix). */
  private async queryScope(scope: string, kind: ListKind | undefined, nowSeconds: number): Promise<ListEntry[]> {
    const entries: ListEntry[] = [];
    const names: Record<string, string> = { '#s': 'scope' };
    const values: Item = { ':s': { S: scope } };
    let condition = '#s = :s';
    if (kind !== undefined) {
      names['#pk'] = 'pk';
      values[':prefix'] = { S: `${scope}#${kind}#` };
      condition += ' AND begins_with(#pk, :prefix)';
    }
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byScope',
          KeyConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const entry = fromItem(item);
        if (isLive(entry, nowSeconds)) entries.push(entry);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return entries;
  }

  /** One `BatchGetItem` for ≤100 ids, retrying only what DynamoDB left unprocessed. */
  private async batchGet(ids: readonly string[]): Promise<Item[]> {
    if (ids.length === 0) return [];
    const items: Item[] = [];
    let request: KeysAndAttributes = { Keys: ids.map((id) => ({ pk: { S: id } })) };
    for (let attempt = 0; ; attempt++) {
      const out: BatchGetItemCommandOutput = await this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: request } }));
      items.push(...(out.Responses?.[this.tableName] ?? []));
      const unprocessed = out.UnprocessedKeys?.[this.tableName];
      const left = unprocessed?.Keys?.length ?? 0;
      if (!unprocessed || left === 0) return items;
      request = unprocessed;
      if (attempt >= this.maxRetries) throw new UnprocessedKeysError(this.tableName, left, attempt + 1);
      const delay = this.baseDelayMs * 2 ** attempt;
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }
}

function isLive(entry: ListEntry, nowSeconds: number): boolean {
  return entry.expiresAt === undefined || entry.expiresAt > nowSeconds;
}

function toItem(entry: ListEntry): Item {
  const item: Item = {
    pk: { S: listKeyId(entry) },
    scope: { S: entry.scope },
    kind: { S: entry.kind },
    value: { S: entry.value },
    action: { S: entry.action },
    createdAt: { N: String(entry.createdAt) },
  };
  if (entry.reason !== undefined) item.reason = { S: entry.reason };
  if (entry.display !== undefined) item.display = { S: entry.display };
  if (entry.expiresAt !== undefined) item.expiresAt = { N: String(entry.expiresAt) };
  if (entry.evidence !== undefined) item.evidence = { N: String(entry.evidence) };
  if (entry.confidence !== undefined) item.confidence = { N: String(entry.confidence) };
  if (entry.source !== undefined) item.source = { S: entry.source };
  return item;
}

function fromItem(item: Item): ListEntry {
  return {
    scope: item.scope?.S ?? '',
    kind: (item.kind?.S ?? '') as ListKind,
    value: item.value?.S ?? '',
    action: (item.action?.S ?? '') as ListAction,
    createdAt: Number(item.createdAt?.N ?? 0),
    ...(item.reason?.S !== undefined && { reason: item.reason.S }),
    ...(item.display?.S !== undefined && { display: item.display.S }),
    ...(item.expiresAt?.N !== undefined && { expiresAt: Number(item.expiresAt.N) }),
    ...(item.evidence?.N !== undefined && { evidence: Number(item.evidence.N) }),
    ...(item.confidence?.N !== undefined && { confidence: Number(item.confidence.N) }),
    ...(item.source?.S !== undefined && { source: item.source.S }),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
