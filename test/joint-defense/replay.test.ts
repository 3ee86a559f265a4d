import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jointDefenseJob } from '../../lambdas/joint-defense/job';
import { replay } from '../../lambdas/replay/replay';
import { testGeo } from '../support/engine';

const SPELLINGS = ['+44 7400 123456', '00447400123456', '447400123456', '+44 (0)7400-123-456'];
const TENANTS = ['shop', 'social', 'saas', 'bank'];

describe('joint defense in replay', () => {
  it('runs the aggregation job every simulated minute, through the same code, and defuses the victim after it', async () => {
    const lines: string[] = [];
    const start = Date.parse('2026-11-02T10:00:00.000Z');
    for (let i = 0; i < 4 * 30; i++) {
      const tenant = TENANTS[i % 4]!;
      lines.push(
        JSON.stringify({
          type: 'send',
          id: `b${i}`,
          ts: new Date(start + i * 5_000).toISOString(),
          tenant,
          phone: SPELLINGS[i % SPELLINGS.length],
          scenario: 'register',
          // A bombing tool on datacenter addresses: refused for what its requests show, which
          // is evidence about the number (refusals for the number's own velocity are not).
          ip: `3.7.${i}.1`,
          userAgent: 'python-requests/2.31.0',
          device: `d${i}`,
        }),
      );
    }
    const output = new PassThrough();
    const out: { id: string; decision: string; reasons: string[] }[] = [];
    output.on('data', (c: Buffer) =>
      out.push(
        ...c
          .toString('utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
      ),
    );
    const summary = await replay(Readable.from(lines.map((l) => `${l}\n`)), output, { geo: testGeo, jobs: (_engine, stores) => [jointDefenseJob(stores)] });
    output.end();
    // Ten simulated minutes: the job ran at 10:01, 10:02, … 10:09.
    expect(summary.jobRuns).toBe(9);
    const firstBlocked = out.findIndex((o) => o.reasons.includes('JOINT_DEFENSE_VICTIM'));
    // The first run at 10:01 (line 12 onwards) already sees a number asked for through four tenants.
    expect(firstBlocked).toBe(12);
    expect(out.slice(12).every((o) => o.decision !== 'allow' && o.reasons.includes('JOINT_DEFENSE_VICTIM'))).toBe(true);
    expect(out.filter((o) => o.decision === 'allow').length).toBeLessThanOrEqual(3);
  });
});
