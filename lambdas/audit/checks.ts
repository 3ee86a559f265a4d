import { maskPhone } from '../engine/phone';
import type { AuditConfig } from './config';
import { maskSpelling, redactNumbers } from './numbers';
import { BOT_USER_AGENT, planRequests, type AuditPlan, type CheckId, type CheckRequests, type ProbeResult, type RequestSpec } from './probe';
import type { AuditReport, CheckResult } from './check-types';
import { answer, CHECKS } from './check-definitions';

export type { AuditReport, CheckResult, CheckStatus, Evidence, Severity } from './check-types';
export { CHECKS } from './check-definitions';

/**
 * Sending order. The bot probe goes first so the user's number is not yet limited when it is
 * judged; spellings follow the canonical sends they are compared with.
 */
export const EXECUTION_ORDER: readonly CheckId[] = [
  'bot-check',
  'number-limit',
  'number-aliases',
  'per-client-limit',
  'invalid-numbers',
  'premium-numbers',
  'foreign-numbers',
  'error-leaks',
];

/** The requests an audit of `config` would send, within its budget. */
export function planAudit(config: AuditConfig): AuditPlan {
  const checks: CheckRequests[] = CHECKS.map((c) => ({ id: c.id, requires: c.requires, requests: c.requests(config.phone) }));
  return planRequests(checks, EXECUTION_ORDER, config.maxRequests);
}

/** Judge what the endpoint answered. Error leaks are looked for in every response, not only the malformed one. */
export function evaluateAudit(config: AuditConfig, plan: AuditPlan, results: readonly ProbeResult[], startedAt: Date): AuditReport {
  const redact = redactor(config);
  const describe = (r: ProbeResult) => describeResult(config, r, redact);
  const brief = (r: ProbeResult) => describeResult(config, r, redact, false);
  const sent = results.filter((r) => r.sent);
  const checks = CHECKS.map((check): CheckResult => {
    const base = { id: check.id, title: check.title, severity: check.severity, fix: check.fix };
    const planned = plan.requests.some((r) => r.check === check.id);
    if (!planned && check.id !== 'error-leaks') {
      const needed = check.requests(config.phone).length;
      return { ...base, status: 'not-run', summary: `not run: budget (needs ${needed} request${needed === 1 ? '' : 's'}; raise --max-requests)`, evidence: [] };
    }
    const mine = sent.filter((r) => r.request.check === check.id);
    const { severity, ...verdict } = check.evaluate({ test: config.phone, mine, all: sent, describe, brief, redact, skipped: plan.skipped });
    // Evidence is masked as it is built; the texts are redacted too, so no number can slip through.
    return { ...base, fix: redact(base.fix), severity: severity ?? check.severity, ...verdict, summary: redact(verdict.summary) };
  });
  return {
    target: `POST ${redact(config.url.href)}`,
    testNumber: maskPhone(config.phone),
    startedAt: startedAt.toISOString(),
    maxRequests: config.maxRequests,
    delayMs: config.delayMs,
    planned: plan.requests.length,
    sent: sent.length,
    checks,
    requests: results.map((r) => `${describe(r)} [${r.request.check}]`),
  };
}

/** Masks the test number and every probe number wherever they appear. */
export function redactor(config: AuditConfig): (text: string) => string {
  const numbers = [config.phone.e164, ...CHECKS.flatMap((c) => c.requests(config.phone).map((r) => (r.ownNumber ? undefined : r.phone)))].filter(
    (p): p is string => p !== undefined,
  );
  return (text) => redactNumbers(text, numbers);
}

/** `phone "+4474*****456"` — how a planned request is shown: the number masked, as it was written. */
export function describeRequest(config: AuditConfig, request: RequestSpec): string {
  if (request.malformed) return 'a truncated (malformed) JSON body';
  const masked = maskSpelling(request.phone ?? '', request.ownNumber ? config.phone.nationalNumber.length : undefined);
  return `phone "${masked}"${request.bot ? `, user agent ${BOT_USER_AGENT}, no device token, no challenge` : ''}`;
}

function describeResult(config: AuditConfig, r: ProbeResult, redact: (text: string) => string, withExcerpt = true): string {
  const head = `#${r.request.seq} ${describeRequest(config, r.request)} → `;
  if (!r.sent) return `${head}not sent (an earlier request of this check was already refused)`;
  const body = r.body.replace(/\s+/g, ' ').trim();
  const excerpt = body ? `: ${redact(body.length > 100 ? `${body.slice(0, 100)}…` : body)}` : '';
  return `${head}${answer(r)}${r.status !== undefined && withExcerpt ? excerpt : ''}`;
}
