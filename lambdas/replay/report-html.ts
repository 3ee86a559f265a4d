import type { Decision } from '../domain/types';
import type { ReplaySummary } from './replay';
import type { ReportData } from './report-stats';
import { reasonsChart, timelineChart } from './report-charts';
import { CSS } from './report-css';
import { COLOR, DECISIONS, LABEL, esc, formatDateTime, formatDuration, int, percent, redactDigits, usd } from './report-format';
import { countriesTable, limit, rangesTable, tenantsTable } from './report-tables';

/** What the page says about where the data came from. */
export interface ReportPageOptions {
  /** The replayed input, e.g. its file name. */
  readonly source?: string;
  /** @default now */
  readonly generatedAt?: Date;
  /** One-line meaning of a reason code, shown under it in the reasons chart. */
  readonly describeReason?: (code: string) => string | undefined;
}

/**
 * The replay report: one self-contained HTML page (inline CSS, charts as inline SVG drawn
 * here, no script, no external resource — its CSP forbids them). Every piece of input text
 * (tenants, reason codes, error messages, the file name) is escaped; numbers appear only as
 * countries and masked 10,000-number ranges.
 */
export function renderReportHtml(summary: ReplaySummary, data: ReportData, options: ReportPageOptions = {}): string {
  const generatedAt = options.generatedAt ?? new Date();
  const span = data.firstAt === undefined || data.lastAt === undefined ? 'no sends' : `${formatDateTime(data.firstAt)} – ${formatDateTime(data.lastAt)} UTC`;
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
  const more =
    summary.errors.count > summary.errors.first.length ? `<p class="hint">…and ${esc(int(summary.errors.count - summary.errors.first.length))} more.</p>` : '';
  return `<section class="card"><h2>Lines not replayed</h2><ul class="error-list">${items}</ul>${more}</section>`;
}

function evictionNote(data: ReportData): string {
  const tables = (['countries', 'ranges', 'tenants', 'reasons'] as const).filter((t) => data[t].evicted);
  if (tables.length === 0) return '';
  return ` Memory is bounded: the ${esc(tables.join(', '))} tables dropped their smallest rows into "other" while collecting, so small rows are approximate.`;
}
