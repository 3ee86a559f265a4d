import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { allianceKeys, FEED_FORMAT, signFeed, verifyFeed, type Feed, type Indicator } from '../joint-defense/feed';
import type { ReputationView } from '../service/reputation-admin';
import { MAX_IMPORT_BATCH } from '../service/reputation-admin';
import { request, type ConnectionOptions } from './http-client';

export interface FeedExportOptions extends ConnectionOptions {
  /** The alliance secret (`--alliance-key` or `$SMS_SHIELD_ALLIANCE_KEY`). */
  readonly allianceKey: string;
  /** Name this deployment signs as. */
  readonly issuer: string;
  /** Leave out indicators below this confidence. @default 0.5 */
  readonly minConfidence?: number;
  readonly nowMs?: number;
}

/**
 * Build a signed feed of this deployment's own shared reputation: the indicators are already
 * hashed with the alliance's indicator key (the deployment runs with the same alliance key;
 * the key ids must agree), so no number, address or device leaves in plain text.
 */
export async function exportFeed(opts: FeedExportOptions): Promise<Feed> {
  const keys = allianceKeys(opts.allianceKey);
  const { keyId, indicators } = (await request(opts, 'GET', '/v1/admin/reputation?source=local')) as { keyId: string; indicators: ReputationView[] };
  if (keyId !== keys.keyId) {
    throw new Error(`the deployment hashes reputation with key ${keyId}, not this alliance's ${keys.keyId}: start it with the same alliance key`);
  }
  const min = opts.minConfidence ?? 0.5;
  const shared: Indicator[] = indicators
    .filter((i) => i.confidence >= min)
    .map(({ kind, value, reason, confidence, evidence, expiresAt }) => ({ kind, value, reason, confidence, evidence, expiresAt }));
  return signFeed({ format: FEED_FORMAT, issuer: opts.issuer, keyId: keys.keyId, issuedAt: new Date(opts.nowMs ?? Date.now()).toISOString(), indicators: shared }, keys);
}

export interface FeedImportOptions extends ConnectionOptions {
  readonly allianceKey: string;
  /** How much the partner is trusted: each indicator's confidence is multiplied by it. @default 0.8 */
  readonly trust?: number;
  readonly nowMs?: number;
}

/**
 * Verify a partner's feed (signature, alliance key id, shape, age) and merge its live
 * indicators into this deployment's shared reputation. Nothing is sent before the whole feed
 * has verified.
 */
export async function importFeed(raw: unknown, opts: FeedImportOptions): Promise<{ issuer: string; indicators: number; merged: number; unchanged: number; expired: number }> {
  const keys = allianceKeys(opts.allianceKey);
  const feed = verifyFeed(raw, keys, { nowMs: opts.nowMs ?? Date.now() });
  const trust = opts.trust ?? 0.8;
  if (!(trust > 0 && trust <= 1)) throw new Error('--trust must be in (0, 1]');
  const indicators = feed.indicators.map((i) => ({ ...i, confidence: Math.round(i.confidence * trust * 100) / 100 }));
  const totals = { merged: 0, unchanged: 0, expired: 0 };
  for (let i = 0; i < indicators.length; i += MAX_IMPORT_BATCH) {
    const chunk = indicators.slice(i, i + MAX_IMPORT_BATCH);
    const result = (await request(opts, 'POST', '/v1/admin/reputation', { keyId: feed.keyId, source: `feed:${feed.issuer}`, indicators: chunk })) as typeof totals;
    totals.merged += result.merged;
    totals.unchanged += result.unchanged;
    totals.expired += result.expired;
  }
  return { issuer: feed.issuer, indicators: indicators.length, ...totals };
}

/** `sms-shield feed export|import`: share hashed indicators with partner deployments. */
export function registerFeed(program: Command): void {
  const feed = program.command('feed').description('share joint-defense reputation with partner deployments (signed, hashed indicators)');
  const connection = (cmd: Command) =>
    cmd
      .option('--url <url>', 'SMS Shield base URL', process.env.SMS_SHIELD_URL ?? 'http://127.0.0.1:8787')
      .option('--key <key>', 'admin key; default $SMS_SHIELD_ADMIN_KEY')
      .option('--alliance-key <secret>', 'the alliance secret; default $SMS_SHIELD_ALLIANCE_KEY');
  const resolve = <T extends { key?: string; allianceKey?: string }>(opts: T) => {
    const allianceKey = opts.allianceKey ?? process.env.SMS_SHIELD_ALLIANCE_KEY;
    if (!allianceKey) throw new Error('an alliance key is needed: --alliance-key or $SMS_SHIELD_ALLIANCE_KEY');
    return { ...opts, key: opts.key ?? process.env.SMS_SHIELD_ADMIN_KEY, allianceKey };
  };

  connection(feed.command('export').description("write a signed feed of this deployment's own reputation"))
    .requiredOption('--out <file>', 'where to write the feed (JSON)')
    .requiredOption('--issuer <name>', 'the name this deployment signs as')
    .option('--min-confidence <n>', 'leave out weaker indicators', (v) => Number(v), 0.5)
    .action(async (opts: ConnectionOptions & { out: string; issuer: string; minConfidence: number; allianceKey?: string }) => {
      const signed = await exportFeed({ ...resolve(opts), issuer: opts.issuer, minConfidence: opts.minConfidence });
      await writeFile(opts.out, `${JSON.stringify(signed, null, 2)}\n`, { mode: 0o600 });
      console.log(`wrote ${signed.indicators.length} indicator(s) signed as ${signed.issuer} to ${opts.out}`);
    });

  connection(feed.command('import').description("verify a partner's feed and merge it into shared reputation"))
    .argument('<file>', 'the feed (JSON)')
    .option('--trust <n>', "multiply the partner's confidence by this (0–1)", (v) => Number(v), 0.8)
    .action(async (file: string, opts: ConnectionOptions & { trust: number; allianceKey?: string }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new Error(`${file}: ${(error as Error).message}`);
      }
      const result = await importFeed(raw, { ...resolve(opts), trust: opts.trust });
      console.log(`feed of ${result.issuer}: ${result.indicators} live indicator(s), ${result.merged} merged, ${result.unchanged} unchanged`);
    });
}
