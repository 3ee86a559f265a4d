import { maskPhone } from '../engine/phone';
import { CHECKS, describeRequest, redactor, type AuditReport, type CheckResult, type CheckStatus, type Evidence } from './checks';
import type { AuditConfig } from './config';
import { AUDIT_HEADER, BROWSER_USER_AGENT, requestBody, type AuditPlan } from './probe';
import { escapeHtml } from '../shared/html';

export type ReportFormat = 'markdown' | 'html';

const STATUS_ORDER: readonly CheckStatus[] = ['finding', 'passed', 'inconclusive', 'not-run'];
const SEVERITY_RANK = { high: 0, medium: 1, low: 2 } as const;

/** Findings first (worst first), then what passed, what could not be told, and what did not run. */
function ordered(report: AuditReport): CheckResult[] {
  return [...report.checks].sort(
    (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || (a.status === 'finding' ? SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] : 0),
  );
}

/** The report as Markdown: readable raw in a terminal, and rendered. */
export function renderMarkdown(report: AuditReport): string {
  const checks = ordered(report);
  const findings = checks.filter((c) => c.status === 'finding');
  const out: string[] = [
    '# SMS endpoint audit',
    '',
    `- Target: ${code(report.target)}`,
    `- Test number: ${code(report.testNumber)}`,
    `- Started: ${report.startedAt}`,
    `- Requests: ${report.sent} sent of ${report.planned} planned (limit ${report.maxRequests}), ${report.delayMs} ms apart`,
    `- Result: ${findings.length === 0 ? 'no weakness found' : `${findings.length} weakness${findings.length === 1 ? '' : 'es'} found`}`,
    '',
    '## Summary',
    '',
    '| Check | Result | Severity | What was seen |',
    '| --- | --- | --- | --- |',
    ...checks.map(
      (c) => `| ${code(c.id)} | ${c.status === 'finding' ? '**finding**' : c.status} | ${c.status === 'finding' ? c.severity : ''} | ${cell(c.summary)} |`,
    ),
    '',
  ];
  if (findings.length > 0) {
    out.push(`## Findings (${findings.length})`, '');
    findings.forEach((f, i) => {
      out.push(
        `### ${i + 1}. ${f.title}`,
        '',
        `${code(f.id)} · severity **${f.severity}** · ${f.summary}`,
        '',
        'Evidence:',
        '',
        ...evidenceMarkdown(f.evidence),
        '',
        `Fix: ${f.fix}`,
        '',
      );
    });
  }
  for (const [status, heading] of [
    ['passed', 'Passed'],
    ['inconclusive', 'Inconclusive'],
    ['not-run', 'Not run'],
  ] as const) {
    const group = checks.filter((c) => c.status === status);
    if (group.length === 0) continue;
    out.push(`## ${heading} (${group.length})`, '');
    for (const c of group) {
      out.push(`- ${code(c.id)} ${c.title} — ${c.summary}`);
      for (const e of c.evidence) out.push(`  - ${code(e.text)}`);
    }
    out.push('');
  }
  out.push('## Requests', '', ...report.requests.map((r) => `- ${code(r)}`), '');
  return out.join('\n');
}

function evidenceMarkdown(evidence: readonly Evidence[]): string[] {
  return evidence.flatMap((e) => {
    const lines = [`- ${code(e.text)}`];
    if (e.excerpt) {
      const fence = '`'.repeat(Math.max(3, longestRun(e.excerpt, '`') + 1));
      lines.push('', `  ${fence}`, ...e.excerpt.split('\n').map((l) => `  ${l}`), `  ${fence}`, '');
    }
    return lines;
  });
}

