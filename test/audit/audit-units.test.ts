import { describe, expect, it } from 'vitest';
import { CHECKS, EXECUTION_ORDER, evaluateAudit, planAudit, type AuditReport } from '../../lambdas/audit/checks';
import { HARD_MAX_REQUESTS, parseAuditConfig } from '../../lambdas/audit/config';
import {
  aliasSpellings,
  foreignNumber,
  INVALID_NUMBERS,
  maskSpelling,
  parseTestNumber,
  perClientNumbers,
  PREMIUM_NUMBER,
  redactNumbers,
} from '../../lambdas/audit/numbers';
import { classify, type ProbeResult } from '../../lambdas/audit/probe';
import { renderHtml, renderMarkdown } from '../../lambdas/audit/report';
import { maskPhone, parsePhone } from '../../lambdas/engine/phone';

const config = (extra: Record<string, string | boolean> = {}) =>
  parseAuditConfig({ url: 'https://api.example.com/send-code', phone: '+44 7400 123456', ...extra });

describe('audit numbers', () => {
  it.each([
    ['+44 7400 123456', 'GB'],
    ['+1 415 555 2671', 'US'],
    ['+61 412 345 678', 'AU'],
  ])('spells %s in other ways that all mean the same number', (raw, region) => {
    const test = parseTestNumber(raw);
    const spellings = aliasSpellings(test);
    expect(spellings).toHaveLength(4);
    expect(new Set(spellings).size).toBe(4);
    for (const spelling of spellings) {
      expect(spelling).not.toBe(test.e164);
      expect(parsePhone(spelling, region)?.e164, spelling).toBe(test.e164);
    }
  });

  it('probes others only with numbers that cannot reach anyone', () => {
    for (const raw of ['+44 7400 123456', '+1 415 555 2671', '+61 412 345 678']) {
      const test = parseTestNumber(raw);
      for (const n of perClientNumbers(test, 6)) {
        const parsed = parsePhone(n)!;
        // Valid to libphonenumber (so an endpoint judges them as numbers), but fictional.
        expect(parsed.valid, n).toBe(true);
        expect(parsed.e164).not.toBe(test.e164);
        expect(parsed.e164, n).toMatch(test.country === 'AU' ? /^\+61491(570|571|572)\d{3}$/ : /^\+1\d{3}55501\d\d$/);
      }
      const foreign = parsePhone(foreignNumber(test))!;
      expect(foreign.valid).toBe(true);
      expect(foreign.country).not.toBe(test.country);
    }
    expect(perClientNumbers(parseTestNumber('+1 415 555 2671'), 2)).toEqual(['+1 415 555 0100', '+1 415 555 0117']);
    expect(parsePhone(PREMIUM_NUMBER)?.type).toBe('PREMIUM_RATE');
    for (const n of INVALID_NUMBERS) expect(parsePhone(n)?.valid ?? false, n).toBe(false);
  });

  it('masks a number as written, like maskPhone, and redacts it in any spelling', () => {
    const test = parseTestNumber('+44 7400 123456');
    expect(maskSpelling('+44 7400 123456')).toBe(maskPhone(test));
    expect(maskSpelling('0044 7400 123456', 10)).toBe('0044 74** ***456');
    expect(maskSpelling('+44 (0)7400-123456', 10)).toBe('+44 (0)74**-***456');
    expect(maskSpelling('+44 12')).toBe('+44 **');
    const text = 'sent to +447400123456, 07400 123 456 and 44 7400-123456; +44 12 refused';
    const redacted = redactNumbers(text, [test.e164, '+44 12']);
    expect(redacted).toBe('sent to +4474*****456, 074** *** 456 and 44 74**-***456; +44 ** refused');
  });

  it('refuses a test number that is not a mobile', () => {
    expect(() => parseTestNumber('+44 20 7946 0123')).toThrow('--phone must be a mobile number you own (this one is fixed line)');
    expect(parseTestNumber('07400 123456', 'GB').e164).toBe('+447400123456');
  });
});

