import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAudit, planAudit, type AuditReport } from '../../lambdas/audit/checks';
import { parseAuditConfig } from '../../lambdas/audit/config';
import { runProbe } from '../../lambdas/audit/probe';
import { registerAudit } from '../../lambdas/cli/audit-command';
import { DEMO_TENANT } from '../../lambdas/local/server';
import { startProtectedEndpoint, startVulnerableEndpoint, type AuditTarget } from '../support/audit-fixtures';
import { runCli } from '../support/cli';

const PHONE = '+44 7400 123456';
const MASKED = '+44 74** ***456';

/** The test number must not appear in any spelling: separators removed, its national digits are absent. */
function expectNoPlainNumber(text: string): void {
  expect(text.replace(/[\s().\-/]/g, '')).not.toContain('7400123456');
}

async function audit(url: string, extra: Record<string, string> = {}): Promise<AuditReport> {
  const config = parseAuditConfig({ url, phone: PHONE, execute: true, delayMs: '0', ...extra });
  const plan = planAudit(config);
  return evaluateAudit(config, plan, await runProbe(config, plan), new Date());
}

const statuses = (report: AuditReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
const execute = (url: string, ...more: string[]) => runCli(registerAudit, ['audit', '--url', url, '--phone', PHONE, '--execute', '--delay-ms', '0', ...more]);

let dir: string;
let vulnerable: AuditTarget;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-shield-audit-test-'));
  vulnerable = await startVulnerableEndpoint();
});

