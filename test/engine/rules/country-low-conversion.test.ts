import { describe, expect, it } from 'vitest';
import { countryLowConversion } from '../../../lambdas/engine/rules/country-low-conversion';
import { reading as r, ruleContext } from '../../support/engine';

describe('country-low-conversion rule', () => {
  it('is quiet for a country that converts like the tenant', () => {
    const counters = [r('sent:country', 101), r('verified:country', 80), r('sent:tenant', 1001), r('verified:tenant', 850)];
    expect(countryLowConversion.evaluate(ruleContext({ counters }))).toBeUndefined();
  });
  it('fires for a country far below the tenant baseline', () => {
    const counters = [r('sent:country', 101), r('verified:country', 20), r('sent:tenant', 1001), r('verified:tenant', 850)];
    expect(countryLowConversion.evaluate(ruleContext({ counters }))).toMatchObject({ reason: 'COUNTRY_LOW_CONVERSION' });
  });
  it('judges against the tenant, not a constant: a tenant whose users rarely verify is not flagged', () => {
    const counters = [r('sent:country', 101), r('verified:country', 20), r('sent:tenant', 1001), r('verified:tenant', 250)];
    expect(countryLowConversion.evaluate(ruleContext({ counters }))).toBeUndefined();
  });
});
