import { describe, expect, it } from 'vitest';
import { datacenterIp } from '../../../lambdas/engine/rules/datacenter-ip';
import { attempt, ruleContext } from '../../support/engine';

describe('datacenter-ip rule', () => {
  it('is quiet for a residential IP', () => {
    expect(datacenterIp.evaluate(ruleContext())).toBeUndefined();
  });
  it('fires for a hosting network', () => {
    expect(datacenterIp.evaluate(ruleContext({ attempt: attempt({ ip: '3.3.3.3' }) }))).toMatchObject({ reason: 'DATACENTER_IP' });
  });
});
