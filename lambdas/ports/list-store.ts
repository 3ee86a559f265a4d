/** What a list entry does to a matching request. */
export type ListAction = 'block' | 'allow';

/** Kinds of value a list entry can match. */
export const LIST_KINDS = ['number', 'prefix', 'ip', 'cidr', 'device', 'asn', 'country'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** A block or allow entry, per tenant (`scope` = `t:<tenant>`) or for everyone (`scope` = `global`). */
export interface ListEntry {
  readonly scope: string;
  readonly kind: ListKind;
  /** Stored form of the value: numbers and devices are keyed by their HMAC, never in plain text. */
  readonly value: string;
  readonly action: ListAction;
  readonly reason?: string;
  /** Masked or otherwise display-safe form of the value, for admins. */
  readonly display?: string;
  readonly createdAt: number;
  /** Epoch seconds; absent means the entry never expires. */
  readonly expiresAt?: number;
  /** Shared reputation: how many events support the entry (attempts, sends, bad verdicts). */
  readonly evidence?: number;
  /** Shared reputation: 0–1; below 0.5 rules only score the entry, they never block on it. */
  readonly confidence?: number;
  /** Shared reputation: `local` (this deployment's job) or `feed:<issuer>` (imported). */
  readonly source?: string;
}

/** Lists and shared reputation, read by exact key. */
export interface ListStore {
  /** Reads many entries at once (one request where the backend allows it). Expired entries are left out. */
  getMany(keys: readonly ListKey[], nowSeconds: number): Promise<ListEntry[]>;
  put(entry: ListEntry): Promise<void>;
  remove(key: ListKey): Promise<void>;
  /** All live entries of one scope, in key order (shared reputation export; small scopes only). */
  listScope(scope: string, nowSeconds: number): Promise<ListEntry[]>;
  /**
   * One page of the live entries of a scope, in key order, for admin listing: at most `limit`
   * entries after `cursor` (the `cursor` of the previous page). The last page has no cursor; a
   * page may hold fewer than `limit` entries (even none) and still have one. Throws
   * `InvalidListCursorError` for a cursor that does not name a key of this scope.
   */
  listScopePage(scope: string, nowSeconds: number, page: ListPageRequest): Promise<ListPage>;
  /**
   * How many live entries the scope holds, counting no further than `atMost`: the count, or
   * `atMost` when there are at least that many. Bounded work whatever the scope's size.
   */
  countScope(scope: string, nowSeconds: number, atMost: number): Promise<number>;
  /** Entries of the given kinds in one scope (one query per kind), for the engine's rule cache. */
  listKinds(scope: string, kinds: readonly ListKind[], nowSeconds: number): Promise<ListEntry[]>;
}

export interface ListKey {
  readonly scope: string;
  readonly kind: ListKind;
  readonly value: string;
}

export function listKeyId(key: ListKey): string {
  return `${key.scope}#${key.kind}#${key.value}`;
}

export interface ListPageRequest {
  /** At most this many entries (≥ 1). */
  readonly limit: number;
  /** Where the previous page ended; absent for the first page. */
  readonly cursor?: string;
}

export interface ListPage {
  readonly entries: ListEntry[];
  /** Pass it back for the next page; absent on the last page. */
  readonly cursor?: string;
}

/** A page cursor that is malformed or names a key outside the scope asked for. */
export class InvalidListCursorError extends Error {
  override readonly name = 'InvalidListCursorError';
  constructor() {
    super('Invalid list cursor');
  }
}

/** Longest cursor accepted: a key id is a scope (≤ 65), a kind and a value (≤ 128 characters). */
const MAX_CURSOR_LENGTH = 512;

/**
 * A page cursor: the key id of the last entry read, base64url. Both adapters read a scope in key
 * order (DynamoDB's `byScope` index sorts by `pk`, which is the key id), so a cursor means the
 * same everywhere: "go on after this key".
 */
export function encodeListCursor(keyId: string): string {
  return Buffer.from(keyId, 'utf8').toString('base64url');
}

/**
 * The key id a cursor names, checked to be a key of `scope` (`<scope>#<kind>#…`) in canonical
 * base64url, so a cursor cannot start a read in another scope or carry anything else.
 */
export function decodeListCursor(scope: string, cursor: string): string {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidListCursorError();
  const keyId = Buffer.from(cursor, 'base64url').toString('utf8');
  if (encodeListCursor(keyId) !== cursor) throw new InvalidListCursorError();
  const prefix = `${scope}#`;
  if (!keyId.startsWith(prefix)) throw new InvalidListCursorError();
  const kindEnd = keyId.indexOf('#', prefix.length);
  if (kindEnd < 0 || !(LIST_KINDS as readonly string[]).includes(keyId.slice(prefix.length, kindEnd))) throw new InvalidListCursorError();
  return keyId;
}
