import { describe, expect, it } from 'vitest';
import type { ReasonCode } from '../../lambdas/domain/reasons';
import type { Rule } from '../../lambdas/engine/rule';
import { applySettings, decide, levelOf, type AppliedFinding } from '../../lambdas/engine/score';
import { policy } from '../support/engine';

/** Made-up reason codes keep these tests about scoring, not about any one rule. */
const code = (reason: string) => reason as ReasonCode;
const soft = (reason: string, weight: number): AppliedFinding => ({ reason: code(reason), weight, ruleId: 'r' });
const rule: Rule = { id: 'sample', evaluate: () => undefined };

describe('decide', () => {
  it('allows with no findings', () => {
    expect(decide([], policy(), 'login', 'absent')).toEqual({ decision: 'allow', score: 0, level: 'low', reasons: [] });
  });

  it('adds soft findings against the scenario thresholds', () => {
    expect(decide([soft('A', 20), soft('B', 25)], policy(), 'login', 'absent')).toMatchObject({ decision: 'challenge', score: 45 });
    expect(decide([soft('A', 50), soft('B', 25)], policy(), 'login', 'absent')).toMatchObject({ decision: 'block', score: 75 });
    // transfer is stricter than login
    expect(decide([soft('A', 30)], policy(), 'login', 'absent').decision).toBe('allow');
    expect(decide([soft('A', 30)], policy(), 'transfer', 'absent').decision).toBe('challenge');
  });

  it('lets a hard block win whatever the score, with reasons hard-first', () => {
    const verdict = decide([soft('SOFT', 10), { reason: code('HARD'), weight: 5, action: 'block', ruleId: 'r' }], policy(), 'login', 'absent');
    expect(verdict).toMatchObject({ decision: 'block', reasons: ['HARD', 'SOFT'] });
    expect(verdict.score).toBeGreaterThanOrEqual(70);
  });

  it('turns a challenge into an allow when the caller passed one, and says what is missing otherwise', () => {
    expect(decide([soft('A', 45)], policy(), 'login', 'passed')).toMatchObject({ decision: 'allow', reasons: ['A'] });
    expect(decide([soft('A', 45)], policy(), 'login', 'failed')).toMatchObject({ decision: 'challenge', reasons: ['CHALLENGE_INVALID', 'A'] });
    expect(decide([soft('A', 45)], policy(), 'login', 'absent')).toMatchObject({ decision: 'challenge', reasons: ['CHALLENGE_REQUIRED', 'A'] });
    expect(decide([soft('A', 45)], policy(), 'login', 'replayed')).toMatchObject({ decision: 'challenge', reasons: ['CHALLENGE_REPLAYED', 'A'] });
  });

  it('keeps a step-up challenge a challenge when the caller solved the proof of work, and still clears ordinary ones', () => {
    const stepUp: AppliedFinding = { reason: code('TAKEOVER'), weight: 0, action: 'challenge', stepUp: true, ruleId: 'r' };
    expect(decide([stepUp, soft('A', 10)], policy(), 'reset_password', 'passed')).toMatchObject({
      decision: 'challenge',
      reasons: ['CHALLENGE_NOT_ENOUGH', 'TAKEOVER', 'A'],
    });
    // Without a solution it says what is missing first, as any challenge does.
    expect(decide([stepUp], policy(), 'reset_password', 'absent')).toMatchObject({ decision: 'challenge', reasons: ['CHALLENGE_REQUIRED', 'TAKEOVER'] });
    // A step-up flag on a soft finding (no challenge action) does not hold back a solved challenge.
    expect(decide([{ ...soft('B', 45), stepUp: true }], policy(), 'login', 'passed')).toMatchObject({ decision: 'allow' });
    const challenge: AppliedFinding = { reason: code('C'), weight: 0, action: 'challenge', ruleId: 'r' };
    expect(decide([challenge], policy(), 'reset_password', 'passed')).toMatchObject({ decision: 'allow', reasons: ['C'] });
  });

  it('lets allow entries beat every rule but final blocks, naming both', () => {
    const allow: AppliedFinding = { reason: code('ALLOWLISTED_IP'), weight: 0, action: 'allow', ruleId: 'l' };
    const premium: AppliedFinding = { reason: code('PREMIUM_RATE_NUMBER'), weight: 100, action: 'block', final: true, ruleId: 't' };
    const cap: AppliedFinding = { reason: code('GLOBAL_NUMBER_VELOCITY'), weight: 100, action: 'block', final: true, retryAfterSeconds: 40, ruleId: 'g' };
    expect(decide([allow, premium, soft('S', 10)], policy(), 'login', 'absent')).toEqual({
      decision: 'block',
      score: 100,
      level: 'high',
      reasons: ['PREMIUM_RATE_NUMBER', 'ALLOWLISTED_IP'],
    });
    expect(decide([allow, cap], policy(), 'login', 'absent')).toMatchObject({
      decision: 'block',
      reasons: ['GLOBAL_NUMBER_VELOCITY', 'ALLOWLISTED_IP'],
      retryAfterSeconds: 40,
    });
    // A final finding a policy softened to a score no longer blocks past the allow entry.
    expect(decide([allow, { ...premium, action: undefined }], policy(), 'login', 'absent').decision).toBe('allow');
  });

  it('lets allow entries beat every rule', () => {
    const verdict = decide(
      [
        { reason: code('HARD'), weight: 100, action: 'block', ruleId: 'r' },
        { reason: code('ALLOWLISTED'), weight: 0, action: 'allow', ruleId: 'l' },
      ],
      policy(),
      'login',
      'absent',
    );
    expect(verdict).toMatchObject({ decision: 'allow', reasons: ['ALLOWLISTED'] });
  });

  it('gives Retry-After only when every hard block is a rate limit', () => {
    const rate: AppliedFinding = { reason: code('NUMBER_VELOCITY'), weight: 100, action: 'block', retryAfterSeconds: 60, ruleId: 'v' };
    expect(decide([rate], policy(), 'login', 'absent').retryAfterSeconds).toBe(60);
    const hard: AppliedFinding = { reason: code('PREMIUM_RATE_NUMBER'), weight: 100, action: 'block', ruleId: 't' };
    expect(decide([rate, hard], policy(), 'login', 'absent').retryAfterSeconds).toBeUndefined();
  });

  it('marks verdicts in shadow mode', () => {
    expect(decide([], policy({ mode: 'shadow' }), 'login', 'absent').shadow).toBe(true);
  });

  it('maps scores to levels', () => {
    expect([levelOf(0), levelOf(39), levelOf(40), levelOf(69), levelOf(70)]).toEqual(['low', 'low', 'medium', 'medium', 'high']);
  });
});

