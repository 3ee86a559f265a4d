import { ruleSetting, type Policy, type RuleSetting } from './policy';
import { Reason, type ReasonCode } from '../domain/reasons';
import type { Rule } from './rule';
import type { ChallengeState, Decision, Finding, RiskLevel, Scenario, Verdict } from '../domain/types';

/** A finding after the tenant's settings were applied to it. */
export interface AppliedFinding extends Finding {
  readonly ruleId: string;
}

/**
 * Apply tenant settings to a rule's raw findings. A setting keyed by the reason code
 * wins over one keyed by the rule id, so one reason of a rule can be tuned alone.
 */
export function applySettings(rule: Rule, raw: Finding | readonly Finding[] | undefined, policy: Policy, scenario: Scenario): AppliedFinding[] {
  if (!raw) return [];
  const list = Array.isArray(raw) ? (raw as readonly Finding[]) : [raw as Finding];
  const out: AppliedFinding[] = [];
  for (const finding of list) {
    const setting = effectiveSetting(rule, finding.reason, policy, scenario);
    if (setting.enabled === false) continue;
    const action = setting.action === undefined ? finding.action : setting.action === 'score' ? undefined : setting.action;
    // A plain literal, not a spread: this runs for every finding of every verdict.
    out.push({
      reason: finding.reason,
      weight: setting.weight ?? finding.weight,
      action,
      retryAfterSeconds: finding.retryAfterSeconds,
      final: finding.final,
      challengeLevel: finding.challengeLevel,
      stepUp: setting.stepUp ?? finding.stepUp,
      ruleId: rule.id,
    });
  }
  return out;
}

/** Whether a rule runs at all for this policy and scenario (a rule switched off costs nothing). */
export function ruleEnabled(rule: Rule, policy: Policy, scenario: Scenario): boolean {
  return effectiveSetting(rule, undefined, policy, scenario).enabled !== false;
}

// Policies are immutable once resolved, so merged settings are cached per policy object,
// scenario and rule (nested maps: no string building on the verdict path).
interface RuleSettings {
  readonly byRule: RuleSetting;
  readonly byReason: Map<string, RuleSetting>;
}
const settingsCache = new WeakMap<Policy, Map<Scenario, Map<Rule, RuleSettings>>>();

function effectiveSetting(rule: Rule, reason: string | undefined, policy: Policy, scenario: Scenario): RuleSetting {
  let perPolicy = settingsCache.get(policy);
  if (!perPolicy) settingsCache.set(policy, (perPolicy = new Map()));
  let perScenario = perPolicy.get(scenario);
  if (!perScenario) perPolicy.set(scenario, (perScenario = new Map()));
  let settings = perScenario.get(rule);
  if (!settings) {
    settings = { byRule: { ...rule.defaults, ...ruleSetting(policy, scenario, rule.id) }, byReason: new Map() };
    perScenario.set(rule, settings);
  }
  if (reason === undefined) return settings.byRule;
  let setting = settings.byReason.get(reason);
  if (!setting) settings.byReason.set(reason, (setting = { ...settings.byRule, ...ruleSetting(policy, scenario, reason) }));
  return setting;
}

export function levelOf(score: number): RiskLevel {
  if (score >= 70) return 'high';
  if (score >= 40) return 'medium';
  return 'low';
}

/**
 * Combine findings into a verdict. Allow entries win over everything (test numbers) but final
 * blocks (a number that cannot take an SMS, the cross-tenant cap); hard blocks short-circuit;
 * soft findings add up against the scenario's thresholds. A challenge the caller already passed
 * turns a challenge into an allow, unless a finding asks for a step-up (`stepUp`) that no proof
 * of work clears.
 */
