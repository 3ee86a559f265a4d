import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core. `.ci/run` installs it, so CI always runs the
 * browser tests (a missing binary fails there); elsewhere they are skipped with a message.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Call at module level of a browser test file: fails in CI without Chromium, warns elsewhere. */
export function requireChromium(what: string): void {
  if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package`);
  if (!hasChromium) console.warn(`SKIPPED ${what}: ${CHROMIUM} is missing (apt-get install chromium)`);
}

/** Headless Chromium with the repo's flags (extra `args` are appended). */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 20_000, ...options, args: [...ARGS, ...(options.args ?? [])] });
}
