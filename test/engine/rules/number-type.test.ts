import { describe, expect, it } from 'vitest';
import { numberType } from '../../../lambdas/engine/rules/number-type';
import { ruleContext } from '../../support/engine';

describe('number-type rule', () => {
  it.each([
    ['+44 909 879 0000', 'PREMIUM_RATE_NUMBER'],
    ['+44 800 123 4567', 'TOLL_FREE_NUMBER'],
    ['+44 20 7946 0000', 'FIXED_LINE_NUMBER'],
    ['+44 70 1234 5678', 'PERSONAL_NUMBER'],
  ])('blocks %s with %s', (phoneText, reason) => {
    expect(numberType.evaluate(ruleContext({ phoneText }))).toMatchObject({ reason, action: 'block' });
  });

  it('scores VoIP numbers without blocking them', () => {
    const finding = numberType.evaluate(ruleContext({ phoneText: '+44 56 1234 5678' }));
    expect(finding).toMatchObject({ reason: 'VOIP_NUMBER' });
    expect(finding).not.toHaveProperty('action');
  });

  it.each(['+44 7400 123456', '+1 212 555 0100', '+86 138 0013 8000'])('is quiet for mobile (or possibly mobile) %s', (phoneText) => {
    expect(numberType.evaluate(ruleContext({ phoneText }))).toBeUndefined();
  });
});
