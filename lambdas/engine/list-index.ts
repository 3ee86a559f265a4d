import { BlockList } from 'node:net';
import type { ListEntry, ListKind, ListStore } from '../ports/list-store';
import type { IpAddress } from './ip';

/** List kinds matched by rule (prefix, range, AS, country) rather than by exact key. */
export const RULE_KINDS: readonly ListKind[] = ['prefix', 'cidr', 'asn', 'country'];

interface ScopeIndex {
  readonly loadedAt: number;
  readonly prefixes: readonly ListEntry[];
  readonly cidrs: readonly { entry: ListEntry; blocks: BlockList }[];
  readonly byAsn: ReadonlyMap<string, ListEntry>;
  readonly byCountry: ReadonlyMap<string, ListEntry>;
}

/** What a list lookup is matched against. */
export interface ListSubject {
  readonly e164?: string;
  readonly country?: string;
  readonly ip?: IpAddress;
  readonly asn?: number;
}

/**
 * Rule-kind list entries per scope, cached for `ttlMs`: admin lists change rarely and are small,
 * so the verdict path matches them in memory. A stale scope is reloaded inside the verdict's
 * store wave (in parallel with the counters), never as a separate round trip.
 */
export class ListIndex {
  private readonly scopes = new Map<string, ScopeIndex>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly store: ListStore,
    private readonly ttlMs = 30_000,
  ) {}

  /** Promise that refreshes every stale scope (resolves at once when all are fresh). */
  refresh(scopes: readonly string[], nowMs: number): Promise<void> | undefined {
    const pending: Promise<void>[] = [];
    for (const scope of scopes) {
      const index = this.scopes.get(scope);
      if (index && nowMs - index.loadedAt < this.ttlMs) continue;
      let load = this.loading.get(scope);
      if (!load) {
        load = this.load(scope, nowMs).finally(() => this.loading.delete(scope));
        this.loading.set(scope, load);
      }
      pending.push(load);
    }
    return pending.length > 0 ? Promise.all(pending).then(() => undefined) : undefined;
  }

  /** Forget everything, e.g. after an admin change in this process. */
  invalidate(): void {
    this.scopes.clear();
  }

  match(scopes: readonly string[], subject: ListSubject, nowSeconds: number): ListEntry[] {
    const out: ListEntry[] = [];
    const live = (e: ListEntry | undefined): e is ListEntry => e !== undefined && (e.expiresAt === undefined || e.expiresAt > nowSeconds);
    for (const scope of scopes) {
      const index = this.scopes.get(scope);
      if (!index) continue;
      if (subject.e164) for (const e of index.prefixes) if (subject.e164.startsWith(e.value) && live(e)) out.push(e);
      if (subject.ip) {
        const family = subject.ip.family === 4 ? 'ipv4' : 'ipv6';
        for (const { entry, blocks } of index.cidrs) if (live(entry) && blocks.check(subject.ip.address, family)) out.push(entry);
      }
      if (subject.asn !== undefined) {
        const e = index.byAsn.get(String(subject.asn));
        if (live(e)) out.push(e);
      }
      if (subject.country) {
        const e = index.byCountry.get(subject.country);
        if (live(e)) out.push(e);
      }
    }
    return out;
  }

  private async load(scope: string, nowMs: number): Promise<void> {
    const entries = await this.store.listKinds(scope, RULE_KINDS, Math.floor(nowMs / 1000));
    const cidrs: { entry: ListEntry; blocks: BlockList }[] = [];
    for (const entry of entries.filter((e) => e.kind === 'cidr')) {
      const blocks = cidrBlock(entry.value);
      if (blocks) cidrs.push({ entry, blocks });
    }
    this.scopes.set(scope, {
      loadedAt: nowMs,
      prefixes: entries.filter((e) => e.kind === 'prefix'),
      cidrs,
      byAsn: new Map(entries.filter((e) => e.kind === 'asn').map((e) => [e.value, e])),
      byCountry: new Map(entries.filter((e) => e.kind === 'country').map((e) => [e.value, e])),
    });
  }
}

/** A BlockList holding one CIDR; undefined for a malformed value (admin input is validated, stored data may not be). */
export function cidrBlock(value: string): BlockList | undefined {
  const [address, bits] = value.split('/');
  const prefix = Number(bits);
  if (!address || !Number.isInteger(prefix)) return undefined;
  const family = address.includes(':') ? 'ipv6' : 'ipv4';
  try {
    const blocks = new BlockList();
    blocks.addSubnet(address, prefix, family);
    return blocks;
  } catch {
    return undefined;
  }
}
