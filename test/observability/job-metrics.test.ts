import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { recordJobMetrics } from '../../lambdas/handlers/job-metrics';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE } from '../../lambdas/shared/metric-names';

/** Run `recordJobMetrics` on a real Powertools `Metrics` and parse the EMF lines it prints. */
function emitted(report: Parameters<typeof recordJobMetrics>[1]) {
  const lines: string[] = [];
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_DEV', 'false');
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  });
  try {
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
    recordJobMetrics(metrics, report);
    metrics.publishStoredMetrics();
  } finally {
    write.mockRestore();
    vi.unstubAllEnvs();
  }
  return lines
    .filter((l) => l.startsWith('{'))
    .map(
      (l) =>
        JSON.parse(l) as Record<string, unknown> & {
          _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
        },
    );
}

describe('joint-defense job metrics', () => {
  it('emits events read, promoted, written, dropped and saturated evidence under the service dimension, and promotions by reason', () => {
    const docs = emitted({
      events: 1234,
      folded: 1,
      partials: 61,
      truncated: true,
      saturated: 2,
      promoted: 7,
      written: 3,
      byReason: { JOINT_DEFENSE_VICTIM: 5, JOINT_DEFENSE_RANGE: 2 },
    });
    const aggregate = docs.find((d) => d[METRIC.jointDefenseEvents] !== undefined)!;
    expect(aggregate).toMatchObject({
      service: METRICS_SERVICE,
      [METRIC.jointDefenseEvents]: 1234,
      [METRIC.jointDefensePromoted]: 7,
      [METRIC.jointDefenseWritten]: 3,
      [METRIC.jointDefenseTruncated]: 1,
      [METRIC.jointDefenseSaturated]: 2,
    });
    expect(aggregate._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: METRICS_NAMESPACE, Dimensions: [['service']] });
    const byReason = docs.filter((d) => d[METRIC.jointDefenseByReason] !== undefined).map((d) => [d.reason, d[METRIC.jointDefenseByReason]]);
    expect(byReason).toEqual(
      expect.arrayContaining([
        ['JOINT_DEFENSE_VICTIM', 5],
        ['JOINT_DEFENSE_RANGE', 2],
      ]),
    );
    expect(byReason).toHaveLength(2);
  });

  it('reports zeros for a quiet run, so the job shows as alive', () => {
    const docs = emitted({ events: 0, folded: 0, partials: 61, truncated: false, saturated: 0, promoted: 0, written: 0, byReason: {} });
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ [METRIC.jointDefenseEvents]: 0, [METRIC.jointDefensePromoted]: 0, [METRIC.jointDefenseTruncated]: 0 });
  });
});
