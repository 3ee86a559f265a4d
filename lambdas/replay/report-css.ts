/** The replay report's style sheet, inlined in the page (its CSP allows inline styles only). */
import { COLOR } from './report-format';

export const CSS = `
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
