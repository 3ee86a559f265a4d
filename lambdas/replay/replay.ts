import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import type { MemoryEventStore } from '../adapters/memory/memory-event-store';
import type { MemoryListStore } from '../adapters/memory/memory-list-store';
import { createMemoryStores } from '../adapters/memory/memory-stores';
import { RiskEngine } from '../engine/engine';
import { createHasher } from '../engine/hasher';
import { DEFAULT_POLICY, resolvePolicy, type Policy } from '../engine/policy';
import { policyOverridesSchema } from '../engine/policy-schema';
import { SCENARIOS, type Decision } from '../domain/types';
import { ManualClock } from '../ports/clock';
import type { GeoLookup } from '../ports/geo';
import { LIST_KINDS } from '../ports/list-store';
import type { ReportStats } from './report-stats';

/** `--config FILE`: policies per tenant and lists to start with. */
export const replayConfigSchema = z.strictObject({
  /** Overrides applied to every tenant. */
  default: policyOverridesSchema.optional(),
  /** Overrides per tenant, on top of `default`. */
  tenants: z.record(z.string(), policyOverridesSchema).optional(),
  /** List entries present from the start (values as an admin would type them; numbers in E.164). */
  lists: z
    .array(
      z.strictObject({
        scope: z.string().regex(/^(?:global|t:[\w-]+)$/),
        kind: z.enum(LIST_KINDS),
        value: z.string().min(1),
        action: z.enum(['block', 'allow']),
        reason: z.string().optional(),
      }),
    )
    .optional(),
});
export type ReplayConfig = z.infer<typeof replayConfigSchema>;

const sendLine = z.object({
  type: z.literal('send'),
  id: z.string().min(1).max(200),
  ts: z.string(),
  tenant: z.string().min(1).max(100),
  phone: z.string().max(64),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .optional(),
  scenario: z.enum(SCENARIOS),
  ip: z.string().max(64),
  userAgent: z.string().max(1024).optional(),
  device: z.string().max(4096).optional(),
  challengePassed: z.boolean().optional(),
  account: z.string().max(256).optional(),
});
const verifyLine = z.object({
  type: z.literal('verify'),
  ts: z.string(),
  tenant: z.string().min(1).max(100),
  phone: z.string().max(64),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .optional(),
  success: z.boolean(),
});
const inputLine = z.discriminatedUnion('type', [sendLine, verifyLine]);

/** A scheduled job run in simulated time (e.g. joint-defense aggregation), at its own cadence. */
export interface ScheduledJob {
  readonly name: string;
  readonly everyMs: number;
  run(nowMs: number): Promise<void>;
}

/** The replay's own stores, for jobs that read what the engine recorded. */
export interface ReplayStores {
  readonly lists: MemoryListStore;
  /** Verdict events (recorded only when jobs are given). */
  readonly events: MemoryEventStore;
}

export interface ReplayOptions {
  readonly geo: GeoLookup;
  readonly config?: ReplayConfig;
  /** Jobs to run whenever simulated time crosses their cadence; with jobs, the engine records verdict events. */
  readonly jobs?: (engine: RiskEngine, stores: ReplayStores) => readonly ScheduledJob[];
  /** Called every `progressEvery` lines with the count so far. */
  readonly onProgress?: (lines: number) => void;
  readonly progressEvery?: number;
  /** Collects the statistics of the HTML report (`--report`) from every settled verdict. */
  readonly report?: ReportStats;
}

export interface ReplaySummary {
  readonly lines: number;
  readonly sends: number;
  readonly verifies: number;
  /** Verify lines that matched an SMS the replay had sent. */
  readonly verifiesCredited: number;
  readonly decisions: Record<Decision, number>;
  /** Reason code → how many non-allow verdicts carried it. */
  readonly reasons: Record<string, number>;
  /** Lines that could not be replayed, with their line numbers (first 20 kept). */
  readonly errors: { count: number; first: { line: number; message: string }[] };
  readonly jobRuns: number;
  readonly elapsedMs: number;
}

/**
 * Backtest: stream JSON Lines of sends and verifications through the whole engine on a fresh
 * embedded store, the clock driven by each line's `ts`, and write one verdict line per send.
 * Memory stays constant: state is only the live counter windows and pending verifications.
 */