export function decide(
  findings: readonly AppliedFinding[],
  policy: Policy,
  scenario: Scenario,
  solution: ChallengeState,
  levels: ChallengeLevels = NO_LEVELS,
): Verdict {
  let challenge: ChallengeState | 'weak' | 'not-enough' = solution;
  const thresholds = policy.scenarios[scenario];
  const allowed = findings.filter((f) => f.action === 'allow');
  const shadow = policy.mode === 'shadow' ? { shadow: true } : {};
  if (allowed.length > 0) {
    const floor = findings.filter((f) => f.final === true && f.action === 'block');
    if (floor.length === 0) return { decision: 'allow', score: 0, level: 'low', reasons: allowed.map((f) => f.reason), ...shadow };
    // The allow entry stands for everything else; the verdict names both, the hard reason first.
    const retryAfter = Math.max(0, ...floor.map((f) => f.retryAfterSeconds ?? 0));
    return {
      decision: 'block',
      score: 100,
      level: 'high',
      reasons: [...new Set([...floor.map((f) => f.reason), ...allowed.map((f) => f.reason)])],
      ...(retryAfter > 0 && onlyRateBlocks(floor) ? { retryAfterSeconds: retryAfter } : {}),
      ...shadow,
    };
  }

  const ordered = [...findings].sort((a, b) => rank(b) - rank(a) || b.weight - a.weight);
  const reasons: string[] = [...new Set(ordered.map((f) => f.reason))];
  const sum = Math.min(
    100,
    findings.reduce((total, f) => total + Math.max(0, f.weight), 0),
  );

  let decision: Decision;
  let score = sum;
  let required = 1;
  if (findings.some((f) => f.action === 'block')) {
    decision = 'block';
    score = Math.max(sum, thresholds.blockAt);
  } else if (sum >= thresholds.blockAt) {
    decision = 'block';
  } else if (findings.some((f) => f.action === 'challenge') || sum >= thresholds.challengeAt) {
    required = requiredLevel(findings, levels);
    // A solution easier than this attempt's risk asks for does not count (its level is signed).
    if (challenge === 'passed' && levels.solved !== undefined && levels.solved < required) challenge = 'weak';
    // …and no solution clears a finding that asks for a step-up beyond proof of work.
    if (challenge === 'passed' && findings.some((f) => f.action === 'challenge' && f.stepUp === true)) challenge = 'not-enough';
    decision = challenge === 'passed' ? 'allow' : 'challenge';
    score = Math.max(sum, decision === 'challenge' ? thresholds.challengeAt : 0);
  } else {
    decision = 'allow';
  }

  const retryAfter =
    decision === 'block' ? Math.max(0, ...findings.filter((f) => f.action === 'block' && f.retryAfterSeconds).map((f) => f.retryAfterSeconds ?? 0)) : 0;
  // A challenge tells the client what to do first, then why.
  if (decision === 'challenge' && challenge !== 'passed') reasons.unshift(CHALLENGE_REASON[challenge]);
  return {
    decision,
    score,
    level: levelOf(score),
    reasons,
    ...(retryAfter > 0 && onlyRateBlocks(findings) ? { retryAfterSeconds: retryAfter } : {}),
    ...(decision === 'challenge' && required > 1 ? { challengeLevel: required } : {}),
    ...shadow,
  };
}

/**
 * The proof-of-work levels around one verdict: the level the attempt's own signals ask for (the
 * level the challenge route gives such a caller), the highest level this deployment issues, and
 * the level of the solution that came with the attempt, if any.
 */
export interface ChallengeLevels {
  readonly base: number;
  readonly max: number;
  /** The signed level of a passed solution; absent (replay, tests): taken as high enough. */
  readonly solved?: number;
}

const NO_LEVELS: ChallengeLevels = { base: 1, max: Number.POSITIVE_INFINITY };

/** The level a solution must have: the attempt's own, raised by any challenge finding, within what is issued. */
function requiredLevel(findings: readonly AppliedFinding[], levels: ChallengeLevels): number {
  let level = levels.base;
  for (const f of findings) if (f.action === 'challenge' && f.challengeLevel !== undefined && f.challengeLevel > level) level = f.challengeLevel;
  return Math.max(1, Math.min(level, levels.max));
}

/** Why a challenge verdict stands: the solution was missing, wrong, already used, too easy, or not enough. */
const CHALLENGE_REASON: Record<Exclude<ChallengeState | 'weak' | 'not-enough', 'passed'>, ReasonCode> = {
  absent: Reason.CHALLENGE_REQUIRED,
  failed: Reason.CHALLENGE_INVALID,
  replayed: Reason.CHALLENGE_REPLAYED,
  weak: Reason.CHALLENGE_TOO_EASY,
  'not-enough': Reason.CHALLENGE_NOT_ENOUGH,
};

function rank(f: Finding): number {
  return f.action === 'block' ? 2 : f.action === 'challenge' ? 1 : 0;
}

/** A block is a rate limit (429 with Retry-After) only when every hard block is a rate block. */
function onlyRateBlocks(findings: readonly Finding[]): boolean {
  return findings.filter((f) => f.action === 'block').every((f) => f.retryAfterSeconds !== undefined);
}
