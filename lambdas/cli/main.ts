import { Command } from 'commander';

const program = new Command('sms-shield').description('SMS Shield command-line tools').version('0.1.0');
await program.parseAsync(process.argv);
