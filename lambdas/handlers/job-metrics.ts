import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { JointDefenseReport } from '../joint-defense/job';
import { METRIC } from '../shared/metric-names';
import type { MetricsSink } from './verdict-metrics';

/**
 * Emit the results of one joint-defense run: events read, entries promoted and written (with
 * the `service` dimension only), whether evidence was dropped (truncated) or saturated a
 * partial's caps, and promotions by reason code
 * (one small, code-bounded dimension). A run that promotes nothing still reports zeros, so the
 * dashboard shows the job alive rather than a gap.
 */
export function recordJobMetrics(metrics: MetricsSink, report: JointDefenseReport): void {
  metrics.addMetric(METRIC.jointDefenseEvents, MetricUnit.Count, report.events);
  metrics.addMetric(METRIC.jointDefensePromoted, MetricUnit.Count, report.promoted);
  metrics.addMetric(METRIC.jointDefenseWritten, MetricUnit.Count, report.written);
  metrics.addMetric(METRIC.jointDefenseTruncated, MetricUnit.Count, report.truncated ? 1 : 0);
  metrics.addMetric(METRIC.jointDefenseSaturated, MetricUnit.Count, report.saturated);
  for (const [reason, count] of Object.entries(report.byReason)) {
    const single = metrics.singleMetric();
    single.addDimension('reason', reason);
    single.addMetric(METRIC.jointDefenseByReason, MetricUnit.Count, count);
  }
}
