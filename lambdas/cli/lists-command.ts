import type { Command } from 'commander';
import { CLI_ENV, request, urlOption, withKey, type ConnectionOptions as Connection } from './http-client';

interface ConnectionOptions extends Connection {
  scope?: string;
}

/**
 * `sms-shield lists …`: manage block and allow lists through the HTTP API (local or deployed).
 * With `--scope` (`global` or `t:<tenant>`) it uses the admin routes and needs an admin key
 * (`--key` or `$SMS_SHIELD_ADMIN_KEY`); without, it manages the lists of the tenant whose key is
 * given (`--key` or `$SMS_SHIELD_KEY`).
 */
export function registerLists(program: Command): void {
  const lists = program.command('lists').description('manage block and allow lists');
  const connection = (cmd: Command) =>
    cmd
      .addOption(urlOption())
      .option('--key <key>', `tenant API key (env: ${CLI_ENV.tenantKey}); with --scope an admin key (env: ${CLI_ENV.adminKey})`)
      .option('--scope <scope>', 'admin: "global" or "t:<tenant id>"');
  /** The key the help line names: a tenant key, or with --scope an admin key; never the other one. */
  const connect = (opts: ConnectionOptions): Connection => {
    const variable = opts.scope ? CLI_ENV.adminKey : CLI_ENV.tenantKey;
    return withKey({ url: opts.url, key: opts.key ?? process.env[variable] }, variable, opts.scope ? 'an admin key (--scope)' : 'a tenant API key');
  };

  connection(lists.command('ls').description('list entries (every page)')).action(async (opts: ConnectionOptions) => {
    let printed = 0;
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ ...(opts.scope ? { scope: opts.scope } : {}), limit: '500', ...(cursor ? { cursor } : {}) });
      const body = (await request(connect(opts), 'GET', `${opts.scope ? '/v1/admin/lists' : '/v1/lists'}?${query}`)) as {
        entries: Record<string, string>[];
        nextCursor?: string;
      };
      for (const e of body.entries) {
        console.log([e.action, e.kind, e.value, e.reason ? `"${e.reason}"` : '', e.expiresAt ? `until ${e.expiresAt}` : ''].filter(Boolean).join('  '));
      }
      printed += body.entries.length;
      cursor = body.nextCursor;
    } while (cursor);
    if (printed === 0) console.log('(no entries)');
  });

  connection(lists.command('add').description('add a block or allow entry'))
    .requiredOption('--kind <kind>', 'number | prefix | ip | cidr | device | asn | country')
    .requiredOption('--value <value>', 'the number, prefix, address, range, device id, AS number or country')
    .option('--action <action>', 'block or allow', 'block')
    .option('--reason <text>', 'why (shown to admins)')
    .option('--ttl <seconds>', 'expire after this many seconds', (v) => Number(v))
    .action(async (opts: ConnectionOptions & { kind: string; value: string; action: string; reason?: string; ttl?: number }) => {
      const entry = { kind: opts.kind, value: opts.value, action: opts.action, reason: opts.reason, ttlSeconds: opts.ttl };
      const path = opts.scope ? '/v1/admin/lists' : '/v1/lists';
      const added = (await request(connect(opts), 'POST', path, opts.scope ? { scope: opts.scope, ...entry } : entry)) as Record<string, string>;
      console.log(`added: ${added.action} ${added.kind} ${added.value} (${added.scope})`);
    });

  connection(lists.command('rm').description('remove an entry'))
    .requiredOption('--kind <kind>', 'entry kind')
    .requiredOption('--value <value>', 'entry value, as when it was added')
    .action(async (opts: ConnectionOptions & { kind: string; value: string }) => {
      const query = new URLSearchParams({ kind: opts.kind, value: opts.value, ...(opts.scope ? { scope: opts.scope } : {}) });
      await request(connect(opts), 'DELETE', `${opts.scope ? '/v1/admin/lists' : '/v1/lists'}?${query}`);
      console.log('removed');
    });
}
