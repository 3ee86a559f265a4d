import { readFile, writeFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { type Command, Option } from 'commander';
import {
  allianceKeys,
  FEED_FORMAT,
  generateIssuerKey,
  ISSUER_PATTERN,
  loadIssuerKey,
  parseMembers,
  publicKeyText,
  signFeed,
  verifyFeed,
  type Feed,
  type FeedMembers,
  type Indicator,
  type UnsignedFeed,
} from '../joint-defense/feed';
import type { ReputationView } from '../service/reputation-admin';
import { MAX_IMPORT_BATCH } from '../service/reputation-admin';
import { adminKeyOption, CLI_ENV, request, urlOption, withKey, type ConnectionOptions } from './http-client';

export interface FeedExportOptions extends ConnectionOptions {
  /** The alliance secret (`--alliance-key` or `$SMS_SHIELD_ALLIANCE_KEY`). */
  readonly allianceKey: string;
  /** Name this deployment signs as. */
  readonly issuer: string;
  /** This deployment's own Ed25519 private key (`feed keygen`), from {@link loadIssuerKey}. */
  readonly signingKey: KeyObject;
  /** When given, the export is refused unless it lists `issuer` with the public half of `signingKey`. */
  readonly members?: FeedMembers;
  /** Leave out indicators below this confidence. @default 0.5 */
  readonly minConfidence?: number;
  readonly nowMs?: number;
}

/**
 * Build a signed feed of this deployment's own shared reputation: the indicators are already
 * hashed with the alliance's indicator key (the deployment runs with the same alliance key;
 * the key ids must agree), so no number, address or device leaves in plain text. Signed with
 * the issuer's own key, and MACed with the alliance's membership key.
 */
export async function exportFeed(opts: FeedExportOptions): Promise<Feed> {
  if (!ISSUER_PATTERN.test(opts.issuer)) throw new Error('--issuer must be 2–63 lowercase letters, digits or dashes');
  if (opts.members) {
    const listed = opts.members.get(opts.issuer);
    if (!listed) throw new Error(`the members file does not list ${opts.issuer}: partners would refuse the feed`);
    const own = publicKeyText(opts.signingKey);
    if (!listed.some((key) => publicKeyText(key) === own)) {
      throw new Error(`the members file lists another key for ${opts.issuer}: partners would refuse a feed signed with this one`);
    }
  }
  const keys = allianceKeys(opts.allianceKey);
  const { keyId, indicators } = (await request(opts, 'GET', '/v1/admin/reputation?source=local')) as { keyId: string; indicators: ReputationView[] };
  if (keyId !== keys.keyId) {
    throw new Error(`the deployment hashes reputation with key ${keyId}, not this alliance's ${keys.keyId}: start it with the same alliance key`);
  }
  const min = opts.minConfidence ?? 0.5;
  const shared: Indicator[] = indicators
    .filter((i) => i.confidence >= min)
    .map(({ kind, value, reason, confidence, evidence, expiresAt }) => ({ kind, value, reason, confidence, evidence, expiresAt }));
  const unsigned: UnsignedFeed = {
    format: FEED_FORMAT,
    issuer: opts.issuer,
    keyId: keys.keyId,
    issuedAt: new Date(opts.nowMs ?? Date.now()).toISOString(),
    indicators: shared,
  };
  return signFeed(unsigned, keys, opts.signingKey);
}

export interface FeedImportOptions extends ConnectionOptions {
  readonly allianceKey: string;
  /** The alliance's members and their public keys (`--members FILE`). */
  readonly members: FeedMembers;
  /** How much the partner is trusted: each indicator's confidence is multiplied by it. @default 0.8 */
  readonly trust?: number;
  readonly nowMs?: number;
}

/**
 * Verify a partner's feed (alliance MAC, the issuer's own signature against the members file,
 * alliance key id, shape, age) and merge its live indicators into this deployment's shared
 * reputation. Nothing is sent before the whole feed has verified.
 */
export async function importFeed(
  raw: unknown,
  opts: FeedImportOptions,
): Promise<{ issuer: string; indicators: number; merged: number; unchanged: number; expired: number }> {
  const trust = opts.trust ?? 0.8;
  if (!(trust > 0 && trust <= 1)) throw new Error('--trust must be in (0, 1]');
  const keys = allianceKeys(opts.allianceKey);
  const feed = verifyFeed(raw, keys, opts.members, { nowMs: opts.nowMs ?? Date.now() });
  const indicators = feed.indicators.map((i) => ({ ...i, confidence: Math.round(i.confidence * trust * 100) / 100 }));
  const totals = { merged: 0, unchanged: 0, expired: 0 };
  for (let i = 0; i < indicators.length; i += MAX_IMPORT_BATCH) {
    const chunk = indicators.slice(i, i + MAX_IMPORT_BATCH);
    const result = (await request(opts, 'POST', '/v1/admin/reputation', {
      keyId: feed.keyId,
      source: `feed:${feed.issuer}`,
      indicators: chunk,
    })) as typeof totals;
    totals.merged += result.merged;
    totals.unchanged += result.unchanged;
    totals.expired += result.expired;
  }
  return { issuer: feed.issuer, indicators: indicators.length, ...totals };
}

/**
 * A file's text parsed as JSON. The error never quotes the content (JSON.parse's message does):
 * the file may be a private key passed in the wrong place.
 */
async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new Error(`${file}: this is a private key, not ${what}; only --signing-key of feed export reads it, and it is never shared`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${file}: not valid JSON (${what} expected)`);
  }
}

/** The members file (`--members` or `$SMS_SHIELD_FEED_MEMBERS`). */
async function readMembers(file: string): Promise<FeedMembers> {
  const raw = await readJson(file, 'a members file');
  try {
    return parseMembers(raw);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

/** The issuer's private key file (`--signing-key` or `$SMS_SHIELD_FEED_SIGNING_KEY`). */
async function readSigningKey(file: string): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot read the signing key (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return loadIssuerKey(pem);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

/** `sms-shield feed keygen|export|import`: share hashed indicators with partner deployments. */
export function registerFeed(program: Command): void {
  const feed = program.command('feed').description('share joint-defense reputation with partner deployments (signed, hashed indicators)');
  const connection = (cmd: Command) =>
    cmd.addOption(urlOption()).addOption(adminKeyOption()).addOption(new Option('--alliance-key <secret>', 'the alliance secret').env(CLI_ENV.allianceKey));
  const resolve = <T extends ConnectionOptions & { allianceKey?: string }>(opts: T) => {
    const allianceKey = opts.allianceKey;
    if (!allianceKey) throw new Error(`an alliance key is needed: --alliance-key or $${CLI_ENV.allianceKey}`);
    return { ...opts, ...withKey(opts, CLI_ENV.adminKey, 'an admin key'), allianceKey };
  };
  const needed = (value: string | undefined, what: string) => {
    if (!value) throw new Error(`${what} is needed`);
    return value;
  };

  feed
    .command('keygen')
    .description("create this deployment's feed-signing key pair: the private key stays here, the public key goes into the alliance's members file")
    .requiredOption('--issuer <name>', 'the name this deployment signs feeds as')
    .requiredOption('--out <file>', 'where to write the private key (PEM, mode 600; an existing file is never overwritten)')
    .action(async (opts: { issuer: string; out: string }) => {
      if (!ISSUER_PATTERN.test(opts.issuer)) throw new Error('--issuer must be 2–63 lowercase letters, digits or dashes');
      const { privateKeyPem, publicKey } = generateIssuerKey();
      try {
        await writeFile(opts.out, privateKeyPem, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new Error(code === 'EEXIST' ? `${opts.out} exists: not overwriting a signing key` : `${opts.out}: cannot write (${code ?? 'error'})`);
      }
      console.log(`wrote the private feed-signing key of ${opts.issuer} to ${opts.out}: keep it here, never share it`);
      console.log(`public key, for the alliance's members file: ${JSON.stringify({ [opts.issuer]: publicKey })}`);
    });

  connection(feed.command('export').description("write a signed feed of this deployment's own reputation"))
    .requiredOption('--out <file>', 'where to write the feed (JSON)')
    .requiredOption('--issuer <name>', 'the name this deployment signs as')
    .addOption(new Option('--signing-key <file>', "this deployment's private key from feed keygen").env(CLI_ENV.feedSigningKey))
    .addOption(new Option('--members <file>', "the alliance's members file, to check that it lists this key for --issuer").env(CLI_ENV.feedMembers))
    .option('--min-confidence <n>', 'leave out weaker indicators', (v) => Number(v), 0.5)
    .action(
      async (opts: ConnectionOptions & { out: string; issuer: string; signingKey?: string; members?: string; minConfidence: number; allianceKey?: string }) => {
        const signingKey = await readSigningKey(needed(opts.signingKey, `a signing key: --signing-key or $${CLI_ENV.feedSigningKey}`));
        const members = opts.members ? await readMembers(opts.members) : undefined;
        const signed = await exportFeed({ ...resolve(opts), issuer: opts.issuer, signingKey, members, minConfidence: opts.minConfidence });
        await writeFile(opts.out, `${JSON.stringify(signed, null, 2)}\n`, { mode: 0o600 });
        console.log(`wrote ${signed.indicators.length} indicator(s) signed as ${signed.issuer} to ${opts.out}`);
      },
    );

  connection(feed.command('import').description("verify a partner's feed and merge it into shared reputation"))
    .argument('<file>', 'the feed (JSON)')
    .addOption(new Option('--members <file>', 'the alliance\'s members file { "<issuer>": "<public key>" }').env(CLI_ENV.feedMembers))
    .option('--trust <n>', "multiply the partner's confidence by this (0–1)", (v) => Number(v), 0.8)
    .action(async (file: string, opts: ConnectionOptions & { members?: string; trust: number; allianceKey?: string }) => {
      const members = await readMembers(needed(opts.members, `the members file: --members or $${CLI_ENV.feedMembers}`));
      const raw = await readJson(file, 'a feed');
      const result = await importFeed(raw, { ...resolve(opts), members, trust: opts.trust });
      console.log(`feed of ${result.issuer}: ${result.indicators} live indicator(s), ${result.merged} merged, ${result.unchanged} unchanged`);
    });
}