export async function replay(input: Readable, output: Writable, options: ReplayOptions): Promise<ReplaySummary> {
  const started = performance.now();
  const clock = new ManualClock(0);
  const { counters, lists, verifications, events } = createMemoryStores(clock);
  const hasher = createHasher(randomBytes(32));
  const engine = new RiskEngine({ counters, lists, verifications, geo: options.geo, hasher, clock, ...(options.jobs && { events }) });
  const config = options.config ?? {};
  await seedLists(lists, config, hasher);

  const base = resolvePolicy(config.default, DEFAULT_POLICY);
  const policies = new Map<string, Policy>();
  const policyFor = (tenant: string): Policy => {
    let policy = policies.get(tenant);
    if (!policy) {
      policy = resolvePolicy(config.tenants?.[tenant], base);
      policies.set(tenant, policy);
    }
    return policy;
  };

  const jobs = options.jobs?.(engine, { lists, events }) ?? [];
  const nextRun = new Map<ScheduledJob, number>();
  let jobRuns = 0;

  const decisions: Record<Decision, number> = { allow: 0, challenge: 0, block: 0 };
  const reasons: Record<string, number> = {};
  const errors: ReplaySummary['errors'] = { count: 0, first: [] };
  let lines = 0;
  let sends = 0;
  let verifies = 0;
  let credited = 0;
  let lastTs = Number.NEGATIVE_INFINITY;
  const progressEvery = options.progressEvery ?? 100_000;
  const report = options.report;

  const fail = (line: number, message: string) => {
    errors.count++;
    if (errors.first.length < 20) errors.first.push({ line, message });
  };

  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const text of reader) {
    lines++;
    if (options.onProgress && lines % progressEvery === 0) options.onProgress(lines);
    if (text.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      fail(lines, 'not valid JSON');
      continue;
    }
    // Well-formed lines (nearly all of them) skip zod; anything else gets its field-level message.
    const parsed = looksValid(raw) ? { success: true as const, data: raw } : inputLine.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown })?.id;
      const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ');
      fail(lines, message);
      if ((raw as { type?: unknown })?.type === 'send' && typeof id === 'string') {
        await write(output, { id, error: message });
      }
      continue;
    }
    const line = parsed.data;
    const ts = Date.parse(line.ts);
    if (Number.isNaN(ts)) {
      fail(lines, `ts: not an ISO timestamp: ${JSON.stringify(line.ts)}`);
      if (line.type === 'send') await write(output, { id: line.id, error: 'ts: not an ISO timestamp' });
      continue;
    }
    // The contract says input is sorted; a line out of order is replayed at the latest time seen.
    const now = Math.max(ts, lastTs);
    lastTs = now;
    jobRuns += await runDueJobs(jobs, nextRun, now, clock);
    clock.set(now);

    if (line.type === 'verify') {
      verifies++;
      if (await engine.recordVerification(line)) credited++;
      continue;
    }

    sends++;
    const policy = policyFor(line.tenant);
    const assessment = await engine.assess(
      {
        tenant: line.tenant,
        phone: line.phone,
        country: line.country,
        scenario: line.scenario,
        ip: line.ip,
        userAgent: line.userAgent,
        device: line.device,
        account: line.account,
        challenge: line.challengePassed === undefined ? 'absent' : line.challengePassed ? 'passed' : 'failed',
      },
      policy,
    );
    const { verdict } = assessment;
    // Shadow tenants always send; the verdict still shows what would have happened.
    const sent = verdict.decision === 'allow' || verdict.shadow === true;
    await engine.settle(assessment, sent);
    decisions[verdict.decision]++;
    if (verdict.decision !== 'allow') for (const reason of verdict.reasons) reasons[reason] = (reasons[reason] ?? 0) + 1;
    report?.record(assessment, sent);
    await write(output, { id: line.id, decision: verdict.decision, score: verdict.score, reasons: verdict.reasons });
  }

  return {
    lines,
    sends,
    verifies,
    verifiesCredited: credited,
    decisions,
    reasons,
    errors,
    jobRuns,
    elapsedMs: performance.now() - started,
  };
}

const SCENARIO_SET: ReadonlySet<string> = new Set(SCENARIOS);
const optionalString = (v: unknown, max: number) => v === undefined || (typeof v === 'string' && v.length <= max);

