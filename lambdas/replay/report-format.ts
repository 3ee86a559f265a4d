/** Formatting shared by the replay report's page, charts and tables: numbers, dates, escaping, the verdict palette. */
import type { Decision } from '../domain/types';
import type { DecisionTally } from './report-stats';
import { escapeHtml } from '../shared/html';

/** Verdicts in the order bars stack, with their colours and labels. */
export const DECISIONS: readonly Decision[] = ['allow', 'challenge', 'block'];
export const COLOR: Readonly<Record<Decision, string>> = { allow: '#3f9a6b', challenge: '#e3a21a', block: '#d0454c' };
export const LABEL: Readonly<Record<Decision, string>> = { allow: 'Allowed', challenge: 'Challenged', block: 'Blocked' };

/** Escape text for HTML content and attribute values. */
export const esc = escapeHtml;

/** Error messages may quote input: long digit runs (a number, perhaps) are masked. */
export function redactDigits(text: string): string {
  return text.replace(/\+?\d[\d\s().-]{5,}\d/g, (run) => (run.replace(/\D/g, '').length >= 7 ? '[digits]' : run));
}

/** Sends of a row, whatever the verdict. */
export const total = (t: Partial<DecisionTally>) => (t.allow ?? 0) + (t.challenge ?? 0) + (t.block ?? 0);
/** SVG coordinates to 0.1 px: enough on screen, and a smaller page. */
export const r = (v: number) => Math.round(v * 10) / 10;
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const int = (n: number) => integer.format(n);

export function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const p = (100 * part) / whole;
  return `${p > 0 && p < 0.1 ? '<0.1' : p.toFixed(p >= 10 || p === 0 ? 0 : 1)}%`;
}

export function usd(v: number): string {
  if (v >= 1000) return `$${int(Math.round(v))}`;
  return `$${v.toFixed(2)}`;
}

/** `12k`, `1.5M`: axis labels. */
export function compact(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (v >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return int(v);
}

export function niceStep(max: number, count: number): number {
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
  return Math.max(1, step);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** `2026-11-02 14:30` */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${formatTime(ms)}`;
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return ms === 86_400_000 ? 'day' : `${ms / 86_400_000} days`;
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? 'hour' : `${ms / 3_600_000} hours`;
  return `${ms / 60_000} min`;
}
