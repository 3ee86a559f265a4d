import { describe, expect, it } from 'vitest';
import { countrySpike } from '../../../lambdas/engine/rules/country-spike';
import { reading as r, ruleContext } from '../../support/engine';

describe('country-spike rule', () => {
  const base = [r('attempts:tenant-yesterday', 5000), r('attempts:country-yesterday', 240)];
  it('is quiet at normal volume', () => {
    expect(countrySpike.evaluate(ruleContext({ counters: [...base, r('attempts:country', 12, Infinity, 'hour')] }))).toBeUndefined();
  });
  it('fires far above the country baseline', () => {
    expect(countrySpike.evaluate(ruleContext({ counters: [...base, r('attempts:country', 80, Infinity, 'hour')] }))).toMatchObject({ reason: 'COUNTRY_SPIKE' });
  });
  it('never fires for a tenant without a baseline (its first day)', () => {
    const counters = [r('attempts:tenant-yesterday', 0), r('attempts:country', 500, Infinity, 'hour')];
    expect(countrySpike.evaluate(ruleContext({ counters }))).toBeUndefined();
  });
});
