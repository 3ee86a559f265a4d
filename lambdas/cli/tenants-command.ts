import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { hashApiKey } from '../service/api-keys';
import { adminKeyOption, CLI_ENV, request, urlOption, withKey, type ConnectionOptions } from './http-client';

/**
 * `sms-shield tenants …`: create tenants, issue, rotate and revoke their API keys, and set their
 * policies through the admin API (local or deployed). Needs an admin key (`--key` or
 * `$SMS_SHIELD_ADMIN_KEY`).
 */
export function registerTenants(program: Command): void {
  const tenants = program.command('tenants').description('manage tenants, their API keys and policies (admin key)');
  const connection = (cmd: Command) =>
    cmd.addOption(urlOption()).addOption(adminKeyOption()).requiredOption('--id <tenant>', 'tenant id (2–63 lowercase letters, digits or dashes)');
  const admin = (opts: ConnectionOptions): ConnectionOptions => withKey(opts, CLI_ENV.adminKey, 'an admin key');
  const path = (id: string, rest = '') => `/v1/admin/tenants/${encodeURIComponent(id)}${rest}`;

  connection(tenants.command('create').description('create a tenant and its first API key (shown once)'))
    .option('--name <name>', 'display name')
    .option('--policy <file>', 'JSON file with policy overrides')
    .action(async (opts: ConnectionOptions & { id: string; name?: string; policy?: string }) => {
      const policy = opts.policy ? await readJson(opts.policy) : undefined;
      const created = (await request(admin(opts), 'POST', '/v1/admin/tenants', { id: opts.id, name: opts.name, policy })) as KeyAnswer & {
        tenant: { id: string };
      };
      console.log(`created tenant ${created.tenant.id}`);
      printKey(created);
    });

  connection(tenants.command('show').description('show a tenant and its policy overrides')).action(async (opts: ConnectionOptions & { id: string }) => {
    console.log(JSON.stringify(await request(admin(opts), 'GET', path(opts.id)), null, 2));
  });

  connection(tenants.command('keys').description("list the tenant's API keys: ids and dates, never a key")).action(
    async (opts: ConnectionOptions & { id: string }) => {
      printKeyList((await request(admin(opts), 'GET', path(opts.id, '/keys'))) as KeyList);
    },
  );

  connection(tenants.command('rotate-key').description('issue a new API key (shown once), optionally revoking an old one'))
    .option('--revoke <key>', 'the old API key, or its key id, to revoke once the new key is stored')
    .action(async (opts: ConnectionOptions & { id: string; revoke?: string }) => {
      const body = opts.revoke ? { revokeKeyId: keyIdOf(opts.revoke) } : {};
      const issued = (await request(admin(opts), 'POST', path(opts.id, '/keys'), body)) as KeyAnswer & { revokedKeyId?: string };
      printKey(issued);
      if (issued.revokedKeyId) console.log(`revoked key ${issued.revokedKeyId}`);
    });

  connection(tenants.command('revoke-key').description('revoke an API key of the tenant (stops working within 30 s)'))
    .requiredOption('--revoke <key>', 'the API key, or its key id')
    .action(async (opts: ConnectionOptions & { id: string; revoke: string }) => {
      const revoked = (await request(admin(opts), 'DELETE', path(opts.id, `/keys/${keyIdOf(opts.revoke)}`))) as { revokedKeyId: string };
      console.log(`revoked key ${revoked.revokedKeyId}`);
    });

  connection(tenants.command('set-policy').description("replace the tenant's policy overrides"))
    .requiredOption('--file <file>', 'JSON file with policy overrides (see README, Policies and tuning)')
    .action(async (opts: ConnectionOptions & { id: string; file: string }) => {
      const updated = await request(admin(opts), 'PUT', path(opts.id, '/policy'), await readJson(opts.file));
      console.log(JSON.stringify(updated, null, 2));
    });

  // The secret is read from a file (or stdin), never from the command line, where history and ps would keep it.
  connection(tenants.command('set-supabase-hook').description("set or rotate the secret of the tenant's Supabase Send SMS hook"))
    .requiredOption('--secret-file <file>', 'file holding the secret as Supabase shows it (v1,whsec_…); - reads stdin')
    .option('--keep-previous', 'keep accepting the secret this one replaces, until the next set (rotation)')
    .option('--code-template <text>', 'SMS text of a code, with {code}')
    .action(async (opts: ConnectionOptions & { id: string; secretFile: string; keepPrevious?: boolean; codeTemplate?: string }) => {
      const secret = (await readFile(opts.secretFile === '-' ? '/dev/stdin' : opts.secretFile, 'utf8')).trim();
      const body = { secret, ...(opts.keepPrevious && { keepPrevious: true }), ...(opts.codeTemplate !== undefined && { codeTemplate: opts.codeTemplate }) };
      const hook = (await request(admin(opts), 'PUT', path(opts.id, '/hooks/supabase'), body)) as { rotating: boolean };
      console.log(`Supabase hook secret set for tenant ${opts.id}${hook.rotating ? ' (the previous one is still accepted)' : ''}`);
      console.log(`hook URL: <API URL>/v1/hooks/supabase/${encodeURIComponent(opts.id)}/send-sms`);
    });

  connection(tenants.command('clear-supabase-hook').description("clear the secret of the tenant's Supabase Send SMS hook (every delivery is refused)")).action(
    async (opts: ConnectionOptions & { id: string }) => {
      await request(admin(opts), 'DELETE', path(opts.id, '/hooks/supabase'));
      console.log(`Supabase hook secret cleared for tenant ${opts.id}`);
    },
  );
}

export interface KeyAnswer {
  apiKey: string;
  keyId: string;
}

/** A key list as the admin API answers it. */
export interface KeyList {
  keys: { keyId: string; createdAt: string; revokedAt?: string }[];
}

/** One line per key: its id, when it was created and whether it is live or since when revoked. */
export function printKeyList(list: KeyList): void {
  if (list.keys.length === 0) console.log('no keys');
  for (const key of list.keys) console.log(`${key.keyId}  created ${key.createdAt}  ${key.revokedAt ? `revoked ${key.revokedAt}` : 'live'}`);
}

export function printKey(answer: KeyAnswer): void {
  console.log(`API key (shown once, stored only hashed): ${answer.apiKey}`);
  console.log(`key id (to revoke it later): ${answer.keyId}`);
}

/** A key id as is, or the id of a key (its SHA-256): the key itself never leaves this machine. */
export function keyIdOf(keyOrId: string): string {
  return /^[0-9a-f]{64}$/.test(keyOrId) ? keyOrId : hashApiKey(keyOrId);
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}
