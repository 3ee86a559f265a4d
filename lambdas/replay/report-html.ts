import type { Decision } from '../engine/types';
import type { ReplaySummary } from './replay';
import type { DecisionTally, RankedRows, ReportData, TimeBucket } from './report-stats';
import { escapeHtml } from '../shared/html';

/** What the page says about where the data came from. */
export interface ReportPageOptions {
  /** The replayed input, e.g. its file name. */
  readonly source?: string;
  /** @default now */
  readonly generatedAt?: Date;
  /** One-line meaning of a reason code, shown under it in the reasons chart. */
  readonly describeReason?: (code: string) => string | undefined;
}

const DECISIONS: readonly Decision[] = ['allow', 'challenge', 'block'];
const COLOR: Readonly<Record<Decision, string>> = { allow: '#3f9a6b', challenge: '#e3a21a', block: '#d0454c' };
const LABEL: Readonly<Record<Decision, string>> = { allow: 'Allowed', challenge: 'Challenged', block: 'Blocked' };

/**
 * The replay report: one self-contained HTML page (inline CSS, charts as inline SVG drawn
 * here, no script, no external resource — its CSP forbids them). Every piece of input text
 * (tenants, reason codes, error messages, the file name) is escaped; numbers appear only as
 * countries and masked 10,000-number ranges.
 */
