import type { Scenario, SendAttempt } from '../domain/types';
import type { GeoInfo } from '../ports/geo';
import { difficultyLevel } from './challenge-level';
import type { ParsedPhone } from './phone';
import type { Policy } from './policy';
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
  for (const rule of enabledRules(rules, policy, attempt.scenario)) {
    const raw = rule.evaluate(ctx);
    if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) continue;
    for (const finding of applySettings(rule, raw, policy, attempt.scenario)) findings.push(finding);
  }
  unsendableFloor(ctx.phone, findings);
  return findings;
}

/** Rules enabled per rule list, policy and scenario: policies are immutable once resolved (see `score.ts`). */
const enabledCache = new WeakMap<readonly Rule[], WeakMap<Policy, Map<Scenario, readonly Rule[]>>>();

/** The rules that run for this policy and scenario, in order: worked out once, not per rule per verdict. */
function enabledRules(rules: readonly Rule[], policy: Policy, scenario: Scenario): readonly Rule[] {
  let perRules = enabledCache.get(rules);
  if (!perRules) enabledCache.set(rules, (perRules = new WeakMap()));
  let perPolicy = perRules.get(policy);
  if (!perPolicy) perRules.set(policy, (perPolicy = new Map()));
  let enabled = perPolicy.get(scenario);
  if (!enabled) perPolicy.set(scenario, (enabled = rules.filter((rule) => ruleEnabled(rule, policy, scenario))));
  return enabled;
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