/** The common case of `inputLine`, checked by hand: the replay's hot loop cannot afford zod per line. */
function looksValid(raw: unknown): raw is z.infer<typeof inputLine> {
  if (typeof raw !== 'object' || raw === null) return false;
  const r = raw as Record<string, unknown>;
  if (typeof r.ts !== 'string' || typeof r.tenant !== 'string' || r.tenant.length === 0 || r.tenant.length > 100) return false;
  if (typeof r.phone !== 'string' || r.phone.length > 64) return false;
  if (r.country !== undefined && !(typeof r.country === 'string' && /^[A-Za-z]{2}$/.test(r.country))) return false;
  if (r.type === 'verify') return typeof r.success === 'boolean';
  return (
    r.type === 'send' &&
    typeof r.id === 'string' &&
    r.id.length > 0 &&
    r.id.length <= 200 &&
    typeof r.scenario === 'string' &&
    SCENARIO_SET.has(r.scenario) &&
    typeof r.ip === 'string' &&
    r.ip.length <= 64 &&
    optionalString(r.userAgent, 1024) &&
    optionalString(r.device, 4096) &&
    optionalString(r.account, 256) &&
    (r.challengePassed === undefined || typeof r.challengePassed === 'boolean')
  );
}

async function runDueJobs(jobs: readonly ScheduledJob[], nextRun: Map<ScheduledJob, number>, now: number, clock: ManualClock): Promise<number> {
  let runs = 0;
  for (const job of jobs) {
    let due = nextRun.get(job);
    if (due === undefined) {
      // First run at the first cadence boundary after the replay starts (like a cron schedule).
      nextRun.set(job, Math.floor(now / job.everyMs) * job.everyMs + job.everyMs);
      continue;
    }
    while (due <= now) {
      clock.set(due);
      await job.run(due);
      runs++;
      due += job.everyMs;
    }
    nextRun.set(job, due);
  }
  return runs;
}

async function seedLists(lists: MemoryListStore, config: ReplayConfig, hasher: (v: string) => string): Promise<void> {
  const { parsePhone } = await import('../engine/phone');
  for (const entry of config.lists ?? []) {
    let value = entry.value;
    if (entry.kind === 'number') {
      const phone = parsePhone(entry.value);
      if (!phone) throw new Error(`config lists: ${JSON.stringify(entry.value)} is not a phone number`);
      value = hasher(phone.e164);
    } else if (entry.kind === 'device') {
      value = hasher(`device:${entry.value}`);
    }
    await lists.put({ scope: entry.scope, kind: entry.kind, value, action: entry.action, reason: entry.reason, createdAt: 0 });
  }
}

/** Write one JSON line, honouring back-pressure so memory stays flat on huge inputs. */
function write(output: Writable, value: unknown): Promise<void> | void {
  if (output.write(`${JSON.stringify(value)}\n`)) return;
  return new Promise((resolve) => output.once('drain', () => resolve()));
}

/** The stdout summary: counts by decision and the top reasons. */
export function formatSummary(summary: ReplaySummary): string {
  const { decisions, sends } = summary;
  const pct = (n: number) => (sends === 0 ? '0.0' : ((100 * n) / sends).toFixed(1));
  const rate = summary.elapsedMs > 0 ? Math.round((sends / summary.elapsedMs) * 1000) : 0;
  const top = Object.entries(summary.reasons)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10);
  const out = [
    `Replayed ${summary.lines} lines (${sends} sends, ${summary.verifies} verifications, ${summary.verifiesCredited} credited) in ${(summary.elapsedMs / 1000).toFixed(1)} s — ${rate} sends/s`,
    '',
    '| decision | sends | share |',
    '| --- | ---: | ---: |',
    ...(['allow', 'challenge', 'block'] as const).map((d) => `| ${d} | ${decisions[d]} | ${pct(decisions[d])}% |`),
    '',
    '| top reasons (challenged or blocked) | sends |',
    '| --- | ---: |',
    ...(top.length > 0 ? top.map(([reason, n]) => `| ${reason} | ${n} |`) : ['| (none) | 0 |']),
  ];
  if (summary.jobRuns > 0) out.push('', `Scheduled job runs: ${summary.jobRuns}`);
  if (summary.errors.count > 0) {
    out.push('', `${summary.errors.count} line(s) could not be replayed:`);
    for (const e of summary.errors.first) out.push(`  line ${e.line}: ${e.message}`);
  }
  return out.join('\n');
}
