import { describe, expect, it, vi } from 'vitest';
import { T0, attempt, memoryEngine, policy } from '../support/engine';
import { ukMobile } from '../support/numbers';

const MINUTE = 60_000;
/** Number `i` of a farm's 100,000-number block +44 7400 1xxxxx, spread so no 1,000 or 10,000 block stands out first. */
const farmNumber = (i: number) => `+44 7400 1${String((i * 7_919) % 100_000).padStart(5, '0')}`;

/**
 * A bot farm that does everything right but buy its numbers in bulk: it solves the proof of work,
 * shows a fresh device and a fresh in-country address per request, paces itself under every rate
 * limit and verifies every code.
 */
async function farm(numberOf: (i: number) => string, count: number) {
  const { engine, clock } = memoryEngine();
  const verdicts: { decision: string; reasons: string[] }[] = [];
  for (let i = 0; i < count; i++) {
    clock.set(T0 - 10 * 60 * MINUTE + i * 3 * MINUTE);
    const a = await engine.assess(
      attempt({ phone: numberOf(i), scenario: 'register', ip: `45.${i % 200}.${(i * 7) % 250}.9`, device: `farm-device-${i}`, challenge: 'passed' }),
      policy(),
    );
    const sent = a.verdict.decision === 'allow';
    await engine.settle(a, sent);
    if (sent) await engine.recordVerification({ tenant: 'shop', phone: numberOf(i), success: true });
    verdicts.push(a.verdict);
  }
  return verdicts;
}

describe('prefix anomalies in the engine', () => {
  it('holds a farm whose numbers come from one 100,000-number block, however well it behaves', async () => {
    const verdicts = await farm(farmNumber, 120);
    const sent = verdicts.filter((v) => v.decision === 'allow').length;
    // 12 SMS a day into one block are anyone's; past that it stands out (+40: a challenge, which
    // this farm solves), and past 1.5× that it is blocked.
    expect(verdicts.slice(0, 12).every((v) => !v.reasons.some((r) => r.startsWith('PREFIX_ANOMALY')))).toBe(true);
    expect(verdicts[12]?.reasons).toContain('PREFIX_ANOMALY_100K');
    expect(sent).toBe(18);
    expect(verdicts.slice(18).every((v) => v.decision === 'block' && v.reasons[0] === 'PREFIX_ANOMALY_100K')).toBe(true);
  });

  it('serves the same farm-like volume when the numbers spread over the country like people', async () => {
    const verdicts = await farm(ukMobile, 120);
    expect(verdicts.filter((v) => v.reasons.some((r) => r.startsWith('PREFIX_ANOMALY')))).toEqual([]);
    expect(verdicts.every((v) => v.decision === 'allow')).toBe(true);
  });

  it('counts all three widths in one item of the single counter wave, and gives the unit back when nothing is sent', async () => {
    const { engine, counters } = memoryEngine();
    const increment = vi.spyOn(counters, 'increment');
    const a = await engine.assess(attempt(), policy());
    const prefixIncrements = () =>
      increment.mock.calls.map((call) => call[0].filter((inc) => inc.key.startsWith('v#prefix-sent#'))).filter((c) => c.length > 0);
    // The statistics sync may ride along in the wave; the verdict's own counters are one call.
    const [prefix, ...others] = prefixIncrements();
    expect(others).toEqual([]);
    expect(prefix?.map((inc) => inc.field)).toEqual(['w3:23', 'w4:2', 'w5']);
    expect(new Set(prefix?.map((inc) => inc.key)).size).toBe(1);
    await engine.settle(a, false);
    expect(prefixIncrements()[1]?.map((inc) => inc.by)).toEqual([-1, -1, -1]);
  });
});
