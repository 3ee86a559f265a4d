import { Command } from 'commander';
import { vi } from 'vitest';

/** Run one `sms-shield …` command in-process (the real commander wiring) and capture what it prints. */
export async function runCli(register: (program: Command) => void, args: string[]): Promise<string[]> {
  const program = new Command('sms-shield').exitOverride();
  register(program);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void lines.push(parts.join(' ')));
  try {
    await program.parseAsync(['node', 'sms-shield', ...args]);
  } finally {
    log.mockRestore();
  }
  return lines;
}
