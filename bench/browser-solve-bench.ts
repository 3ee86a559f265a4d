/**
 * Median proof-of-work solve time per level in Debian's Chromium, as the SDK solves it on the
 * demo page (Web Workers, one per core): what a person waits. Run with
 * `npx tsx bench/browser-solve-bench.ts [samples per level]`; needs `/usr/bin/chromium`.
 * Bounded: at most 4 levels × the sample count (default 5, at most 20) solves.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startLocalServer } from '../lambdas/local/server';

const CHROMIUM = '/usr/bin/chromium';
const samples = Math.min(20, Math.max(1, Number(process.argv[2] ?? 5) || 5));
const levels = [1, 2, 3, 4];

interface PageGlobals {
  location: { origin: string };
  navigator: { hardwareConcurrency: number };
  SmsShield: { protect(options: { endpoint: string; tenant: string; level?: number }): Promise<{ solveMs: number }> };
}

if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing (apt-get install chromium)`);
  process.exit(1);
}
const dir = await mkdtemp(join(tmpdir(), 'sms-shield-solve-'));
const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const server = await startLocalServer({ port: 0, dataDir: dir, logger });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}/demo`);
  const cores = await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.hardwareConcurrency);
  console.log(`| level | median solve ms (Chromium ${browser.version()}, ${cores} workers, n=${samples}) |\n| --- | ---: |`);
  for (const level of levels) {
    const times = await page
      .evaluate(
        async ({ level, samples }) => {
          const { location, SmsShield } = globalThis as unknown as PageGlobals;
          const out: number[] = [];
          for (let i = 0; i < samples; i++) out.push((await SmsShield.protect({ endpoint: location.origin, tenant: 'demo', level })).solveMs);
          return out;
        },
        { level, samples },
      )
      .catch((error: Error) => error);
    if (times instanceof Error) {
      console.log(`| ${level} | not solved: ${times.message.split('\n')[0]} |`);
      continue;
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`| ${level} | ${sorted[Math.floor(sorted.length / 2)]} |`);
  }
} finally {
  await browser.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
