import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { Reason } from '../domain/reasons';
import type { VerdictRecord } from '../service/shield-service';
import { METRIC } from '../shared/metric-names';
import { smsPriceUsd } from '../shared/sms-prices';

const COST_GUARD_REASONS: ReadonlySet<string> = new Set([Reason.COUNTRY_BURST_CAP, Reason.COUNTRY_BUDGET]);

/** What {@link recordVerdictMetrics} needs from Powertools `Metrics` (tests pass a recorder). */
export type MetricsSink = Pick<Metrics, 'addMetric' | 'singleMetric'>;

/**
 * Emit the metrics of one verdict (names and dimensions in `metric-names.ts`). Aggregates go
 * on `metrics` (flushed by `logMetrics` with the `service` dimension only); each breakdown is a
 * `singleMetric` with its one extra dimension, so dimensions never mix across metrics.
 */
export function recordVerdictMetrics(metrics: MetricsSink, record: VerdictRecord, latencyMs: number | undefined): void {
  const { decision, reasons } = record.verdict;
  const refused = decision !== 'allow' && !record.sent;
  const price = smsPriceUsd(record.country);
  const country = record.country ?? 'unknown';

  metrics.addMetric(METRIC.verdicts, MetricUnit.Count, 1);
  if (decision === 'block') metrics.addMetric(METRIC.blocked, MetricUnit.Count, 1);
  if (decision === 'challenge') metrics.addMetric(METRIC.challenged, MetricUnit.Count, 1);
  if (latencyMs !== undefined) metrics.addMetric(METRIC.verdictLatency, MetricUnit.Milliseconds, latencyMs);
  // A send whose outcome is unknown counts as sent: spend is estimated on the safe side.
  if (record.sent) {
    metrics.addMetric(METRIC.smsSent, MetricUnit.Count, 1);
    metrics.addMetric(METRIC.estimatedSpend, MetricUnit.NoUnit, price);
  }
  if (record.outcomeUnknown) metrics.addMetric(METRIC.smsOutcomeUnknown, MetricUnit.Count, 1);
  // Sent or not: in `monitor` the guardrail only names the breach, and this is where it shows.
  if (reasons.some((r) => COST_GUARD_REASONS.has(r))) metrics.addMetric(METRIC.costGuardrailHits, MetricUnit.Count, 1);
  // Only a refused send saved an SMS; a verdict-only call's caller may not have sent anyway.
  if (refused && record.kind === 'send') metrics.addMetric(METRIC.estimatedCostAvoided, MetricUnit.NoUnit, price);

  const byTenant = metrics.singleMetric();
  byTenant.addDimensions({ tenant: record.tenant, decision });
  byTenant.addMetric(METRIC.verdictsByTenant, MetricUnit.Count, 1);

  const byScenario = metrics.singleMetric();
  byScenario.addDimensions({ decision, scenario: record.scenario });
  byScenario.addMetric(METRIC.verdictsByScenario, MetricUnit.Count, 1);

  if (refused) {
    for (const reason of new Set(reasons)) {
      const single = metrics.singleMetric();
      single.addDimension('reason', reason);
      single.addMetric(METRIC.refusalReasons, MetricUnit.Count, 1);
    }
    const byCountry = metrics.singleMetric();
    byCountry.addDimension('country', country);
    byCountry.addMetric(METRIC.refusedByCountry, MetricUnit.Count, 1);
  }
  if (record.sent) {
    const byCountry = metrics.singleMetric();
    byCountry.addDimension('country', country);
    byCountry.addMetric(METRIC.sentByCountry, MetricUnit.Count, 1);
  }
}
