import { describe, expect, it } from 'vitest';
import type { Scenario, SendAttempt } from '../../lambdas/domain/types';
import { identities } from '../../lambdas/engine/identities';
import { parseIp } from '../../lambdas/engine/ip';
import { parsePhone } from '../../lambdas/engine/phone';
import { planWave } from '../../lambdas/engine/wave-plan';
import { T0, attempt, hasher, policy, testGeo } from '../support/engine';

/** The dimensions one verdict plans for `a`. */
function planned(a: SendAttempt) {
  const phone = parsePhone(a.phone, a.country);
  const ip = parseIp(a.ip);
  const geo = testGeo.lookup(ip?.address ?? '');
  const plan = planWave({
    attempt: a,
    policy: policy(),
    nowMs: T0,
    hasher,
    phone,
    phoneHash: phone ? hasher(phone.e164) : undefined,
    ip,
    geo,
    ids: identities(hasher, a, ip, geo),
    blockOnlyDevice: undefined,
    subjects: {},
    statPlans: () => [],
  });
  return [...plan.counters.map((c) => c.dimension), ...plan.distinct.map((d) => d.dimension)];
}

describe('planWave: the history the takeover rule reads', () => {
  it("reads the number's history in the same wave only in scenarios where the rule runs", () => {
    const at = (scenario: Scenario) => planned(attempt({ scenario, account: 'acct-1' }));
    for (const s of ['reset_password', 'transfer'] as const) {
      expect(at(s)).toEqual(expect.arrayContaining(['number:verified-ever', 'number:device', 'number:network', 'account:verified']));
    }
    expect(at('login')).not.toContain('number:verified-ever');
  });

  it('adds a sensitive attempt to its address only when the number is of another country than the address', () => {
    expect(planned(attempt({ scenario: 'reset_password', ip: '90.1.2.3' }))).toContain('ip-foreign-sensitive-numbers');
    expect(planned(attempt({ scenario: 'reset_password', ip: '81.2.69.142' }))).not.toContain('ip-foreign-sensitive-numbers');
    expect(planned(attempt({ scenario: 'login', ip: '90.1.2.3' }))).not.toContain('ip-foreign-sensitive-numbers');
  });
});
