/**
 * The README's screenshots, taken in Debian's Chromium (driven by playwright-core):
 *
 * - `docs/img/replay-report.png`: the `replay --report` page of a simulated dataset (seed 1, two days);
 * - `docs/img/demo.png`: the local server's `/demo` page after one send.
 *
 *   npx tsx scripts/screenshots.ts [--chromium /usr/bin/chromium]
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { loadGeoLookup } from '../lambdas/adapters/geo/geo-lookup';
import { jointDefenseJob } from '../lambdas/joint-defense/job';
import { startLocalServer } from '../lambdas/local/server';
import { replay } from '../lambdas/replay/replay';
import { REASON_DESCRIPTIONS } from '../lambdas/engine/reason-descriptions';
import type { ReasonCode } from '../lambdas/domain/reasons';
import { renderReportHtml } from '../lambdas/replay/report-html';
import { ReportStats } from '../lambdas/replay/report-stats';
import type { ServiceLogger } from '../lambdas/service/shield-service';
import { formatSimLine, simulateLines, type SimulateOptions } from '../lambdas/sim/simulate';

const OUT_DIR = new URL('../docs/img/', import.meta.url);
const VIEWPORT = { width: 1200, height: 900 };
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PERSON_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SIMULATION: SimulateOptions = { seed: 1, days: 2 };
const quiet: ServiceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function main(): Promise<void> {
  const flag = process.argv.indexOf('--chromium');
  const executablePath = flag > 0 ? process.argv[flag + 1] : '/usr/bin/chromium';
  await mkdir(OUT_DIR, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'sms-shield-screenshots-'));
  // A person's browser, not a flagged automated one: the demo should show a normal visitor's flow.
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    timeout: 20_000,
    ignoreDefaultArgs: ['--enable-automation'],
    args: [...ARGS, '--disable-blink-features=AutomationControlled'],
  });
  try {
    await reportScreenshot(browser, work);
    await demoScreenshot(browser, work);
  } finally {
    await browser.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** Simulate, replay with report statistics, render the page and screenshot it. */
async function reportScreenshot(browser: Browser, work: string): Promise<void> {
  const input = Readable.from(
    (function* () {
      for (const line of simulateLines(SIMULATION)) yield `${formatSimLine(line)}\n`;
    })(),
  );
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const report = new ReportStats();
  console.log(`replaying a simulated dataset (seed ${SIMULATION.seed}, ${SIMULATION.days} days)…`);
  const summary = await replay(input, discard, {
    geo: await loadGeoLookup(),
    report,
    jobs: (_engine, stores) => [jointDefenseJob(stores)],
  });
  const html = renderReportHtml(summary, report.result(), {
    source: `simulated, seed ${SIMULATION.seed}`,
    describeReason: (code) => REASON_DESCRIPTIONS[code as ReasonCode],
  });
  const file = join(work, 'report.html');
  await writeFile(file, html);
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(pathToFileURL(file).href);
  await save(await page.screenshot({ fullPage: true }), 'replay-report.png');
  await page.close();
}

/** The local server's demo page after one send from a person's browser. */
async function demoScreenshot(browser: Browser, work: string): Promise<void> {
  const server = await startLocalServer({ port: 0, dataDir: join(work, 'local'), logger: quiet, print: () => undefined });
  try {
    const context = await browser.newContext({ viewport: { width: 960, height: 760 }, userAgent: PERSON_UA });
    const page = await context.newPage();
    await page.goto(`${server.url}/demo`);
    await page.fill('#phone', '+44 7400 123456');
    await page.click('#send');
    await page.waitForSelector('body[data-status]', { timeout: 60_000 });
    await save(await page.screenshot(), 'demo.png');
    await context.close();
  } finally {
    await server.close();
  }
}

async function save(png: Buffer, name: string): Promise<void> {
  const url = new URL(name, OUT_DIR);
  await writeFile(url, png);
  console.log(`wrote docs/img/${name} (${Math.round((await stat(url)).size / 1024)} KB)`);
}

await main();