export function renderReportHtml(summary: ReplaySummary, data: ReportData, options: ReportPageOptions = {}): string {
  const generatedAt = options.generatedAt ?? new Date();
  const span =
    data.firstAt === undefined || data.lastAt === undefined ? 'no sends' : `${formatDateTime(data.firstAt)} – ${formatDateTime(data.lastAt)} UTC`;
  const subtitle = [options.source, span, `${int(summary.lines)} lines replayed in ${(summary.elapsedMs / 1000).toFixed(1)} s`].filter(Boolean) as string[];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<link rel="icon" href="data:,">
<title>SMS Shield replay report${options.source ? ` — ${esc(options.source)}` : ''}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
  <div class="brand">SMS Shield</div>
  <h1>Replay report</h1>
  <p class="sub">${subtitle.map(esc).join('<span class="dot">·</span>')}</p>
</header>
${headline(summary, data)}
<section class="card">
  <div class="card-head"><h2>Decisions over time</h2>${legend()}</div>
  <p class="hint">Sends per ${esc(formatDuration(data.bucketMs))}, by verdict (UTC).</p>
  ${timelineChart(data.timeline, data.bucketMs)}
</section>
<div class="columns">
  <div class="column">
    <section class="card">
      <div class="card-head"><h2>Top reasons</h2>${legend(['block', 'challenge'])}</div>
      <p class="hint">Challenged and blocked sends carrying each reason (a send can carry several).</p>
      ${reasonsChart(data.reasons, summary.sends, options.describeReason)}
    </section>
    <section class="card">
      <h2>Top number ranges</h2>
      <p class="hint">10,000-number ranges with the most challenged or blocked sends.</p>
      ${rangesTable(limit(data.ranges, 10))}
    </section>
  </div>
  <div class="column">
    <section class="card">
      <h2>Destination countries</h2>
      <p class="hint">Country of the number; estimated cost avoided from the bundled price table.</p>
      ${countriesTable(limit(data.countries, 12))}
    </section>
    <section class="card">
      <h2>Tenants</h2>
      <p class="hint">Sends per tenant, by verdict.</p>
      ${tenantsTable(limit(data.tenants, 10))}
    </section>
  </div>
</div>
${errorsSection(summary)}
<footer>
  <p>Cost avoided is an estimate: one SMS segment per send not sent, at rounded list prices per destination country
  (<code>lambdas/shared/sms-prices.ts</code>); challenged sends count as not sent, as in the replay.
  Phone numbers appear only as their country and 10,000-number range.${evictionNote(data)}</p>
  <p>Generated ${esc(formatDateTime(generatedAt.getTime()))} UTC by <code>sms-shield replay --report</code>.</p>
</footer>
</main>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

function headline(summary: ReplaySummary, data: ReportData): string {
  const { sends, decisions } = summary;
  const cost = data.costAvoidedUsd.block + data.costAvoidedUsd.challenge;
  const tile = (cls: string, label: string, value: string, note: string) =>
    `<div class="tile ${cls}"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div><div class="note">${note}</div></div>`;
  const verdictTile = (d: Decision) => tile(d, LABEL[d], percent(decisions[d], sends), `${esc(int(decisions[d]))} sends`);
  return `<section class="tiles">
  ${tile('sends', 'Sends', int(sends), `${esc(int(summary.verifies))} verifications, ${esc(int(summary.verifiesCredited))} credited`)}
  ${DECISIONS.map(verdictTile).join('\n  ')}
  ${tile('cost', 'Est. cost avoided', usd(cost), `blocked ${esc(usd(data.costAvoidedUsd.block))} · challenged ${esc(usd(data.costAvoidedUsd.challenge))}${data.shadowSent > 0 ? ` · ${esc(int(data.shadowSent))} shadow sends` : ''}`)}
  ${tile(summary.errors.count > 0 ? 'errors bad' : 'errors', 'Errors', int(summary.errors.count), summary.errors.count > 0 ? 'lines not replayed (below)' : 'every line replayed')}
</section>`;
}

function legend(decisions: readonly Decision[] = DECISIONS): string {
  return `<div class="legend">${decisions.map((d) => `<span><i style="background:${COLOR[d]}"></i>${LABEL[d]}</span>`).join('')}</div>`;
}

function errorsSection(summary: ReplaySummary): string {
  if (summary.errors.count === 0) return '';
  const items = summary.errors.first.map((e) => `<li><span class="num">line ${esc(int(e.line))}</span> ${esc(redactDigits(e.message))}</li>`).join('');
  const more = summary.errors.count > summary.errors.first.length ? `<p class="hint">…and ${esc(int(summary.errors.count - summary.errors.first.length))} more.</p>` : '';
  return `<section class="card"><h2>Lines not replayed</h2><ul class="error-list">${items}</ul>${more}</section>`;
}

function evictionNote(data: ReportData): string {
  const tables = (['countries', 'ranges', 'tenants', 'reasons'] as const).filter((t) => data[t].evicted);
  if (tables.length === 0) return '';
  return ` Memory is bounded: the ${esc(tables.join(', '))} tables dropped their smallest rows into "other" while collecting, so small rows are approximate.`;
}

// ---------------------------------------------------------------------------------------------
// Charts (inline SVG)
// ---------------------------------------------------------------------------------------------

function timelineChart(timeline: readonly TimeBucket[], bucketMs: number): string {
  const W = 1100;
  const H = 280;
  const m = { l: 58, r: 10, t: 12, b: 30 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  if (timeline.length === 0) return `<p class="empty">No sends to chart.</p>`;
  const max = Math.max(1, ...timeline.map(total));
  const step = niceStep(max, 5);
  const top = Math.ceil(max / step) * step;
  const y = (v: number) => m.t + ph - (v / top) * ph;
  const slot = pw / timeline.length;
  const gap = slot >= 8 ? slot * 0.18 : slot >= 3 ? 1 : 0;
  const out: string[] = [];
  for (let v = 0; v <= top + step / 2; v += step) {
    out.push(`<line class="grid" x1="${m.l}" x2="${W - m.r}" y1="${r(y(v))}" y2="${r(y(v))}"/>`);
    out.push(`<text class="axis" x="${m.l - 8}" y="${r(y(v) + 4)}" text-anchor="end">${esc(compact(v))}</text>`);
  }
  timeline.forEach((b, i) => {
    const n = total(b);
    if (n === 0) return;
    const x = m.l + i * slot + gap / 2;
    let acc = 0;
    const rects = DECISIONS.filter((d) => b[d] > 0).map((d) => {
      const y1 = y(acc + b[d]);
      const h = y(acc) - y1;
      acc += b[d];
      return `<rect x="${r(x)}" y="${r(y1)}" width="${r(Math.max(0.6, slot - gap))}" height="${r(Math.max(0.5, h))}" fill="${COLOR[d]}"/>`;
    });
    const title = `${formatDateTime(b.start)}–${formatTime(b.start + bucketMs)} UTC: ${int(n)} sends — ${int(b.allow)} allowed, ${int(b.challenge)} challenged, ${int(b.block)} blocked`;
    out.push(`<g><title>${esc(title)}</title>${rects.join('')}</g>`);
  });
  // Time labels on round boundaries, at most ~8 of them.
  const spanMs = timeline.length * bucketMs;
  const every = [bucketMs, 5 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 86_400_000, 2 * 86_400_000, 7 * 86_400_000, 28 * 86_400_000]
    .filter((e) => e >= bucketMs && e % bucketMs === 0)
    .find((e) => spanMs / e <= 8) ?? Math.ceil(spanMs / 8 / bucketMs) * bucketMs;
  const first = timeline[0]!.start;
  const multiDay = spanMs > 86_400_000;
  for (let t = Math.ceil(first / every) * every; t <= first + spanMs; t += every) {
    const x = m.l + ((t - first) / bucketMs) * slot;
    const label = every >= 86_400_000 ? formatDate(t) : multiDay && t % 86_400_000 === 0 ? `${formatDate(t)}` : multiDay ? `${formatDate(t)} ${formatTime(t)}` : formatTime(t);
    out.push(`<line class="tick" x1="${r(x)}" x2="${r(x)}" y1="${m.t + ph}" y2="${m.t + ph + 5}"/>`);
    out.push(`<text class="axis" x="${r(x)}" y="${H - 8}" text-anchor="middle">${esc(label)}</text>`);
  }
  out.push(`<line class="base" x1="${m.l}" x2="${W - m.r}" y1="${m.t + ph}" y2="${m.t + ph}"/>`);
  return svg('timeline', W, H, 'Sends over time by verdict', out);
}

function reasonsChart(reasons: RankedRows<{ reason: string; challenge: number; block: number }>, sends: number, describe?: (code: string) => string | undefined): string {
  const rows = reasons.rows.slice(0, 12);
  if (rows.length === 0) return `<p class="empty">Nothing was challenged or blocked.</p>`;
  const described = rows.map((row) => describe?.(row.reason));
  const withText = described.some((d) => d !== undefined);
  const W = 540;
  const rowH = withText ? 40 : 26;
  const labelW = 200;
  const numW = 92;
  const barW = W - labelW - numW;
  const H = rows.length * rowH + 4;
  const max = Math.max(1, ...rows.map((row) => row.challenge + row.block));
  const out: string[] = [];
  rows.forEach((row, i) => {
    const top = 2 + i * rowH;
    const barY = top + (withText ? 8 : 6);
    const n = row.challenge + row.block;
    const wBlock = (row.block / max) * barW;
    const wChallenge = (row.challenge / max) * barW;
    const description = described[i];
    const title = `${row.reason}: ${int(n)} sends (${int(row.block)} blocked, ${int(row.challenge)} challenged), ${percent(n, sends)} of all sends${description ? ` — ${description}` : ''}`;
    out.push(`<g><title>${esc(title)}</title>`);
    out.push(`<text class="code" x="0" y="${r(barY + 10)}">${esc(truncate(row.reason, 26))}</text>`);
    if (description) out.push(`<text class="desc" x="0" y="${r(barY + 25)}">${esc(truncate(description, 60))}</text>`);
    out.push(`<rect class="track" x="${labelW}" y="${r(barY)}" width="${barW}" height="14" rx="2"/>`);
    if (wBlock > 0) out.push(`<rect x="${labelW}" y="${r(barY)}" width="${r(Math.max(1, wBlock))}" height="14" fill="${COLOR.block}"/>`);
    if (wChallenge > 0) out.push(`<rect x="${r(labelW + wBlock)}" y="${r(barY)}" width="${r(Math.max(1, wChallenge))}" height="14" fill="${COLOR.challenge}"/>`);
    out.push(`<text class="count" x="${W}" y="${r(barY + 11)}" text-anchor="end">${esc(int(n))}</text></g>`);
  });
  return svg('reasons', W, H, 'Top reasons of challenged and blocked sends', out);
}

/** A 100%-wide bar of one row's verdict shares. */
function shareBar(t: DecisionTally): string {
  const n = total(t);
  const W = 120;
  let x = 0;
  const parts = DECISIONS.filter((d) => t[d] > 0).map((d) => {
    const w = (t[d] / Math.max(1, n)) * W;
    const rect = `<rect x="${r(x)}" y="0" width="${r(w)}" height="10" fill="${COLOR[d]}"/>`;
    x += w;
    return rect;
  });
  const title = `${percent(t.allow, n)} allowed, ${percent(t.challenge, n)} challenged, ${percent(t.block, n)} blocked`;
  return `<svg class="share" viewBox="0 0 ${W} 10" width="${W}" height="10" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title><rect class="track" x="0" y="0" width="${W}" height="10"/>${parts.join('')}</svg>`;
}

function svg(cls: string, w: number, h: number, label: string, body: readonly string[]): string {
  return `<svg class="chart ${cls}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(label)}">${body.join('')}</svg>`;
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' });
  } catch {
    return undefined;
  }
})();

