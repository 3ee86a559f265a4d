import { describe, expect, it } from 'vitest';
import { jointDefenseVictim } from '../../../lambdas/engine/rules/joint-defense-victim';
import type { ListEntry } from '../../../lambdas/ports/list-store';
import { T0, reading as r, ruleContext } from '../../support/engine';

const now = Math.floor(T0 / 1000);
const victim = (extra: Partial<ListEntry> = {}): ListEntry => ({
  scope: 'rep',
  kind: 'number',
  value: 'h',
  action: 'block',
  reason: 'JOINT_DEFENSE_VICTIM',
  confidence: 0.9,
  createdAt: now,
  expiresAt: now + 900,
  ...extra,
});
/** The cross-tenant count of SMS to the number this hour, this attempt included. */
const sentThisHour = (n: number) => r('global-number', n, 10, 'hour');

describe('joint-defense-victim rule', () => {
  it('is quiet when the number is not a known victim', () => {
    expect(jointDefenseVictim.evaluate(ruleContext())).toBeUndefined();
    expect(jointDefenseVictim.evaluate(ruleContext({ reputation: [{ ...victim(), kind: 'prefix', reason: 'JOINT_DEFENSE_RANGE' }] }))).toBeUndefined();
  });

  it('defuses a victim for a stranger: a harder proof of work, not a lock', () => {
    expect(jointDefenseVictim.evaluate(ruleContext({ reputation: [victim()], counters: [sentThisHour(2)] }))).toEqual({
      reason: 'JOINT_DEFENSE_VICTIM',
      weight: 0,
      action: 'challenge',
      challengeLevel: 3,
    });
  });

  it('serves the owner without a challenge: a device the account verified on, or the number verified here today', () => {
    const owner = ruleContext({ reputation: [victim()], account: { verified: 3, deviceVerified: 2, networkVerified: 1 }, counters: [sentThisHour(1)] });
    expect(jointDefenseVictim.evaluate(owner)).toEqual({ reason: 'JOINT_DEFENSE_VICTIM', weight: 0 });
    expect(jointDefenseVictim.evaluate(ruleContext({ reputation: [victim()], counters: [r('verified:number', 1)] }))).toEqual({
      reason: 'JOINT_DEFENSE_VICTIM',
      weight: 0,
    });
    const stranger = ruleContext({ reputation: [victim()], account: { verified: 3, deviceVerified: 0, networkVerified: 1 } });
    expect(jointDefenseVictim.evaluate(stranger)).toMatchObject({ action: 'challenge' });
  });

  it('holds everyone, the owner included, to the tight cross-tenant cap with a final rate block', () => {
    const over = [sentThisHour(4)];
    const owner = ruleContext({ reputation: [victim()], counters: [...over, r('verified:number', 1)] });
    expect(jointDefenseVictim.evaluate(owner)).toEqual({ reason: 'JOINT_DEFENSE_VICTIM', weight: 100, action: 'block', retryAfterSeconds: 600, final: true });
    expect(jointDefenseVictim.evaluate(ruleContext({ reputation: [victim()], counters: [sentThisHour(3)] }))).toMatchObject({ action: 'challenge' });
  });

  it('only challenges on a low-confidence (e.g. imported) entry', () => {
    expect(jointDefenseVictim.evaluate(ruleContext({ reputation: [victim({ confidence: 0.4 })] }))).toEqual({
      reason: 'JOINT_DEFENSE_VICTIM',
      weight: 40,
      action: 'challenge',
    });
  });
});
