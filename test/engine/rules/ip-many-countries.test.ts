import { describe, expect, it } from 'vitest';
import { ipManyCountries } from '../../../lambdas/engine/rules/ip-many-countries';
import { reading as r, ruleContext } from '../../support/engine';

describe('ip-many-countries rule', () => {
  it('is quiet for a few countries', () => {
    expect(ipManyCountries.evaluate(ruleContext({ counters: [r('ip-countries', 2, 3)] }))).toBeUndefined();
  });
  it('fires for many countries from one IP', () => {
    expect(ipManyCountries.evaluate(ruleContext({ counters: [r('ip-countries', 4, 3)] }))).toMatchObject({ reason: 'IP_MANY_COUNTRIES' });
  });
});
