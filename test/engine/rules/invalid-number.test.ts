import { describe, expect, it } from 'vitest';
import { invalidNumber } from '../../../lambdas/engine/rules/invalid-number';
import { ruleContext } from '../../support/engine';

describe('invalid-number rule', () => {
  it('blocks a number that cannot exist', () => {
    expect(invalidNumber.evaluate(ruleContext({ phoneText: '+44 7700 900123' }))).toMatchObject({
      reason: 'INVALID_NUMBER',
      action: 'block',
    });
  });

  it('blocks input that is not a number at all', () => {
    expect(invalidNumber.evaluate(ruleContext({ phone: undefined }))).toMatchObject({ reason: 'INVALID_NUMBER' });
  });

  it('is quiet for a valid mobile number', () => {
    expect(invalidNumber.evaluate(ruleContext({ phoneText: '+44 7400 123456' }))).toBeUndefined();
  });
});
