import { describe, expect, it } from 'vitest';
import type { VerdictRecord } from '../../lambdas/service/shield-service';
import { METRIC } from '../../lambdas/shared/metric-names';
import { DEFAULT_SMS_PRICE_USD, SMS_PRICE_USD, smsPriceUsd } from '../../lambdas/shared/sms-prices';
import { recordVerdictMetrics, type MetricsSink } from '../../lambdas/handlers/verdict-metrics';

type Emitted = { name: string; value: number; dimensions: Record<string, string> };

function recorder() {
  const emitted: Emitted[] = [];
  const single = () => {
    const dimensions: Record<string, string> = {};
    return {
      addDimension: (k: string, v: string) => void (dimensions[k] = v),
      addDimensions: (d: Record<string, string>) => void Object.assign(dimensions, d),
      addMetric: (name: string, _unit: unknown, value: number) => void emitted.push({ name, value, dimensions: { ...dimensions } }),
    };
  };
  const sink = {
    addMetric: (name: string, _unit: unknown, value: number) => void emitted.push({ name, value, dimensions: {} }),
    singleMetric: single,
  } as unknown as MetricsSink;
  const named = (name: string) => emitted.filter((e) => e.name === name);
  return { sink, emitted, named };
}

const record = (over: Partial<VerdictRecord> = {}): VerdictRecord => ({
  tenant: 'acme',
  scenario: 'register',
  verdict: { decision: 'block', score: 100, level: 'high', reasons: ['PREMIUM_RATE_NUMBER', 'MISSING_DEVICE'] },
  country: 'GB',
  maskedPhone: '+44 90** ***000',
  sent: false,
  kind: 'send',
  ...over,
});

describe('verdict metrics', () => {
  it('counts a blocked send, its reasons, country and the cost it avoided', () => {
    const { sink, named } = recorder();
    recordVerdictMetrics(sink, record(), 12.5);
    expect(named(METRIC.verdicts)).toEqual([{ name: METRIC.verdicts, value: 1, dimensions: {} }]);
    expect(named(METRIC.blocked)).toHaveLength(1);
    expect(named(METRIC.smsSent)).toHaveLength(0);
    expect(named(METRIC.estimatedCostAvoided)).toEqual([{ name: METRIC.estimatedCostAvoided, value: SMS_PRICE_USD.GB, dimensions: {} }]);
    expect(named(METRIC.verdictLatency)[0]?.value).toBe(12.5);
    expect(named(METRIC.refusalReasons).map((e) => e.dimensions)).toEqual([{ reason: 'PREMIUM_RATE_NUMBER' }, { reason: 'MISSING_DEVICE' }]);
    expect(named(METRIC.refusedByCountry)).toEqual([{ name: METRIC.refusedByCountry, value: 1, dimensions: { country: 'GB' } }]);
    expect(named(METRIC.verdictsByScenario)[0]?.dimensions).toEqual({ decision: 'block', scenario: 'register' });
    expect(named(METRIC.verdictsByTenant)).toEqual([{ name: METRIC.verdictsByTenant, value: 1, dimensions: { tenant: 'acme', decision: 'block' } }]);
  });

  it('counts a cost-guardrail hit whether it refused the SMS (enforce) or only named it (monitor)', () => {
    const monitor = recorder();
    recordVerdictMetrics(monitor.sink, record({ verdict: { decision: 'allow', score: 0, level: 'low', reasons: ['COUNTRY_BUDGET'] }, sent: true }), 1);
    expect(monitor.named(METRIC.costGuardrailHits)).toEqual([{ name: METRIC.costGuardrailHits, value: 1, dimensions: {} }]);
    const enforce = recorder();
    recordVerdictMetrics(
      enforce.sink,
      record({ verdict: { decision: 'block', score: 100, level: 'high', reasons: ['COUNTRY_BURST_CAP', 'COUNTRY_BUDGET'] } }),
      1,
    );
    expect(enforce.named(METRIC.costGuardrailHits)).toHaveLength(1);
    const other = recorder();
    recordVerdictMetrics(other.sink, record(), 1);
    expect(other.named(METRIC.costGuardrailHits)).toHaveLength(0);
  });

  it('counts a sent SMS and its estimated spend, without reasons or cost avoided', () => {
    const { sink, named } = recorder();
    recordVerdictMetrics(sink, record({ verdict: { decision: 'allow', score: 10, level: 'low', reasons: ['MISSING_DEVICE'] }, sent: true, country: 'US' }), 3);
    expect(named(METRIC.smsSent)).toHaveLength(1);
    expect(named(METRIC.estimatedSpend)[0]?.value).toBe(SMS_PRICE_USD.US);
    expect(named(METRIC.sentByCountry)[0]?.dimensions).toEqual({ country: 'US' });
    expect(named(METRIC.refusalReasons)).toHaveLength(0);
    expect(named(METRIC.estimatedCostAvoided)).toHaveLength(0);
  });

  it('claims no cost avoided for a verdict-only call, and uses "unknown" for an unparsed number', () => {
    const { sink, named } = recorder();
    recordVerdictMetrics(
      sink,
      record({ kind: 'verdict', country: undefined, verdict: { decision: 'challenge', score: 60, level: 'medium', reasons: ['IP_VELOCITY'] } }),
      undefined,
    );
    expect(named(METRIC.challenged)).toHaveLength(1);
    expect(named(METRIC.estimatedCostAvoided)).toHaveLength(0);
    expect(named(METRIC.verdictLatency)).toHaveLength(0);
    expect(named(METRIC.refusedByCountry)[0]?.dimensions).toEqual({ country: 'unknown' });
  });

  it('never puts a caller-chosen (unbounded) dimension on any metric: no number, IP or device', () => {
    const { sink, emitted } = recorder();
    recordVerdictMetrics(sink, record(), 1);
    recordVerdictMetrics(sink, record({ verdict: { decision: 'allow', score: 0, level: 'low', reasons: [] }, sent: true }), 1);
    const keys = new Set(emitted.flatMap((e) => Object.keys(e.dimensions)));
    expect([...keys].sort()).toEqual(['country', 'decision', 'reason', 'scenario', 'tenant']);
    // The masked number never becomes a dimension value either.
    expect(emitted.flatMap((e) => Object.values(e.dimensions))).not.toContain('+44 90** ***000');
    for (const e of emitted) expect(Object.keys(e.dimensions).length).toBeLessThanOrEqual(2);
  });

  it('prices unknown countries at the default', () => {
    expect(smsPriceUsd('ZZ')).toBe(DEFAULT_SMS_PRICE_USD);
    expect(smsPriceUsd(undefined)).toBe(DEFAULT_SMS_PRICE_USD);
    expect(smsPriceUsd('gb')).toBe(SMS_PRICE_USD.GB);
  });
});
