import { describe, expect, it } from 'vitest';
import { countryMismatch } from '../../../lambdas/engine/rules/country-mismatch';
import { attempt, ruleContext } from '../../support/engine';

describe('country-mismatch rule', () => {
  it('is quiet when IP and number are in the same country (or crown dependency)', () => {
    expect(countryMismatch.evaluate(ruleContext())).toBeUndefined();
    expect(countryMismatch.evaluate(ruleContext({ phoneText: '+44 7911 123456' }))).toBeUndefined();
  });
  it('fires, weakly, for a foreign IP', () => {
    expect(countryMismatch.evaluate(ruleContext({ attempt: attempt({ ip: '90.1.2.3' }) }))).toEqual({ reason: 'COUNTRY_MISMATCH', weight: 10 });
  });
});
