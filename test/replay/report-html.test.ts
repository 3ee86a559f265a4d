import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerReplay } from '../../lambdas/cli/replay-command';
import { parsePhone } from '../../lambdas/engine/phone';
import type { Decision } from '../../lambdas/domain/types';
import { replay, type ReplaySummary } from '../../lambdas/replay/replay';
import { renderReportHtml } from '../../lambdas/replay/report-html';
import { maskRange, ReportStats, type AssessedSend, type DecisionTally, type RankedRows, type ReportData } from '../../lambdas/replay/report-stats';
import { smsPriceUsd } from '../../lambdas/shared/sms-prices';
import { simulateLines } from '../../lambdas/sim/simulate';
import { hasChromium, launchChromium, requireChromium } from '../support/chromium';
import { runCli } from '../support/cli';
import { testGeo } from '../support/engine';
import { sendLine } from '../support/replay-lines';

requireChromium('the report render test');

const send = sendLine;

interface InputSend {
  id: string;
  ts: string;
  tenant: string;
  phone: string;
  country?: string;
}
interface Verdict {
  id: string;
  decision?: Decision;
  reasons?: string[];
}

/** Replay `lines` with report statistics; the verdicts come back by send id. */
async function replayWithReport(lines: Iterable<object | string>, stats = new ReportStats()) {
  const input = Readable.from(
    (function* () {
      for (const l of lines) yield `${typeof l === 'string' ? l : JSON.stringify(l)}\n`;
    })(),
  );
  const output = new PassThrough();
  let text = '';
  output.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const summary = await replay(input, output, { geo: testGeo, report: stats });
  output.end();
  const verdicts = new Map<string, Verdict>();
  for (const line of text.split('\n').filter(Boolean)) {
    const v = JSON.parse(line) as Verdict;
    verdicts.set(v.id, v);
  }
  return { summary, data: stats.result(), verdicts };
}

const sum = (t: Partial<DecisionTally>) => (t.allow ?? 0) + (t.challenge ?? 0) + (t.block ?? 0);
const tableTotal = (t: RankedRows<DecisionTally>) => t.rows.reduce((n, r) => n + sum(r), sum(t.other));

