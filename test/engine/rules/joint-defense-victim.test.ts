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

describe('joint-defense-victim rule', () => {
  it('is quiet when the number is not a known victim', () => {
    expect(jointDefenseVictim.evaluate(ruleContext())).toBeUndefined();
    expect(jointDefenseVictim.evaluate(ruleContext({ reputation: [{ ...victim(), kind: 'prefix', reason: 'JOINT_DEFENSE_RANGE' }] }))).toBeUndefined();
  });

  it('blocks a victim for every tenant until the entry expires', () => {
    expect(jointDefenseVictim.evaluate(ruleContext({ reputation: [victim()] }))).toEqual({
      reason: 'JOINT_DEFENSE_VICTIM',
      weight: 100,
      action: 'block',
      retryAfterSeconds: 900,
    });
  });

  it("challenges instead when the attempt shows it is the owner's: a device the account verified on", () => {
    const owner = ruleContext({ reputation: [victim()], account: { verified: 3, deviceVerified: 2, networkVerified: 1 } });
    expect(jointDefenseVictim.evaluate(owner)).toEqual({ reason: 'JOINT_DEFENSE_VICTIM', weight: 40, action: 'challenge' });
    const stranger = ruleContext({ reputation: [victim()], account: { verified: 3, deviceVerified: 0, networkVerified: 1 } });
    expect(jointDefenseVictim.evaluate(stranger)).toMatchObject({ action: 'block' });
  });

  it('challenges when the number verified a code with this tenant today', () => {
    expect(jointDefenseVictim.evaluate(ruleContext({ reputation: [victim()], counters: [r('verified:number', 1)] }))).toMatchObject({ action: 'challenge' });
  });

  it('only challenges on a low-confidence (e.g. imported) entry', () => {
    expect(jointDefenseVictim.evaluate(ruleContext({ reputation: [victim({ confidence: 0.4 })] }))).toMatchObject({ action: 'challenge' });
  });
});