/** The report as one self-contained HTML page (inline style, no scripts), every value escaped. */
export function renderHtml(report: AuditReport): string {
  const checks = ordered(report);
  const findings = checks.filter((c) => c.status === 'finding');
  const rows = checks
    .map(
      (c) =>
        `<tr class="${c.status}"><td><code>${escapeHtml(c.id)}</code></td><td>${escapeHtml(c.status)}</td><td>${c.status === 'finding' ? `<span class="sev ${c.severity}">${c.severity}</span>` : ''}</td><td>${escapeHtml(c.summary)}</td></tr>`,
    )
    .join('\n');
  const evidence = (items: readonly Evidence[]) =>
    items.length === 0
      ? ''
      : `<ul class="evidence">${items.map((e) => `<li><code>${escapeHtml(e.text)}</code>${e.excerpt ? `<pre>${escapeHtml(e.excerpt)}</pre>` : ''}</li>`).join('')}</ul>`;
  const findingSections = findings
    .map(
      (f, i) => `<section class="finding">
<h3>${i + 1}. ${escapeHtml(f.title)} <span class="sev ${f.severity}">${f.severity}</span></h3>
<p><code>${escapeHtml(f.id)}</code> — ${escapeHtml(f.summary)}</p>
<h4>Evidence</h4>${evidence(f.evidence)}
<h4>Fix</h4><p>${inlineCode(f.fix)}</p>
</section>`,
    )
    .join('\n');
  const others = (['passed', 'inconclusive', 'not-run'] as const)
    .map((status) => {
      const group = checks.filter((c) => c.status === status);
      if (group.length === 0) return '';
      const heading = { passed: 'Passed', inconclusive: 'Inconclusive', 'not-run': 'Not run' }[status];
      return `<h2>${heading} (${group.length})</h2><ul>${group.map((c) => `<li><code>${escapeHtml(c.id)}</code> ${escapeHtml(c.title)} — ${escapeHtml(c.summary)}${evidence(c.evidence)}</li>`).join('')}</ul>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>SMS endpoint audit</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
code,pre{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace}
pre{background:#f4f4f5;padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
tr.finding td:nth-child(2){font-weight:bold;color:#b00020}tr.passed td:nth-child(2){color:#1b7f3b}
.sev{border-radius:3px;padding:0 .4rem;color:#fff;font-size:12px}.sev.high{background:#b00020}.sev.medium{background:#c25e00}.sev.low{background:#5f6368}
section.finding{border-left:4px solid #b00020;padding-left:1rem;margin:1.5rem 0}
ul.evidence li{margin:.2rem 0}
td:first-child code{white-space:nowrap}
</style>
</head>
<body>
<h1>SMS endpoint audit</h1>
<ul>
<li>Target: <code>${escapeHtml(report.target)}</code></li>
<li>Test number: <code>${escapeHtml(report.testNumber)}</code></li>
<li>Started: ${escapeHtml(report.startedAt)}</li>
<li>Requests: ${report.sent} sent of ${report.planned} planned (limit ${report.maxRequests}), ${report.delayMs} ms apart</li>
<li>Result: ${findings.length === 0 ? 'no weakness found' : `${findings.length} weakness${findings.length === 1 ? '' : 'es'} found`}</li>
</ul>
<h2>Summary</h2>
<table><thead><tr><th>Check</th><th>Result</th><th>Severity</th><th>What was seen</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${findings.length > 0 ? `<h2>Findings (${findings.length})</h2>\n${findingSections}` : ''}
${others}
<h2>Requests</h2>
<ol>${report.requests.map((r) => `<li><code>${escapeHtml(r)}</code></li>`).join('')}</ol>
</body>
</html>
`;
}

/** What a dry run prints: every request it would send, masked, and what the budget left out. */
export function renderPlan(config: AuditConfig, plan: AuditPlan): string {
  const redact = redactor(config);
  const own = plan.requests.filter((r) => r.ownNumber).length;
  const width = String(plan.requests.length).length;
  const headers = config.headers.map(([name]) => `${name}: (value hidden)`);
  const sampleBody = requestBody(config, { phone: '<number>' });
  const lines = [
    'sms-shield audit: DRY RUN, nothing was sent.',
    '',
    `Target:      POST ${redact(config.url.href)}`,
    `Test number: ${maskPhone(config.phone)} (yours: it can receive up to ${own} SMS from this audit)`,
    `Budget:      ${plan.requests.length} request(s) planned, limit ${config.maxRequests}; ${config.delayMs} ms apart; ${config.timeoutMs} ms timeout each`,
    `Body:        ${sampleBody}`,
    `Headers:     Content-Type: application/json, User-Agent: a desktop browser's (${BROWSER_USER_AGENT.slice(0, 30)}…), ${AUDIT_HEADER}: 1${headers.length ? `, ${headers.join(', ')}` : ''}`,
    '',
    'Planned requests (numbers masked; checks that stop early send fewer):',
    ...plan.requests.map((r) => `  ${`#${r.seq}`.padEnd(width + 1)}  ${r.check.padEnd(16)}  ${r.purpose}: ${describeRequest(config, r)}`),
  ];
  if (plan.skipped.length > 0) {
    lines.push('', 'Not run: budget (raise --max-requests, at most 50):');
    for (const id of plan.skipped) {
      const check = CHECKS.find((c) => c.id === id)!;
      lines.push(`  ${id.padEnd(16)}  needs ${check.requests(config.phone).length} request(s)`);
    }
  }
  lines.push(
    '',
    'Numbers other than yours cannot reach anyone: fictional (NANP 555-01xx, ACMA 0491 570 xxx), the Ofcom drama premium-rate',
    'range (09098 79xxxx) or invalid. Add --execute to send these requests to an endpoint you own.',
  );
  return lines.join('\n');
}

/** `text` as one Markdown code span, whatever backticks it contains. */
function code(text: string): string {
  const ticks = '`'.repeat(longestRun(text, '`') + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** Table cells: no pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

/** Escape, then turn the fix texts' `code` spans into <code>. */
function inlineCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}