afterAll(async () => {
  await vulnerable?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('audit of a deliberately vulnerable endpoint', () => {
  it('finds every planted weakness, each with evidence and a fix', async () => {
    const report = await audit(vulnerable.url);
    expect(statuses(report)).toEqual({
      'number-limit': 'finding',
      'number-aliases': 'finding',
      'bot-check': 'finding',
      'premium-numbers': 'finding',
      'invalid-numbers': 'finding',
      'foreign-numbers': 'finding',
      'error-leaks': 'finding',
      'per-client-limit': 'finding',
    });
    for (const check of report.checks) {
      expect(check.evidence.length, check.id).toBeGreaterThan(0);
      expect(check.fix, check.id).not.toBe('');
    }
    const leaks = report.checks.find((c) => c.id === 'error-leaks')!;
    expect(leaks.summary).toMatch(/stack trace/);
    expect(leaks.summary).toMatch(/internal path/);
    expect(leaks.summary).toMatch(/framework name/);
    expect(leaks.summary).toMatch(/number echoed back/);
    expect(leaks.evidence.map((e) => e.excerpt).join('\n')).toContain('/srv/sms-app/src/routes/send-code.js');
    expect(report.checks.find((c) => c.id === 'bot-check')!.evidence[0]!.text).toContain('python-requests');
    expect(report.sent).toBe(19);
    expectNoPlainNumber(JSON.stringify(report));
  });

  it('prints a Markdown report with masked numbers', async () => {
    const [markdown] = await execute(vulnerable.url);
    expect(markdown).toMatch(/^# SMS endpoint audit/);
    expect(markdown).toContain('## Findings (8)');
    expect(markdown).toContain(`Test number: \`${MASKED}\``);
    expect(markdown).toContain('`#6 phone "0044 74** ***456" → 200 accepted');
    expect(markdown).toContain('NUMBER_VELOCITY');
    expectNoPlainNumber(markdown!);
  });

  it('writes a self-contained, escaped HTML report when --out ends in .html', async () => {
    const out = join(dir, 'report.html');
    const [line] = await execute(vulnerable.url, '--out', out);
    expect(line).toMatch(/wrote the HTML report to .*report\.html: 8 finding\(s\), 0 passed/);
    const html = await readFile(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
    // The planted stack trace has "<anonymous>" in it: escaped, never markup.
    expect(html).toContain('(&lt;anonymous&gt;)');
    expect(html).not.toContain('<anonymous>');
    expect(html).toContain(MASKED);
    expectNoPlainNumber(html);
  });

  it('exits with status 2 under --fail-on-findings, after writing the whole report', async () => {
    const out = join(dir, 'ci.md');
    const before = process.exitCode;
    try {
      await execute(vulnerable.url, '--out', out, '--fail-on-findings');
      expect(process.exitCode).toBe(2);
      expect(await readFile(out, 'utf8')).toContain('error-leaks');
    } finally {
      process.exitCode = before;
    }
  });
});

describe('audit of SMS Shield behind an app endpoint', () => {
  let protectedTarget: Awaited<ReturnType<typeof startProtectedEndpoint>>;
  beforeAll(async () => {
    protectedTarget = await startProtectedEndpoint();
  });
  afterAll(async () => protectedTarget?.close());

  it('finds none of the weaknesses, and sends no more than needed', async () => {
    const report = await audit(protectedTarget.url);
    expect(report.checks.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.summary}`)).toEqual([]);
    expect(report.checks.find((c) => c.id === 'bot-check')!.summary).toMatch(/challenged \(428\)/);
    expect(report.checks.find((c) => c.id === 'number-limit')!.summary).toMatch(/refused \(429\)/);
    expect(report.checks.find((c) => c.id === 'number-aliases')!.summary).toMatch(/every spelling was refused/);
    // Checks stop at the first refusal: fewer requests than planned.
    expect(report.sent).toBeLessThan(report.planned);
    expect(protectedTarget.requests()).toBe(report.sent);
    // The user's phone got one code; the only other "SMS" went to fictional NANP numbers.
    const outbox = protectedTarget.shield.outbox.list(DEMO_TENANT);
    expect(outbox.filter((m) => m.to === MASKED)).toHaveLength(1);
    expect(outbox.filter((m) => m.to !== MASKED).every((m) => m.to.startsWith('+1 20'))).toBe(true);
  });

  it('leaves the exit status alone under --fail-on-findings when nothing is found', async () => {
    // A fresh target: the previous audit already used up its number's quota.
    const fresh = await startProtectedEndpoint();
    const before = process.exitCode;
    try {
      process.exitCode = undefined;
      const [line] = await execute(fresh.url, '--out', join(dir, 'clean.md'), '--fail-on-findings');
      expect(line).toMatch(/0 finding\(s\), 8 passed/);
      expect(process.exitCode).toBeUndefined();
    } finally {
      process.exitCode = before;
      await fresh.close();
    }
  });
});

describe('audit safety', () => {
  it('sends nothing without --execute, and prints the plan with numbers masked and header values hidden', async () => {
    const before = vulnerable.requests();
    const lines = await runCli(registerAudit, [
      'audit',
      '--url',
      vulnerable.url,
      '--phone',
      PHONE,
      '--header',
      'Authorization: Bearer s3cret-token',
      '--out',
      join(dir, 'dry.md'),
    ]);
    const text = lines.join('\n');
    expect(vulnerable.requests()).toBe(before);
    expect(text).toContain('DRY RUN, nothing was sent');
    expect(text).toContain(`Test number: ${MASKED}`);
    expect(text).toContain('19 request(s) planned, limit 20');
    expect(text).toContain('Authorization: (value hidden)');
    expect(text).not.toContain('s3cret-token');
    expect(text).toContain('no report written');
    expectNoPlainNumber(text);
  });

  it('never sends more than --max-requests, and reports what the budget left out', async () => {
    for (const max of [1, 4, 9]) {
      const before = vulnerable.requests();
      const [markdown] = await execute(vulnerable.url, '--max-requests', String(max));
      expect(vulnerable.requests() - before).toBeLessThanOrEqual(max);
      expect(markdown).toContain('not run: budget');
    }
    await expect(execute(vulnerable.url, '--max-requests', '51')).rejects.toThrow(
      '--max-requests must be a whole number from 1 to 50, not "51" (the hard cap is 50',
    );
  });

  it.each([
    [['--phone', PHONE], '--url is required'],
    [['--url', 'http://127.0.0.1:1/x'], '--phone is required'],
    [['--url', 'not a url', '--phone', PHONE], '--url "not a url" is not a URL'],
    [['--url', 'ftp://127.0.0.1/x', '--phone', PHONE], '--url must be http or https, not ftp'],
    [['--url', 'http://me:pw@127.0.0.1/x', '--phone', PHONE], '--url must not contain credentials'],
    [['--url', 'http://127.0.0.1/x', '--phone', 'call me'], '--phone "call me" is not a valid phone number'],
    [['--url', 'http://127.0.0.1/x', '--phone', '+44 909 879 0000'], '--phone must be a mobile number you own (this one is premium rate)'],
    [['--url', 'http://127.0.0.1/x', '--phone', '07400 123456', '--country', 'GBR'], '--country must be an ISO region code'],
    [['--url', 'http://127.0.0.1/x', '--phone', PHONE, '--max-requests', '0'], '--max-requests must be a whole number from 1 to 50, not "0"'],
    [['--url', 'http://127.0.0.1/x', '--phone', PHONE, '--max-requests', 'lots'], '--max-requests must be a whole number'],
    [['--url', 'http://127.0.0.1/x', '--phone', PHONE, '--delay-ms', '-5'], '--delay-ms must be a whole number from 0 to 60000'],
    [['--url', 'http://127.0.0.1/x', '--phone', PHONE, '--timeout-ms', '1.5'], '--timeout-ms must be a whole number from 100 to 60000'],
    [['--url', 'http://127.0.0.1/x', '--phone', PHONE, '--header', 'no colon here'], '--header "no colon here" must look like \'Name: value\''],
    [['--url', 'http://127.0.0.1/x', '--phone', PHONE, '--header', 'Host: evil.example'], '--header Host cannot be set'],
    [['--url', 'http://127.0.0.1/x', '--phone', PHONE, '--phone-field', 'a b'], '--phone-field "a b" is not a plain JSON field name'],
    [['--url', 'http://127.0.0.1/x', '--phone', PHONE, '--body-template', '{"to":"x"}'], '--body-template must contain {{phone}}'],
    [['--url', 'http://127.0.0.1/x', '--phone', PHONE, '--body-template', '{"to":{{phone}}}'], '--body-template is not valid JSON once {{phone}} is filled in'],
    [
      ['--url', 'http://127.0.0.1/x', '--phone', PHONE, '--body-template', '{"to":"{{phone}}"}', '--phone-field', 'to'],
      'use either --phone-field or --body-template',
    ],
    [['--url', 'http://127.0.0.1/x', '--phone', PHONE, '--format', 'pdf'], '--format must be md or html, not "pdf"'],
  ])('refuses %j with a clear message', async (args, message) => {
    await expect(runCli(registerAudit, ['audit', ...args])).rejects.toThrow(message);
  });

  it('stops with one clear line when the endpoint cannot be reached or does not answer in time', async () => {
    const closed = await listen(createServer());
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(execute(`http://127.0.0.1:${port}/send-code`)).rejects.toThrow(`cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);

    const silent = await listen(createServer(() => undefined));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/send-code`;
      await expect(execute(url, '--timeout-ms', '200')).rejects.toThrow(/cannot reach .*: no answer within 200 ms/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('sends the body template and headers, marks every request, and never follows redirects', async () => {
    const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
    let elsewhere = 0;
    const other = await listen(
      createServer((_req, res) => {
        elsewhere++;
        res.end('{}');
      }),
    );
    const endpoint = await listen(
      createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
          // The malformed probe is redirected: the audit must not go there.
          if (seen.length === 19) res.writeHead(307, { location: `http://127.0.0.1:${(other.address() as AddressInfo).port}/` }).end();
          else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        });
      }),
    );
    try {
      const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/api/otp`;
      await execute(url, '--body-template', '{"to":"{{phone}}","channel":"sms","region":"{{country}}"}', '--header', 'Authorization: Bearer t0ken');
      expect(seen).toHaveLength(19);
      expect(elsewhere).toBe(0);
      expect(JSON.parse(seen[1]!.body)).toEqual({ to: '+447400123456', channel: 'sms', region: 'GB' });
      expect(() => JSON.parse(seen[18]!.body)).toThrow();
      for (const { headers } of seen) {
        expect(headers.authorization).toBe('Bearer t0ken');
        expect(headers['x-sms-shield-audit']).toBe('1');
        expect(headers['content-type']).toBe('application/json');
      }
      expect(seen[0]!.headers['user-agent']).toBe('python-requests/2.32.3');
      expect(seen[1]!.headers['user-agent']).toMatch(/^Mozilla\/5\.0/);
    } finally {
      await Promise.all([endpoint, other].map((s) => new Promise((resolve) => s.close(resolve))));
    }
  });
});

async function listen(server: Server): Promise<Server> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
