import { describe, expect, it } from 'vitest';
import { newNetwork } from '../../../lambdas/engine/rules/new-network';
import { ruleContext } from '../../support/engine';

describe('new-network rule', () => {
  it('is quiet on a known network', () => {
    expect(newNetwork.evaluate(ruleContext({ account: { verified: 4, deviceVerified: 0, networkVerified: 1 } }))).toBeUndefined();
  });
  it('fires on a network the account never verified on', () => {
    expect(newNetwork.evaluate(ruleContext({ account: { verified: 4, deviceVerified: 2, networkVerified: 0 } }))).toMatchObject({ reason: 'NEW_NETWORK' });
  });
});
