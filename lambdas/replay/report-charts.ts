/** The replay report's charts, drawn as inline SVG (the page allows no script or external resource). */
import type { DecisionTally, RankedRows, TimeBucket } from './report-stats';
import { COLOR, DECISIONS, compact, esc, formatDate, formatDateTime, formatTime, int, niceStep, percent, r, total, truncate } from './report-format';

export function timelineChart(timeline: readonly TimeBucket[], bucketMs: number): string {
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
  const every =
    [
      bucketMs,
      5 * 60_000,
      15 * 60_000,
      30 * 60_000,
      3_600_000,
      3 * 3_600_000,
      6 * 3_600_000,
      12 * 3_600_000,
      86_400_000,
      2 * 86_400_000,
      7 * 86_400_000,
      28 * 86_400_000,
    ]
      .filter((e) => e >= bucketMs && e % bucketMs === 0)
      .find((e) => spanMs / e <= 8) ?? Math.ceil(spanMs / 8 / bucketMs) * bucketMs;
  const first = timeline[0]!.start;
  const multiDay = spanMs > 86_400_000;
  for (let t = Math.ceil(first / every) * every; t <= first + spanMs; t += every) {
    const x = m.l + ((t - first) / bucketMs) * slot;
    const label =
      every >= 86_400_000
        ? formatDate(t)
        : multiDay && t % 86_400_000 === 0
          ? `${formatDate(t)}`
          : multiDay
            ? `${formatDate(t)} ${formatTime(t)}`
            : formatTime(t);
    out.push(`<line class="tick" x1="${r(x)}" x2="${r(x)}" y1="${m.t + ph}" y2="${m.t + ph + 5}"/>`);
    out.push(`<text class="axis" x="${r(x)}" y="${H - 8}" text-anchor="middle">${esc(label)}</text>`);
  }
  out.push(`<line class="base" x1="${m.l}" x2="${W - m.r}" y1="${m.t + ph}" y2="${m.t + ph}"/>`);
  return svg('timeline', W, H, 'Sends over time by verdict', out);
}

export function reasonsChart(
  reasons: RankedRows<{ reason: string; challenge: number; block: number }>,
  sends: number,
  describe?: (code: string) => string | undefined,
): string {
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
    if (wChallenge > 0)
      out.push(`<rect x="${r(labelW + wBlock)}" y="${r(barY)}" width="${r(Math.max(1, wChallenge))}" height="14" fill="${COLOR.challenge}"/>`);
    out.push(`<text class="count" x="${W}" y="${r(barY + 11)}" text-anchor="end">${esc(int(n))}</text></g>`);
  });
  return svg('reasons', W, H, 'Top reasons of challenged and blocked sends', out);
}

/** A 100%-wide bar of one row's verdict shares. */
export function shareBar(t: DecisionTally): string {
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
