import type { SendAttempt } from '../domain/types';
import type { GeoInfo } from '../ports/geo';
import { difficultyLevel } from './challenge-level';
import type { ParsedPhone } from './phone';
import { Reason } from '../domain/reasons';
import type { Rule, RuleContext } from './rule';
import { INVALID_NUMBER_FINDING } from './rules/invalid-number';
import { type AppliedFinding, applySettings, type ChallengeLevels, ruleEnabled } from './score';
import type { AgentKind } from './user-agent';

/**
 * Run every enabled rule on the context and apply the tenant's settings to the findings. A number
 * that does not parse as a valid number is never sent to, whatever the tenant's policy says about
 * `invalid-number`: its floor finding goes in when the rule was switched off or softened.
 */
export function judge(rules: readonly Rule[], ctx: RuleContext): AppliedFinding[] {
  const { policy, attempt } = ctx;
  const findings: AppliedFinding[] = [];
  for (const rule of rules) {
    if (!ruleEnabled(rule, policy, attempt.scenario)) continue;
    const raw = rule.evaluate(ctx);
    if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) continue;
    for (const finding of applySettings(rule, raw, policy, attempt.scenario)) findings.push(finding);
  }
  unsendableFloor(ctx.phone, findings);
  return findings;
}

function unsendableFloor(phone: ParsedPhone | undefined, findings: AppliedFinding[]): void {
  if (phone?.valid) return;
  if (findings.some((f) => f.reason === Reason.INVALID_NUMBER && f.action === 'block')) return;
  findings.push({ ...INVALID_NUMBER_FINDING, ruleId: 'engine' });
}

/**
 * The levels a solution is judged by: what the challenge route gives a caller with this
 * attempt's address and user agent (fetch velocity aside: the fetching address may not be the
 * attempt's), so a solution fetched from a clean address cannot clear a datacenter bot.
 */
export function challengeLevels(attempt: SendAttempt, geo: GeoInfo, agent: AgentKind, max: number): ChallengeLevels {
  return { base: difficultyLevel({ hosting: geo.hosting, agent, issuedThisHour: 0 }, max), max, solved: attempt.challengeLevel };
}
