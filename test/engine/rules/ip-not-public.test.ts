import { describe, expect, it } from 'vitest';
import { ipNotPublic } from '../../../lambdas/engine/rules/ip-not-public';
import { attempt, ruleContext } from '../../support/engine';

describe('ip-not-public rule', () => {
  it('is quiet for a public IP', () => {
    expect(ipNotPublic.evaluate(ruleContext())).toBeUndefined();
  });
  it('reports a private IP without adding score', () => {
    expect(ipNotPublic.evaluate(ruleContext({ attempt: attempt({ ip: '10.1.2.3' }) }))).toEqual({ reason: 'IP_NOT_PUBLIC', weight: 0 });
  });
});
