import { describe, expect, it } from 'vitest';
import { lists } from '../../../lambdas/engine/rules/lists';
import { ruleContext } from '../../support/engine';

describe('lists rule', () => {
  const entry = (action: 'block' | 'allow', kind: 'number' | 'cidr' = 'number') => ({ scope: 't:shop', kind, value: 'x', action, createdAt: 0 });
  it('is quiet without matches', () => {
    expect(lists.evaluate(ruleContext())).toEqual([]);
  });
  it('turns block entries into hard blocks and allow entries into allows', () => {
    expect(lists.evaluate(ruleContext({ lists: [entry('block', 'cidr'), entry('allow')] }))).toEqual([
      { reason: 'BLOCKLISTED_IP', weight: 100, action: 'block' },
      { reason: 'ALLOWLISTED_NUMBER', weight: 0, action: 'allow' },
    ]);
  });
});
