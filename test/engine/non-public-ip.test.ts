import { describe, expect, it } from 'vitest';
import { attempt, memoryEngine, policy } from '../support/engine';

/**
 * A backend (or an attacker who controls what it forwards) that fills `ip` with a private or
 * reserved address must not escape the per-address limits: every non-public address of a tenant
 * counts as one shared address, still flagged IP_NOT_PUBLIC.
 */
async function allowedOf(ips: (i: number) => string, count = 150): Promise<number> {
  const { engine, clock } = memoryEngine();
  let allowed = 0;
  for (let i = 0; i < count; i++) {
    const a = await engine.assess(attempt({ phone: `+44 ${7700 + i} ${234_500 + i}`, ip: ips(i), device: `d-${i}`, scenario: 'register' }), policy());
    await engine.settle(a, a.verdict.decision === 'allow');
    if (a.verdict.decision === 'allow') allowed++;
    clock.advance(20_000);
  }
  return allowed;
}

describe('non-public addresses', () => {
  it('are held to the per-address limits like one public address, however many of them are used', async () => {
    const fromPublic = await allowedOf(() => '81.2.69.142');
    expect(fromPublic).toBeLessThan(150);
    for (const ips of [() => '10.9.9.9', (i: number) => `10.9.${i % 200}.${1 + (i % 250)}`, (i: number) => `192.168.${i % 250}.7`, () => '203.0.113.9']) {
      expect(await allowedOf(ips)).toBeLessThanOrEqual(fromPublic);
    }
  });

  it('are still flagged, and each tenant has its own shared subject', async () => {
    const { engine } = memoryEngine();
    const a = await engine.assess(attempt({ ip: '10.1.2.3' }), policy());
    expect(a.verdict.reasons).toContain('IP_NOT_PUBLIC');
    for (let i = 0; i < 200; i++)
      await engine.assess(
        attempt({ tenant: 'noisy', phone: `+44 7400 ${String(300_000 + i).padStart(6, '0')}`, ip: `10.0.0.${1 + (i % 250)}`, device: `n-${i}` }),
        policy(),
      );
    const other = await engine.assess(attempt({ tenant: 'quiet', phone: '+44 7400 999001', ip: '10.0.0.1', device: 'q' }), policy());
    expect(other.verdict.reasons.filter((r) => r.startsWith('IP_'))).toEqual(['IP_NOT_PUBLIC']);
  });
});
