/** The replay report's tables: destination countries, number ranges and tenants, with an "other" row. */
import type { DecisionTally, RankedRows, ReportData } from './report-stats';
import { shareBar } from './report-charts';
import { DECISIONS, esc, int, percent, total, truncate, usd } from './report-format';

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

export function countriesTable(countries: RankedRows<ReportData['countries']['rows'][number]>): string {
  const rows = countries.rows.map(
    (c) =>
      `<tr><td><span class="cc">${esc(c.country)}</span> ${esc(countryName(c.country))}</td><td class="num">${esc(int(total(c)))}</td>` +
      `<td>${shareBar(c)}</td><td class="num">${esc(percent(c.block + c.challenge, total(c)))}</td><td class="num">${esc(usd(c.costAvoidedUsd))}</td></tr>`,
  );
  return table(['Country', 'Sends', 'Verdicts', 'Stopped', 'Cost avoided'], rows, countries, 'countries', 5);
}

export function rangesTable(ranges: RankedRows<ReportData['ranges']['rows'][number]>): string {
  const rows = ranges.rows.map(
    (g) =>
      `<tr><td class="mono"><span class="cc">${esc(g.country)}</span> ${esc(g.range)}</td><td class="num">${esc(int(total(g)))}</td>` +
      `<td>${shareBar(g)}</td><td class="num">${esc(int(g.block))}</td><td class="num">${esc(int(g.challenge))}</td></tr>`,
  );
  return table(['Range', 'Sends', 'Verdicts', 'Blocked', 'Challenged'], rows, ranges, 'ranges', 5);
}

export function tenantsTable(tenants: RankedRows<ReportData['tenants']['rows'][number]>): string {
  const rows = tenants.rows.map(
    (t) =>
      `<tr><td class="mono wrap">${esc(truncate(t.tenant, 40))}</td><td class="num">${esc(int(total(t)))}</td><td>${shareBar(t)}</td>` +
      `<td class="num">${esc(int(t.block))}</td><td class="num">${esc(int(t.challenge))}</td></tr>`,
  );
  return table(['Tenant', 'Sends', 'Verdicts', 'Blocked', 'Challenged'], rows, tenants, 'tenants', 5);
}

/** The first `n` rows; the rest join "other". */
export function limit<R extends DecisionTally>(ranked: RankedRows<R>, n: number): RankedRows<R> {
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
