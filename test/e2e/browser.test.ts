import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, LaunchOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT, startLocalServer, type LocalServer } from '../../lambdas/local/server';
import type { ServiceLogger } from '../../lambdas/service/shield-service';
import { hasChromium, launchChromium, requireChromium } from '../support/chromium';

/**
 * The whole flow in a real browser (Debian's Chromium, driven by playwright-core): the demo
 * page loads the SDK, solves the challenge in Web Workers, gets a device token, and its
 * backend sends the SMS into the outbox. `.ci/run` installs Chromium, so CI always runs this;
 * a machine without it skips with a message.
 */
requireChromium('the real-browser tests');

const PERSON_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/**
 * What the page functions below use in the browser. The project's type check has no DOM
 * library (it is Node code), so they name these through `globalThis`.
 */
interface PageGlobals {
  document: {
    body: { dataset: Record<string, string | undefined> };
    getElementById(id: string): { textContent: string | null } | null;
  };
  location: { origin: string };
  navigator: { hardwareConcurrency: number };
  SmsShield: { protect(options: { endpoint: string; tenant: string; level?: number }): Promise<{ solveMs: number }> };
}

const logger: ServiceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

let server: LocalServer;
let dir: string;
const browsers: Browser[] = [];

async function launch(options: LaunchOptions = {}): Promise<Browser> {
  const browser = await launchChromium(options);
  browsers.push(browser);
  return browser;
}

/** Type a number into the demo page, press the button and read what the page shows. */
async function sendFromDemo(page: Page, phone: string) {
  await page.goto(`${server.url}/demo`);
  await page.fill('#phone', phone);
  await page.click('#send');
  await page.waitForSelector('body[data-status]', { timeout: 30_000 });
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return {
      status: document.body.dataset.status,
      level: Number(document.body.dataset.level),
      solveMs: Number(document.body.dataset.solveMs),
      text: document.getElementById('status')?.textContent ?? '',
      result: JSON.parse(document.getElementById('result')?.textContent || '{}') as { sent?: boolean; verdict?: { decision: string; reasons: string[] } },
    };
  });
}

describe.skipIf(!hasChromium)('demo page in Chromium', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sms-shield-browser-'));
    // Real difficulty levels: the solve times printed below are what people would wait.
    server = await startLocalServer({ port: 0, dataDir: dir, logger });
    // A policy a real deployment sets: every sign-up pays a proof of work (register challenges at score 0).
    const demo = await server.tenantStore.getTenant(DEMO_TENANT);
    await server.tenantStore.putTenant({ ...demo!, policy: { scenarios: { register: { challengeAt: 0 } } } });
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close().catch(() => undefined);
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gets 428 for the same request from a plain HTTP client without a solution', async () => {
    const res = await fetch(`${server.url}/demo/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': PERSON_UA },
      body: JSON.stringify({ phone: '+44 7400 123456' }),
    });
    expect(res.status).toBe(428);
    expect(((await res.json()) as { verdict: { reasons: string[] } }).verdict.reasons[0]).toBe('CHALLENGE_REQUIRED');
    expect(server.outbox.list(DEMO_TENANT)).toHaveLength(0);
  });

  it('completes the flow in a browser a person would use: challenge solved, device token, SMS in the outbox', async () => {
    // No automation flag, an ordinary user agent: what the shield sees from a real visitor.
    const browser = await launch({ ignoreDefaultArgs: ['--enable-automation'], args: ['--disable-blink-features=AutomationControlled'] });
    const page = await (await browser.newContext({ userAgent: PERSON_UA })).newPage();
    const shown = await sendFromDemo(page, '+44 7400 123456');
    expect(shown, shown.text).toMatchObject({ status: '200', level: 1, result: { sent: true, verdict: { decision: 'allow' } } });
    expect(shown.result.verdict?.reasons ?? []).not.toContain('AUTOMATION_MARKERS');
    const outbox = server.outbox.list(DEMO_TENANT);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ to: '+44 74** ***456' });
    expect(outbox[0]?.body).toMatch(/^Your SMS Shield demo code is \d{6}$/);
  });

  it('still solves and sends when the shield refuses a new device token (a busy carrier NAT): no token, not no code', async () => {
    const browser = await launch({ ignoreDefaultArgs: ['--enable-automation'], args: ['--disable-blink-features=AutomationControlled'] });
    const page = await (await browser.newContext({ userAgent: PERSON_UA })).newPage();
    await page.route('**/v1/device', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'retry-after': '600', 'access-control-allow-origin': '*' },
        contentType: 'application/json',
        body: '{"error":{"code":"DEVICE_MINT_LIMITED"}}',
      }),
    );
    const before = server.outbox.list(DEMO_TENANT).length;
    const shown = await sendFromDemo(page, '+44 7400 223344');
    expect(shown, shown.text).toMatchObject({ status: '200', result: { sent: true } });
    expect(shown.result.verdict?.reasons).toContain('MISSING_DEVICE');
    expect(server.outbox.list(DEMO_TENANT)).toHaveLength(before + 1);
  });

  it('reports an unmasked automated browser: markers in the token, a harder challenge, and a block', async () => {
    const browser = await launch();
    const page = await browser.newPage();
    const before = server.outbox.list(DEMO_TENANT).length;
    const shown = await sendFromDemo(page, '+44 7400 654321');
    expect(shown.level, shown.text).toBeGreaterThanOrEqual(2); // headless user agent: one level up
    expect(shown).toMatchObject({ status: '403', result: { sent: false, verdict: { decision: 'block' } } });
    expect(shown.result.verdict?.reasons).toEqual(expect.arrayContaining(['AUTOMATION_MARKERS', 'HEADLESS_BROWSER']));
    expect(server.outbox.list(DEMO_TENANT)).toHaveLength(before);
  });
});
