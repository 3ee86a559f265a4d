import { describe, expect, it } from 'vitest';
import { countryPolicy } from '../../../lambdas/engine/rules/country-policy';
import { policy, ruleContext } from '../../support/engine';

describe('country-policy rule', () => {
  it('is quiet without country lists', () => {
    expect(countryPolicy.evaluate(ruleContext())).toBeUndefined();
  });
  it('blocks a denied country and anything outside an allow list', () => {
    expect(countryPolicy.evaluate(ruleContext({ policy: policy({ countries: { deny: ['GB'] } }) }))).toMatchObject({
      reason: 'COUNTRY_NOT_ALLOWED',
      action: 'block',
    });
    expect(countryPolicy.evaluate(ruleContext({ policy: policy({ countries: { allow: ['FR', 'DE'] } }) }))).toMatchObject({ reason: 'COUNTRY_NOT_ALLOWED' });
    expect(countryPolicy.evaluate(ruleContext({ policy: policy({ countries: { allow: ['GB'] } }) }))).toBeUndefined();
  });
});
