import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { evaluateAudit, planAudit } from '../audit/checks';
import { DEFAULT_DELAY_MS, DEFAULT_MAX_REQUESTS, DEFAULT_TIMEOUT_MS, HARD_MAX_REQUESTS, parseAuditConfig, type RawAuditOptions } from '../audit/config';
import { AuditError } from '../audit/numbers';
import { runProbe } from '../audit/probe';
import { renderHtml, renderMarkdown, renderPlan, type ReportFormat } from '../audit/report';

interface AuditOptions extends RawAuditOptions {
  format?: string;
  out?: string;
  failOnFindings?: boolean;
}

/**
 * `sms-shield audit --url URL --phone NUMBER [--execute]`: probe an SMS-sending endpoint the
 * user owns for the weaknesses SMS Shield exists to stop, and report each with its evidence.
 * A dry run unless `--execute`: it prints every request it would send and sends nothing.
 */
export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('probe an SMS-sending endpoint you own for abuse weaknesses (a dry run unless --execute)')
    .option('--url <url>', 'the http(s) endpoint that sends an SMS; requests are POST with a JSON body')
    .option('--phone <number>', 'your own test number (mobile); it can receive a few SMS')
    .option('--country <code>', 'region for reading --phone when it is written in national form (GB)')
    .option('--execute', 'really send the requests; without it nothing is sent and the plan is printed')
    .option('--max-requests <n>', `most requests to send, ${HARD_MAX_REQUESTS} at most (default ${DEFAULT_MAX_REQUESTS})`)
    .option('--delay-ms <ms>', `pause between requests (default ${DEFAULT_DELAY_MS})`)
    .option('--timeout-ms <ms>', `timeout of each request (default ${DEFAULT_TIMEOUT_MS})`)
    .option('--phone-field <name>', 'JSON field of the number in the body {"<name>": "<number>"} (default phone)')
    .option('--body-template <json>', 'JSON body with {{phone}} (and {{country}}), e.g. \'{"to":"{{phone}}","channel":"sms"}\'')
    .option(
      '--header <header>',
      "extra header 'Name: value', repeatable (values are never printed)",
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .option('--format <format>', 'report format: md or html (default: html when --out ends in .html, else md)')
    .option('--out <file>', 'write the report to this file instead of printing it')
    .option('--fail-on-findings', 'exit with status 2 when the audit finds a weakness (for CI)')
    .action(async (opts: AuditOptions) => {
      const config = parseAuditConfig(opts);
      const format = reportFormat(opts.format, opts.out);
      const plan = planAudit(config);
      if (!config.execute) {
        console.log(renderPlan(config, plan));
        if (opts.out) console.log(`(no report written to ${opts.out}: nothing was sent)`);
        return;
      }
      const startedAt = new Date();
      const progress = process.stderr.isTTY
        ? (r: { request: { seq: number; check: string }; sent: boolean; status?: number; outcome?: string; error?: string }, total: number) =>
            process.stderr.write(`\r#${r.request.seq}/${total} ${r.request.check}: ${r.sent ? (r.status ?? r.error) : 'not needed'}`.padEnd(60))
        : undefined;
      const results = await runProbe(config, plan, { onResult: progress });
      if (progress) process.stderr.write('\n');
      const report = evaluateAudit(config, plan, results, startedAt);
      const text = format === 'html' ? renderHtml(report) : renderMarkdown(report);
      const count = (status: string) => report.checks.filter((c) => c.status === status).length;
      // Exit status 2 (1 is bad input): the report is still written in full.
      if (opts.failOnFindings && count('finding') > 0) process.exitCode = 2;
      if (!opts.out) return console.log(text);
      try {
        await writeFile(opts.out, text);
      } catch (error) {
        throw new AuditError(`cannot write --out ${opts.out}: ${(error as Error).message}`);
      }
      console.log(
        `wrote the ${format === 'html' ? 'HTML' : 'Markdown'} report to ${opts.out}: ${count('finding')} finding(s), ${count('passed')} passed, ${count('inconclusive')} inconclusive, ${count('not-run')} not run; ${report.sent} request(s) sent`,
      );
    });
}

function reportFormat(format: string | undefined, out: string | undefined): ReportFormat {
  if (format === undefined) return out && /\.html?$/i.test(out) ? 'html' : 'markdown';
  const f = format.toLowerCase();
  if (f === 'md' || f === 'markdown') return 'markdown';
  if (f === 'html') return 'html';
  throw new AuditError(`--format must be md or html, not ${JSON.stringify(format)}`);
}
