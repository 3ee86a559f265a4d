import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatSummary, replay, type ReplayOptions, type ScheduledJob } from '../../lambdas/replay/replay';
import { testGeo } from '../support/engine';
import { sendLine } from '../support/replay-lines';

const send = sendLine;
const verify = (ts: string, over: Record<string, unknown> = {}) => ({ type: 'verify', ts, tenant: 'shop', phone: '+447400123456', success: true, ...over });

async function run(lines: (object | string)[], options: Partial<ReplayOptions> = {}) {
  const input = Readable.from(lines.map((l) => `${typeof l === 'string' ? l : JSON.stringify(l)}\n`));
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  const summary = await replay(input, output, { geo: testGeo, ...options });
  output.end();
  const out = Buffer.concat(chunks)
    .toString('utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; decision?: string; score?: number; reasons?: string[]; error?: string });
  return { summary, out };
}

describe('replay', () => {
  it('writes one verdict line per send, in the contract format', async () => {
    const { out, summary } = await run([
      send('s1', '2026-11-02T10:00:00.000Z'),
      send('s2', '2026-11-02T10:00:10.000Z', { phone: '07400 123456', country: 'GB' }),
    ]);
    expect(out).toEqual([
      { id: 's1', decision: 'allow', score: 0, reasons: [] },
      { id: 's2', decision: 'block', score: 100, reasons: ['NUMBER_VELOCITY'] },
    ]);
    expect(summary).toMatchObject({ sends: 2, decisions: { allow: 1, block: 1, challenge: 0 } });
  });

  it('drives the clock from ts: the same sends a minute apart are both allowed', async () => {
    const { out } = await run([send('s1', '2026-11-02T10:00:00.000Z'), send('s2', '2026-11-02T10:01:01.000Z')]);
    expect(out.map((o) => o.decision)).toEqual(['allow', 'allow']);
  });

  it('credits verifications only for SMS it actually sent', async () => {
    const lines = [
      send('s1', '2026-11-02T10:00:00.000Z', { phone: '+44 909 879 0000' }), // premium: blocked, never sent
      verify('2026-11-02T10:00:20.000Z', { phone: '+449098790000' }),
      send('s2', '2026-11-02T10:00:30.000Z'),
      verify('2026-11-02T10:00:50.000Z'),
    ];
    const { summary } = await run(lines);
    expect(summary).toMatchObject({ verifies: 2, verifiesCredited: 1 });
  });

  it('reports bad lines with their line numbers and keeps going', async () => {
    const { out, summary } = await run([
      send('s1', '2026-11-02T10:00:00.000Z'),
      'not json',
      send('s2', 'yesterday'),
      send('s3', '2026-11-02T10:00:05.000Z', { scenario: 'signup' }),
      send('s4', '2026-11-02T10:02:00.000Z', { phone: '+44 7400 999888' }),
    ]);
    expect(out.map((o) => [o.id, o.decision ?? 'error'])).toEqual([
      ['s1', 'allow'],
      ['s2', 'error'],
      ['s3', 'error'],
      ['s4', 'allow'],
    ]);
    expect(summary.errors.count).toBe(3);
    expect(summary.errors.first.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(formatSummary(summary)).toContain('line 2: not valid JSON');
  });

  it('applies --config policies per tenant and starting lists', async () => {
    const config = {
      tenants: { shop: { numberLimits: { minute: 2 } } },
      lists: [{ scope: 'global', kind: 'number' as const, value: '+44 7400 000111', action: 'block' as const }],
    };
    const { out } = await run(
      [
        send('s1', '2026-11-02T10:00:00.000Z'),
        send('s2', '2026-11-02T10:00:01.000Z'),
        send('s3', '2026-11-02T10:00:02.000Z', { tenant: 'other' }),
        send('s4', '2026-11-02T10:00:03.000Z', { tenant: 'other', phone: '+447400000111' }),
      ],
      { config },
    );
    expect(out.map((o) => o.decision)).toEqual(['allow', 'allow', 'allow', 'block']);
    expect(out[3]?.reasons).toContain('BLOCKLISTED_NUMBER');
  });

  it('runs scheduled jobs at their cadence in simulated time', async () => {
    const runs: string[] = [];
    const job: ScheduledJob = { name: 'every-minute', everyMs: 60_000, run: async (now) => void runs.push(new Date(now).toISOString()) };
    const { summary } = await run([send('s1', '2026-11-02T10:00:30.000Z'), send('s2', '2026-11-02T10:03:10.000Z', { phone: '+44 7400 111000' })], {
      jobs: () => [job],
    });
    expect(runs).toEqual(['2026-11-02T10:01:00.000Z', '2026-11-02T10:02:00.000Z', '2026-11-02T10:03:00.000Z']);
    expect(summary.jobRuns).toBe(3);
  });

  it('treats a line out of order as happening at the latest time seen', async () => {
    const { out } = await run([send('s1', '2026-11-02T10:05:00.000Z'), send('s2', '2026-11-02T10:00:00.000Z')]);
    expect(out[1]).toMatchObject({ decision: 'block', reasons: ['NUMBER_VELOCITY'] });
  });
});