/** What the report should say, worked out the slow way from the input and the verdict lines. */
function expected(sends: readonly InputSend[], verdicts: Map<string, Verdict>, bucketMs: number) {
  const countries = new Map<string, DecisionTally>();
  const ranges = new Map<string, DecisionTally>();
  const tenants = new Map<string, DecisionTally>();
  const buckets = new Map<number, DecisionTally>();
  const reasons = new Map<string, number>();
  let cost = 0;
  const bump = (map: Map<string | number, DecisionTally>, key: string | number, d: Decision) => {
    const row = map.get(key) ?? { allow: 0, challenge: 0, block: 0 };
    row[d]++;
    map.set(key, row);
  };
  for (const s of sends) {
    const v = verdicts.get(s.id);
    if (!v?.decision) continue;
    const phone = parsePhone(s.phone, s.country);
    const country = phone ? (phone.country ?? `+${phone.callingCode}`) : 'invalid';
    bump(countries, country, v.decision);
    bump(tenants, s.tenant, v.decision);
    bump(buckets, Math.floor(Date.parse(s.ts) / bucketMs) * bucketMs, v.decision);
    if (phone?.valid) bump(ranges, maskRange(phone.e164.slice(0, -4), phone.callingCode), v.decision);
    if (v.decision !== 'allow') {
      cost += smsPriceUsd(/^[A-Z]{2}$/.test(country) ? country : undefined);
      for (const r of v.reasons ?? []) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
  }
  return { countries, ranges, tenants, buckets, reasons, cost };
}

describe('report statistics', () => {
  it('counts decisions over time, countries, masked ranges, tenants, reasons and cost avoided', async () => {
    const at = (minutes: number) => new Date(Date.UTC(2026, 10, 2, 10, minutes, 0)).toISOString();
    const lines = [
      send('s1', at(0)),
      send('s2', at(0).replace(':00.000Z', ':10.000Z'), { phone: '07400 123456', country: 'GB' }), // same number: NUMBER_VELOCITY
      send('s3', at(1), { phone: '+44 909 879 0000', tenant: 'bank' }), // premium rate: blocked
      send('s4', at(30), { phone: '+33 6 12 34 56 78', device: 'd-2' }),
      send('s5', at(45), { phone: 'not a number', device: 'd-3' }),
      send('s6', at(90), { phone: '+44 7400 123457', device: 'd-4' }),
      send('s7', at(215), { phone: '+44 7400 123999', device: 'd-5', tenant: 'bank' }),
    ];
    const { summary, data, verdicts } = await replayWithReport(lines);
    expect(summary.sends).toBe(7);
    expect(verdicts.get('s2')).toMatchObject({ decision: 'block', reasons: ['NUMBER_VELOCITY'] });
    expect(verdicts.get('s3')?.reasons).toContain('PREMIUM_RATE_NUMBER');

    // 3 h 35 min do not fit 200 one-minute buckets: they widen to 5 minutes; empty ones are kept.
    expect(data.bucketMs).toBe(5 * 60_000);
    expect(data.timeline).toHaveLength(44);
    expect(data.timeline[0]?.start).toBe(Date.UTC(2026, 10, 2, 10, 0, 0));
    expect(data.timeline.reduce((n, b) => n + sum(b), 0)).toBe(7);
    expect(data.firstAt).toBe(Date.parse(at(0)));
    expect(data.lastAt).toBe(Date.parse(at(215)));

    const want = expected(lines, verdicts, data.bucketMs);
    for (const b of data.timeline)
      expect(b, new Date(b.start).toISOString()).toEqual({ start: b.start, ...(want.buckets.get(b.start) ?? { allow: 0, challenge: 0, block: 0 }) });
    expect(Object.fromEntries(data.countries.rows.map(({ country, allow, challenge, block }) => [country, { allow, challenge, block }]))).toEqual(
      Object.fromEntries(want.countries),
    );
    expect(data.countries.rows.map((c) => c.country)).toEqual(['GB', 'FR', 'invalid']);
    expect(Object.fromEntries(data.tenants.rows.map(({ tenant, allow, challenge, block }) => [tenant, { allow, challenge, block }]))).toEqual(
      Object.fromEntries(want.tenants),
    );
    expect(Object.fromEntries(data.ranges.rows.map(({ range, allow, challenge, block }) => [range, { allow, challenge, block }]))).toEqual(
      Object.fromEntries(want.ranges),
    );
    // Three spellings of +44 7400 123456 / 457 share one range; the range hides its last four digits.
    expect(data.ranges.rows.map((r) => r.range)).toContain('+44 7400 12xxxx');
    expect(data.ranges.rows.map((r) => r.range)).toContain('+33 6123 4xxxx');
    expect(Object.fromEntries(data.reasons.rows.map((r) => [r.reason, r.challenge + r.block]))).toEqual(Object.fromEntries(want.reasons));
    expect(Object.fromEntries(data.reasons.rows.map((r) => [r.reason, r.challenge + r.block]))).toEqual(summary.reasons);
    expect(data.costAvoidedUsd.block + data.costAvoidedUsd.challenge).toBeCloseTo(want.cost, 10);
    expect(data.costAvoidedUsd.block).toBeGreaterThanOrEqual(2 * smsPriceUsd('GB'));
  });

  it('keeps its tables and timeline bounded, with exact totals and exact heavy hitters', () => {
    const stats = new ReportStats({ maxKeys: 40, maxBuckets: 10, top: 5 });
    const start = Date.UTC(2026, 10, 2);
    const heavy = parsePhone('+44 7400 123456')!;
    let sends = 0;
    for (let i = 0; i < 6_000; i++) {
      // Every other send has a range of its own: the table must evict, and keep the heavy one exact.
      const phone = i % 3 === 0 ? heavy : parsePhone(`+44 75${String(i).padStart(4, '0')} 1234`)!;
      const decision: Decision = i % 3 === 0 ? 'block' : i % 7 === 0 ? 'challenge' : 'allow';
      const a = {
        at: start + i * 45_000, // 75 hours in all
        tenant: `t${i % 97}`,
        phone,
        pending: { range4: phone.e164.slice(0, -4) },
        verdict: { decision, score: 0, level: 'low', reasons: decision === 'allow' ? [] : [`R${i % 50}`] },
      } as unknown as AssessedSend;
      stats.record(a, decision === 'allow');
      sends++;
    }
    const data = stats.result();
    expect(data.timeline.length).toBeLessThanOrEqual(10);
    expect(data.bucketMs).toBe(12 * 3_600_000);
    expect(data.timeline.reduce((n, b) => n + sum(b), 0)).toBe(sends);
    for (const table of [data.ranges, data.tenants, data.countries]) {
      expect(table.rows.length).toBeLessThanOrEqual(5);
      expect(tableTotal(table)).toBe(sends);
    }
    expect(data.ranges.evicted).toBe(true);
    expect(data.tenants.evicted).toBe(true);
    expect(data.tenants.keys).toBeGreaterThanOrEqual(97);
    expect(data.ranges.rows[0]).toMatchObject({ range: '+44 7400 12xxxx', block: 2_000 });
    const stopped = data.reasons.rows.reduce((n, r) => n + r.challenge + r.block, 0) + data.reasons.other.challenge + data.reasons.other.block;
    expect(stopped).toBe(2_000 + [...Array(6_000).keys()].filter((i) => i % 3 !== 0 && i % 7 === 0).length);
  });
});

describe('report page', () => {
  let dir: string;
  let html: string;
  let summary: ReplaySummary;
  let data: ReportData;
  let phones: { raw: string; e164?: string; national?: string }[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sms-shield-report-'));
    // A small slice of every traffic class, plus lines that put markup where input text goes.
    const sim = [...simulateLines({ seed: 5, days: 0.25, scale: 0.2 })];
    const lines: (object | string)[] = [
      ...sim,
      send('x1', '2026-11-02T06:00:00.000Z', { tenant: '<script>alert("tenant")</script>', phone: '+44 909 879 0001' }),
      send('x2', '<img src=x onerror=alert(1)>'),
      send('x3', '2026-11-02T06:00:01.000Z', { scenario: 'signup"><script>' }),
    ];
    phones = sim.map((l) => {
      const p = parsePhone(l.phone, 'country' in l ? l.country : undefined);
      return { raw: l.phone, e164: p?.e164, national: p?.nationalNumber };
    });
    const result = await replayWithReport(lines);
    summary = result.summary;
    data = result.data;
    html = renderReportHtml(summary, data, { source: 'sim <seed 5>.jsonl', describeReason: (code) => `what ${code} means <i>` });
    await writeFile(join(dir, 'report.html'), html);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('adds up: every table and the timeline account for every send', () => {
    expect(summary.sends).toBeGreaterThan(500);
    expect(data.timeline.reduce((n, b) => n + sum(b), 0)).toBe(summary.sends);
    for (const table of [data.countries, data.tenants]) expect(tableTotal(table)).toBe(summary.sends);
    expect(data.countries.rows.length).toBeGreaterThan(3);
    for (const r of data.ranges.rows) expect(r.range).toMatch(/^\+\d{1,3} [\d ]*x{4}$/);
    expect(summary.errors.count).toBe(2);
  });

  it('shows the headline numbers, the charts and the tables', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`${summary.sends.toLocaleString('en-US')}</div>`);
    expect(html).toContain('Decisions over time');
    expect(html).toContain('class="chart timeline"');
    expect(html).toContain('class="chart reasons"');
    expect(html).toContain('Est. cost avoided');
    expect(html).toContain('Destination countries');
    expect(html).toContain(`what ${data.reasons.rows[0]?.reason} means &lt;i&gt;`);
  });

  it('escapes every piece of input text', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;tenant&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('sim &lt;seed 5&gt;.jsonl');

    // A reason code with markup, as a custom rule could emit one.
    const stats = new ReportStats();
    const reason = '<script>alert("reason")</script>';
    stats.record(
      {
        at: Date.UTC(2026, 10, 2),
        tenant: "o'brien & co",
        phone: undefined,
        pending: undefined,
        verdict: { decision: 'block', score: 100, level: 'high', reasons: [reason] },
      },
      false,
    );
    const page = renderReportHtml({ ...summary, reasons: { [reason]: 1 } }, stats.result(), { describeReason: () => '<b>bold</b>' });
    expect(page).not.toMatch(/<script|<b>/i);
    expect(page).toContain('&lt;script&gt;alert(&quot;reason&quot;)&lt;/script&gt;');
    expect(page).toContain('o&#39;brien &amp; co');
    expect(page).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });

  it('never shows a phone number, only countries and masked ranges', () => {
    expect(phones.length).toBeGreaterThan(500);
    for (const p of phones) {
      expect(html).not.toContain(p.raw);
      if (p.e164) expect(html).not.toContain(p.e164);
      if (p.e164) expect(html).not.toContain(p.e164.slice(1));
      if (p.national && p.national.length >= 7) expect(html).not.toContain(p.national);
    }
    expect(html).not.toMatch(/\d{7,}/);
    expect(html).toMatch(/\+\d{1,3} \d{4} \d*x{4}/);
  });

  it('is self-contained: no scripts, no external URLs', () => {
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'`);
  });

  it.skipIf(!hasChromium)('renders in Chromium: charts with a size, no console errors, no requests', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      const url = pathToFileURL(join(dir, 'report.html')).href;
      await page.goto(url);
      const charts = await page.$$('svg.chart');
      expect(charts.length).toBe(2);
      for (const chart of charts) {
        const box = await chart.boundingBox();
        expect(box?.width).toBeGreaterThan(300);
        expect(box?.height).toBeGreaterThan(100);
      }
      const bars = await page.$$eval('svg.timeline rect', (rects) => rects.filter((r) => r.getBoundingClientRect().height > 0).length);
      expect(bars).toBeGreaterThan(10);
      expect(await page.$$('svg.share')).not.toHaveLength(0);
      // Nothing overflows the page sideways.
      const scrollWidth = await page.evaluate(
        () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
      );
      expect(scrollWidth).toBeLessThanOrEqual(1200);
      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect((await stat(shot)).size).toBeGreaterThan(20_000);
      expect(problems).toEqual([]);
      expect(requests.filter((r) => r !== url && !r.startsWith('data:'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('replay --report', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sms-shield-report-cli-'));
    await writeFile(
      join(dir, 'in.jsonl'),
      [send('s1', '2026-11-02T10:00:00.000Z'), send('s2', '2026-11-02T10:00:10.000Z')].map((l) => `${JSON.stringify(l)}\n`).join(''),
    );
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the page next to the verdicts', async () => {
    const printed = await runCli(registerReplay, [
      'replay',
      join(dir, 'in.jsonl'),
      '--out',
      join(dir, 'out.jsonl'),
      '--report',
      join(dir, 'report.html'),
      '--quiet',
    ]);
    expect(printed.join('\n')).toContain(`Report written to ${join(dir, 'report.html')}`);
    const page = await readFile(join(dir, 'report.html'), 'utf8');
    expect(page).toContain('Replay report');
    expect(page).toContain('in.jsonl');
    expect(page).toContain('NUMBER_VELOCITY');
  });

  it('refuses a report path it cannot write, before replaying anything', async () => {
    const run = (report: string) => runCli(registerReplay, ['replay', join(dir, 'in.jsonl'), '--out', join(dir, 'never.jsonl'), '--report', report, '--quiet']);
    await expect(run(join(dir, 'missing', 'report.html'))).rejects.toThrow(/--report .*missing.*report\.html: cannot write there \(no folder/);
    await expect(run(dir)).rejects.toThrow(/cannot write there \(it is a folder\)/);
    expect(existsSync(join(dir, 'never.jsonl'))).toBe(false);
  });
});