describe('applySettings', () => {
  const finding = { reason: code('FIXED_LINE_NUMBER'), weight: 100, action: 'block' as const };

  it('keeps a finding as the rule made it by default', () => {
    expect(applySettings(rule, finding, policy(), 'login')).toEqual([{ ...finding, ruleId: 'sample' }]);
  });

  it('switches a rule off per tenant, or one reason of it', () => {
    expect(applySettings(rule, finding, policy({ rules: { sample: { enabled: false } } }), 'login')).toEqual([]);
    expect(applySettings(rule, finding, policy({ rules: { FIXED_LINE_NUMBER: { enabled: false } } }), 'login')).toEqual([]);
  });

  it('lets a scenario override the tenant-wide setting', () => {
    const p = policy({ rules: { sample: { action: 'score', weight: 20 } }, scenarios: { transfer: { rules: { sample: { action: 'block' } } } } });
    expect(applySettings(rule, finding, p, 'login')).toEqual([{ reason: code('FIXED_LINE_NUMBER'), weight: 20, action: undefined, ruleId: 'sample' }]);
    expect(applySettings(rule, finding, p, 'transfer')[0]).toMatchObject({ action: 'block', weight: 20 });
  });

  it('lets a tenant turn a finding into a step-up a solved proof of work does not clear, or back', () => {
    const p = policy({ scenarios: { transfer: { rules: { FIXED_LINE_NUMBER: { action: 'challenge', stepUp: true } } } } });
    expect(applySettings(rule, finding, p, 'transfer')[0]).toMatchObject({ action: 'challenge', stepUp: true });
    expect(applySettings(rule, finding, p, 'login')[0]?.stepUp).toBeUndefined();
    const lenient = policy({ rules: { sample: { action: 'challenge', stepUp: false } } });
    expect(applySettings(rule, { ...finding, stepUp: true }, lenient, 'login')[0]).toMatchObject({ action: 'challenge', stepUp: false });
  });
});