function countryName(code: string): string {
  if (code === 'invalid') return 'Not a valid number';
  if (!/^[A-Z]{2}$/.test(code)) return `Calling code ${code}`;
  try {
    return regionNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

function countriesTable(countries: RankedRows<ReportData['countries']['rows'][number]>): string {
  const rows = countries.rows.map(
    (c) => `<tr><td><span class="cc">${esc(c.country)}</span> ${esc(countryName(c.country))}</td><td class="num">${esc(int(total(c)))}</td>` +
      `<td>${shareBar(c)}</td><td class="num">${esc(percent(c.block + c.challenge, total(c)))}</td><td class="num">${esc(usd(c.costAvoidedUsd))}</td></tr>`,
  );
  return table(['Country', 'Sends', 'Verdicts', 'Stopped', 'Cost avoided'], rows, countries, 'countries', 5);
}

function rangesTable(ranges: RankedRows<ReportData['ranges']['rows'][number]>): string {
  const rows = ranges.rows.map(
    (g) => `<tr><td class="mono"><span class="cc">${esc(g.country)}</span> ${esc(g.range)}</td><td class="num">${esc(int(total(g)))}</td>` +
      `<td>${shareBar(g)}</td><td class="num">${esc(int(g.block))}</td><td class="num">${esc(int(g.challenge))}</td></tr>`,
  );
  return table(['Range', 'Sends', 'Verdicts', 'Blocked', 'Challenged'], rows, ranges, 'ranges', 5);
}

function tenantsTable(tenants: RankedRows<ReportData['tenants']['rows'][number]>): string {
  const rows = tenants.rows.map(
    (t) => `<tr><td class="mono wrap">${esc(truncate(t.tenant, 40))}</td><td class="num">${esc(int(total(t)))}</td><td>${shareBar(t)}</td>` +
      `<td class="num">${esc(int(t.block))}</td><td class="num">${esc(int(t.challenge))}</td></tr>`,
  );
  return table(['Tenant', 'Sends', 'Verdicts', 'Blocked', 'Challenged'], rows, tenants, 'tenants', 5);
}

/** The first `n` rows; the rest join "other". */
function limit<R extends DecisionTally>(ranked: RankedRows<R>, n: number): RankedRows<R> {
  if (ranked.rows.length <= n) return ranked;
  const other = { ...ranked.other };
  for (const row of ranked.rows.slice(n)) for (const d of DECISIONS) other[d] += row[d];
  return { ...ranked, rows: ranked.rows.slice(0, n), other };
}

function table(head: readonly string[], rows: readonly string[], ranked: RankedRows<object>, noun: string, columns: number): string {
  if (rows.length === 0) return `<p class="empty">No ${esc(noun)}.</p>`;
  const otherCount = total(ranked.other);
  const more = ranked.keys - ranked.rows.length;
  const other =
    otherCount > 0
      ? `<tr class="other"><td colspan="${columns}">Other ${more > 0 ? `(${esc(int(more))}${ranked.evicted ? '+' : ''} more ${esc(noun)})` : ''}: ${esc(int(otherCount))} sends, ${esc(percent(ranked.other.challenge + ranked.other.block, otherCount))} stopped</td></tr>`
      : '';
  const th = head.map((h, i) => `<th${i > 0 && h !== 'Verdicts' && h !== 'Country' ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  return `<div class="table"><table><thead><tr>${th}</tr></thead><tbody>${rows.join('')}${other}</tbody></table></div>`;
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------


/** Escape text for HTML content and attribute values. */
const esc = escapeHtml;

/** Error messages may quote input: long digit runs (a number, perhaps) are masked. */
function redactDigits(text: string): string {
  return text.replace(/\+?\d[\d\s().-]{5,}\d/g, (run) => (run.replace(/\D/g, '').length >= 7 ? '[digits]' : run));
}

const total = (t: Partial<DecisionTally>) => (t.allow ?? 0) + (t.challenge ?? 0) + (t.block ?? 0);
const r = (v: number) => Math.round(v * 10) / 10;
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const int = (n: number) => integer.format(n);

function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const p = (100 * part) / whole;
  return `${p > 0 && p < 0.1 ? '<0.1' : p.toFixed(p >= 10 || p === 0 ? 0 : 1)}%`;
}

function usd(v: number): string {
  if (v >= 1000) return `$${int(Math.round(v))}`;
  return `$${v.toFixed(2)}`;
}

/** `12k`, `1.5M`: axis labels. */
function compact(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (v >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return int(v);
}

function niceStep(max: number, count: number): number {
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
  return Math.max(1, step);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** `2026-11-02 14:30` */
function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${formatTime(ms)}`;
}

function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return ms === 86_400_000 ? 'day' : `${ms / 86_400_000} days`;
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? 'hour' : `${ms / 3_600_000} hours`;
  return `${ms / 60_000} min`;
}

const CSS = `
:root { --ink: #1f2328; --muted: #656d76; --line: #d8dee4; --soft: #f6f8fa; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f5; color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
main { max-width: 1160px; margin: 0 auto; padding: 24px 20px 32px; }
header { margin-bottom: 16px; }
.brand { font-size: 12px; font-weight: 700; letter-spacing: .08em; text-transform: uppercase; color: var(--accent); }
h1 { margin: 2px 0 4px; font-size: 26px; font-weight: 650; }
h2 { margin: 0; font-size: 16px; font-weight: 650; }
.sub { margin: 0; color: var(--muted); }
.dot { margin: 0 8px; color: #aab2bb; }
.tiles { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 12px; margin-bottom: 16px; }
.tile { background: #fff; border: 1px solid var(--line); border-top: 4px solid #8c959f; border-radius: 8px; padding: 10px 14px 12px; }
.tile .label { color: var(--muted); font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
.tile .value { font-size: 26px; font-weight: 700; margin: 2px 0; font-variant-numeric: tabular-nums; }
.tile .note { color: var(--muted); font-size: 12px; }
.tile.sends { border-top-color: var(--accent); }
.tile.allow { border-top-color: ${COLOR.allow}; }
.tile.challenge { border-top-color: ${COLOR.challenge}; }
.tile.block { border-top-color: ${COLOR.block}; }
.tile.cost { border-top-color: #6f42c1; }
.tile.errors.bad .value { color: ${COLOR.block}; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px 16px; margin-bottom: 16px; min-width: 0; }
.card-head { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; flex-wrap: wrap; }
.hint { margin: 2px 0 10px; color: var(--muted); font-size: 12.5px; }
.legend { display: flex; gap: 14px; font-size: 12.5px; color: var(--muted); }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.columns { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0 16px; align-items: start; }
svg.chart { display: block; width: 100%; height: auto; }
svg text { font-family: inherit; }
svg .axis { font-size: 11px; fill: var(--muted); }
svg .grid { stroke: #eaeef2; stroke-width: 1; }
svg .base, svg .tick { stroke: #8c959f; stroke-width: 1; }
svg .code { font: 600 11.5px ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; fill: var(--ink); }
svg .desc { font-size: 11px; fill: var(--muted); }
svg .count { font-size: 12px; fill: var(--ink); font-variant-numeric: tabular-nums; }
svg .track { fill: #eef1f4; }
svg.share { display: block; border-radius: 2px; }
.table { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th { text-align: left; font-size: 11.5px; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); border-bottom: 1px solid var(--line); padding: 4px 8px 6px 0; }
td { border-bottom: 1px solid #eef1f4; padding: 5px 8px 5px 0; vertical-align: middle; white-space: nowrap; }
td:first-child:not(.mono), td.wrap { white-space: normal; }
td.wrap { overflow-wrap: anywhere; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.mono { white-space: nowrap; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.cc { display: inline-block; min-width: 30px; font: 600 11px ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; color: var(--muted); }
tr.other td { color: var(--muted); font-style: italic; border-bottom: 0; }
.empty { color: var(--muted); font-style: italic; }
.error-list { margin: 6px 0 0; padding-left: 18px; font-size: 13px; }
.error-list .num { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; color: var(--muted); margin-right: 6px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; background: var(--soft); padding: 1px 4px; border-radius: 4px; }
footer { color: var(--muted); font-size: 12px; margin-top: 4px; }
footer p { margin: 4px 0; }
@media (max-width: 900px) { .tiles { grid-template-columns: repeat(3, minmax(0, 1fr)); } .columns { grid-template-columns: 1fr; } }
`;
