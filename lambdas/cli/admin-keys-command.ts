import type { Command } from 'commander';
import { adminKeyOption, CLI_ENV, type ConnectionOptions, request, urlOption, withKey } from './http-client';
import { keyIdOf, type KeyAnswer, type KeyList, printKey, printKeyList } from './tenants-command';

/**
 * `sms-shield admin-keys …`: list, rotate and revoke the admin keys through the admin API (local
 * or deployed). Needs an admin key (`--key` or `$SMS_SHIELD_ADMIN_KEY`). The last live admin key
 * cannot be revoked; when every admin key is lost, a deployed shield issues a fresh one on a
 * bump of the construct's `adminKeyGeneration` (see README).
 */
export function registerAdminKeys(program: Command): void {
  const adminKeys = program.command('admin-keys').description('list, rotate and revoke admin keys (admin key)');
  const connection = (cmd: Command) => cmd.addOption(urlOption()).addOption(adminKeyOption());
  const admin = (opts: ConnectionOptions): ConnectionOptions => withKey(opts, CLI_ENV.adminKey, 'an admin key');

  connection(adminKeys.command('list').description('list the admin keys: ids and dates, never a key')).action(async (opts: ConnectionOptions) => {
    printKeyList((await request(admin(opts), 'GET', '/v1/admin/keys')) as KeyList);
  });

  connection(adminKeys.command('rotate').description('issue a new admin key (shown once), optionally revoking an old one'))
    .option('--revoke <key>', 'the old admin key, or its key id, to revoke once the new key is stored')
    .action(async (opts: ConnectionOptions & { revoke?: string }) => {
      const body = opts.revoke ? { revokeKeyId: keyIdOf(opts.revoke) } : {};
      const issued = (await request(admin(opts), 'POST', '/v1/admin/keys', body)) as KeyAnswer & { revokedKeyId?: string };
      printKey(issued);
      if (issued.revokedKeyId) console.log(`revoked key ${issued.revokedKeyId}`);
      if (issued.revokedKeyId && issued.revokedKeyId === usedKeyId(opts)) console.log('the key this command used is revoked: use the new one from now on');
    });

  connection(adminKeys.command('revoke').description('revoke an admin key (stops working within 30 s); never the last live one'))
    .requiredOption('--revoke <key>', 'the admin key, or its key id')
    .action(async (opts: ConnectionOptions & { revoke: string }) => {
      const revoked = (await request(admin(opts), 'DELETE', `/v1/admin/keys/${keyIdOf(opts.revoke)}`)) as { revokedKeyId: string };
      console.log(`revoked key ${revoked.revokedKeyId}`);
    });
}

/** The id of the admin key the command authenticated with, if any. */
function usedKeyId(opts: ConnectionOptions): string | undefined {
  const key = opts.key ?? process.env.SMS_SHIELD_ADMIN_KEY;
  return key ? keyIdOf(key) : undefined;
}
