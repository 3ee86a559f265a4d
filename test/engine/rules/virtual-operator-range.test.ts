import { describe, expect, it } from 'vitest';
import { virtualOperatorRange } from '../../../lambdas/engine/rules/virtual-operator-range';
import { ruleContext } from '../../support/engine';

describe('virtual-operator-range rule', () => {
  it.each(['+86 162 1234 5678', '+86 165 1234 5678', '+86 167 1234 5678', '+86 170 0123 4567', '+86 171 2345 6789'])(
    'scores %s without blocking',
    (phoneText) => {
      const finding = virtualOperatorRange.evaluate(ruleContext({ phoneText }));
      expect(finding).toMatchObject({ reason: 'VIRTUAL_OPERATOR_RANGE', weight: 30 });
      expect(finding).not.toHaveProperty('action');
    },
  );

  it.each(['+86 138 0013 8000', '+86 186 1234 5678', '+44 7400 123456', '+1 212 555 0100'])('is quiet for %s', (phoneText) => {
    expect(virtualOperatorRange.evaluate(ruleContext({ phoneText }))).toBeUndefined();
  });

  it('is quiet for an invalid number that merely starts like a listed segment', () => {
    expect(virtualOperatorRange.evaluate(ruleContext({ phoneText: '+86 170 12' }))).toBeUndefined();
  });
});
