import { Command } from 'commander';
import { registerAdminKeys } from './admin-keys-command';
import { registerAudit } from './audit-command';
import { registerFeed } from './feed-command';
import { registerLists } from './lists-command';
import { registerReplay } from './replay-command';
import { registerSim } from './sim-commands';
import { registerTenants } from './tenants-command';

const program = new Command('sms-shield').description('SMS Shield command-line tools').version('0.1.0');
registerReplay(program);
registerLists(program);
registerSim(program);
registerTenants(program);
registerAdminKeys(program);
registerFeed(program);
registerAudit(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Bad input gets one clear line, not a stack trace.
  console.error(`sms-shield: ${(error as Error).message}`);
  process.exitCode = 1;
}
