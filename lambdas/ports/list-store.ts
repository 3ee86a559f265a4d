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
  /** All entries of one scope, for admin listing. */
  listScope(scope: string, nowSeconds: number): Promise<ListEntry[]>;
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