describe('audit planning', () => {
  it('never plans more than --max-requests, and names what it left out', () => {
    for (let max = 1; max <= HARD_MAX_REQUESTS; max++) {
      const plan = planAudit(config({ maxRequests: String(max) }));
      expect(plan.requests.length).toBeLessThanOrEqual(max);
      const planned = new Set(plan.requests.map((r) => r.check));
      for (const check of CHECKS) expect(planned.has(check.id) !== plan.skipped.includes(check.id), `${check.id} at ${max}`).toBe(true);
      // Spellings are only judged against the canonical sends.
      if (planned.has('number-aliases')) expect(planned.has('number-limit')).toBe(true);
    }
    expect(planAudit(config()).requests).toHaveLength(19);
    expect(planAudit(config({ maxRequests: '9' })).skipped).toEqual(['invalid-numbers', 'foreign-numbers', 'error-leaks', 'per-client-limit']);
  });

  it('sends the bot probe first and numbers requests in sending order', () => {
    const plan = planAudit(config());
    expect(plan.requests.map((r) => r.seq)).toEqual(plan.requests.map((_, i) => i + 1));
    expect(plan.requests[0]).toMatchObject({ check: 'bot-check', bot: true, ownNumber: true });
    const order = [...new Set(plan.requests.map((r) => r.check))];
    expect(order).toEqual(EXECUTION_ORDER);
    // At most 8 requests can reach the user's phone.
    expect(plan.requests.filter((r) => r.ownNumber)).toHaveLength(8);
  });
});

describe('audit judging', () => {
  it.each([
    [200, '{"ok":true}', 'accepted'],
    [204, '', 'accepted'],
    [428, '{}', 'challenged'],
    [403, '{"error":"captcha required"}', 'challenged'],
    [200, '{"next":"solve the challenge"}', 'challenged'],
    [429, '{}', 'refused'],
    [400, '{}', 'refused'],
    [307, '', 'refused'],
    [500, 'boom', 'error'],
  ] as const)('classifies %i %s as %s', (status, body, outcome) => {
    expect(classify(status, body)).toBe(outcome);
  });

  /** Answer every planned request with `answer(seq)`. */
  function judge(answer: (seq: number, check: string) => number): AuditReport {
    const c = config({ execute: true });
    const plan = planAudit(c);
    const results: ProbeResult[] = plan.requests.map((request) => {
      const status = answer(request.seq, request.check);
      return { request, sent: true, status, outcome: classify(status, ''), body: '', headers: {}, at: 0, ms: 1 };
    });
    return evaluateAudit(c, plan, results, new Date(0));
  }
  const check = (report: AuditReport, id: string) => report.checks.find((c) => c.id === id)!;

  it('reports spellings accepted after the canonical form was limited as a high finding', () => {
    const report = judge((seq, id) => (id === 'number-limit' && seq > 2 ? 429 : 200));
    expect(check(report, 'number-limit').status).toBe('passed');
    expect(check(report, 'number-aliases')).toMatchObject({ status: 'finding', severity: 'high' });
    expect(check(report, 'number-aliases').summary).toMatch(/4 of 4 spellings were accepted after the canonical form was refused \(#3\)/);
  });

  it('calls the per-client check inconclusive when the very first probe number is refused', () => {
    const report = judge((_seq, id) => (id === 'per-client-limit' || id === 'foreign-numbers' ? 403 : 200));
    expect(check(report, 'per-client-limit').status).toBe('inconclusive');
    expect(check(report, 'per-client-limit').summary).toMatch(/no per-client limit could be observed/);
  });

  it('does not count a server error as a limit', () => {
    const report = judge((_seq, id) => (id === 'number-limit' ? 503 : 200));
    expect(check(report, 'number-limit').status).toBe('inconclusive');
  });
});

describe('audit reports', () => {
  const report: AuditReport = {
    target: 'POST https://api.example.com/send-code?x=<b>',
    testNumber: '+44 74** ***456',
    startedAt: '2026-01-01T00:00:00.000Z',
    maxRequests: 20,
    delayMs: 1000,
    planned: 1,
    sent: 1,
    checks: [
      {
        id: 'error-leaks',
        title: 'Responses leak internals or the number',
        severity: 'medium',
        status: 'finding',
        summary: 'seen: <img src=x onerror=alert(1)> | pipe',
        evidence: [{ text: '#1 a `tick` → 500 error: <script>alert(1)</script>', excerpt: '```\n<script>alert("x")</script>' }],
        fix: 'Use `generic` errors & no <b>tags</b>.',
      },
    ],
    requests: ['#1 <script>'],
  };

  it('escapes everything in HTML', () => {
    const html = renderHtml(report);
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<code>generic</code> errors &amp; no &lt;b&gt;tags&lt;/b&gt;');
  });

  it('keeps Markdown structure whatever the evidence contains', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('| seen: <img src=x onerror=alert(1)> \\| pipe |');
    expect(md).toContain('- ``#1 a `tick` → 500 error: <script>alert(1)</script>``');
    // A longer fence than any run of backticks inside the excerpt.
    expect(md).toContain('  ````\n  ```\n  <script>alert("x")</script>\n  ````');
  });
});
