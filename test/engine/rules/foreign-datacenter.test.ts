import { describe, expect, it } from 'vitest';
import { foreignDatacenter } from '../../../lambdas/engine/rules/foreign-datacenter';
import { attempt, policy, ruleContext } from '../../support/engine';

describe('foreign-datacenter rule', () => {
  it("is quiet for a datacenter in the number's own country", () => {
    expect(foreignDatacenter.evaluate(ruleContext({ attempt: attempt({ ip: '3.3.3.3', phone: '+1 212 555 0100' }) }))).toBeUndefined();
  });
  it('blocks a foreign datacenter', () => {
    expect(foreignDatacenter.evaluate(ruleContext({ attempt: attempt({ ip: '5.5.5.5' }) }))).toMatchObject({ reason: 'FOREIGN_DATACENTER', action: 'block' });
  });
  it('is off by default and on in sensitive scenarios', () => {
    expect(foreignDatacenter.defaults).toEqual({ enabled: false });
    expect(policy().scenarios.transfer.rules['foreign-datacenter']).toMatchObject({ enabled: true });
  });
});
