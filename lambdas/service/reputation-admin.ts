import * as z from 'zod';
import { REPUTATION_SCOPE } from '../engine/reputation';
import { indicatorSchema, MAX_INDICATOR_TTL_SECONDS, type Indicator } from '../joint-defense/feed';
import type { Clock } from '../ports/clock';
import { type ListEntry, type ListStore, listKeyId } from '../ports/list-store';
import { ShieldError } from '../domain/errors';

/** Indicators per import request: a feed is posted in chunks that fit the API's body limit. */
export const MAX_IMPORT_BATCH = 100;

export const reputationImportSchema = z.strictObject({
  /** Key id the indicators are hashed with; must be this deployment's. */
  keyId: z.string().min(1).max(64),
  /** `feed:<issuer>`: where the indicators come from, kept on each entry. */
  source: z.string().regex(/^feed:[a-z0-9][a-z0-9-]{1,62}$/, 'must be "feed:<issuer>"'),
  indicators: z.array(indicatorSchema).max(MAX_IMPORT_BATCH),
});
export type ReputationImport = z.infer<typeof reputationImportSchema>;

/** An indicator as an admin (and the feed exporter) sees it, with where it came from. */
export type ReputationView = Indicator & { readonly source: string; readonly note?: string };

/**
 * Shared reputation for admins: read what the joint-defense job promoted (to export it to
 * partners) and merge what partners shared. The key id says which key the values are hashed
 * with (the alliance's, when the deployment has one): indicators hashed with another key
 * would never match anything, so they are refused.
 */
export class ReputationAdmin {
  constructor(
    private readonly lists: ListStore,
    private readonly clock: Clock,
    readonly keyId: string,
  ) {}

  /** Live entries, by default only this deployment's own (feeds are never re-shared: no echo between partners). */
  async list(source: 'local' | 'all' = 'local'): Promise<{ keyId: string; indicators: ReputationView[] }> {
    const entries = await this.lists.listScope(REPUTATION_SCOPE, this.nowSeconds());
    const indicators = entries.filter((e) => source === 'all' || e.source === 'local').flatMap((e) => (e.expiresAt === undefined ? [] : [view(e)]));
    return { keyId: this.keyId, indicators };
  }

  /**
   * Merge a partner's indicators. Per key the more confident entry wins; the other one can only
   * extend its expiry. TTLs are capped at 7 days. Returns how many entries were written.
   */
  async merge(input: ReputationImport): Promise<{ merged: number; unchanged: number; expired: number }> {
    if (input.keyId !== this.keyId) {
      throw new ShieldError('KEY_MISMATCH', `These indicators are hashed with key ${input.keyId}; this deployment uses ${this.keyId}`);
    }
    const now = this.nowSeconds();
    const incoming: ListEntry[] = [];
    let expired = 0;
    for (const i of input.indicators) {
      if (i.expiresAt <= now) {
        expired++;
        continue;
      }
      incoming.push({
        scope: REPUTATION_SCOPE,
        kind: i.kind,
        value: i.value,
        action: 'block',
        reason: i.reason,
        display: `${input.source}, evidence ${i.evidence}`,
        evidence: i.evidence,
        confidence: i.confidence,
        source: input.source,
        createdAt: now,
        expiresAt: Math.min(i.expiresAt, now + MAX_INDICATOR_TTL_SECONDS),
      });
    }
    const current = new Map((await this.lists.getMany(incoming, now)).map((e) => [listKeyId(e), e]));
    const writes: ListEntry[] = [];
    for (const next of incoming) {
      const existing = current.get(listKeyId(next));
      const merged = mergeImported(existing, next);
      if (merged) writes.push(merged);
    }
    await Promise.all(writes.map((e) => this.lists.put(e)));
    return { merged: writes.length, unchanged: incoming.length - writes.length, expired };
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }
}

function mergeImported(existing: ListEntry | undefined, next: ListEntry): ListEntry | undefined {
  if (!existing) return next;
  const expiresAt = Math.max(existing.expiresAt ?? 0, next.expiresAt ?? 0);
  if ((next.confidence ?? 0) > (existing.confidence ?? 1)) return { ...next, expiresAt };
  return expiresAt > (existing.expiresAt ?? 0) ? { ...existing, expiresAt } : undefined;
}

function view(e: ListEntry): ReputationView {
  return {
    kind: e.kind,
    value: e.value,
    reason: (e.reason ?? '') as Indicator['reason'],
    confidence: e.confidence ?? 1,
    evidence: e.evidence ?? 0,
    expiresAt: e.expiresAt ?? 0,
    source: e.source ?? 'local',
    ...(e.display !== undefined && { note: e.display }),
  };
}
