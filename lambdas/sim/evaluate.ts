/**
 * Scores replay decisions against the simulator's labels: how much of each attack got
 * through, and how many legitimate flows were served (for tuning false positives).
 * `challenge` counts as not sent: the replay cannot answer a challenge.
 */
import { parsePhone } from '../engine/phone';
import { ATTACK_LABELS, LEGIT_LABELS, flowVariant, isLegitLabel, type SimLine, type SimSendLine } from './types';

/** What the replay decided for one send (one line of its OUT file). */
export interface ReplayDecision {
  readonly decision: string;
  readonly reasons: readonly string[];
}

/** Counts for one traffic class, or one variant of it. */
export interface ClassMetrics {
  /** Traffic class (`legit:web`, `attack:pumping`, …). */
  readonly label: string;
  /** Set on variant rows (`pumping-paced`); absent on class rows. */
  readonly variant?: string;
  readonly legit: boolean;
  attempts: number;
  /** Sends allowed: SMS that went out. */
  allowed: number;
  challenged: number;
  blocked: number;
  /** Sends with no decision in the map (the replay skipped or failed them). */
  undecided: number;
  flows: number;
  /** Flows with at least one allowed send. */
  flowsServed: number;
  /** Reason codes over the sends that were not allowed. */
  readonly reasons: Record<string, number>;
}

/** SMS that reached each bombed number, over every tenant it was pushed through. */
export interface VictimMetrics {
  /** `attack:bombing`, `attack:bombing-slow`, … */
  readonly label: string;
  /** Set on variant rows (`bombing-interfaces`); absent on class rows. */
  readonly variant?: string;
  /** Distinct victim numbers (E.164) attacked. */
  readonly victims: number;
  /** Most SMS sent to one victim, and the mean over victims. */
  readonly maxSms: number;
  readonly meanSms: number;
  /** Victims who got more than `SMS_PER_VICTIM_TARGET` SMS. */
  readonly overTarget: number;
}

/** At most this many SMS may reach one bombed number (the goal the table is read against). */
export const SMS_PER_VICTIM_TARGET = 5;

export interface Evaluation {
  /** One row per class, legit classes first, in the simulator's order. */
  readonly classes: ClassMetrics[];
  /** Rows per variant, only for classes with more than one variant. */
  readonly variants: ClassMetrics[];
  readonly legitOverall: { flows: number; flowsServed: number; attempts: number; notSent: number };
  /** SMS per victim of every bombing class (class row, then its variants when it has several). */
  readonly bombingVictims: VictimMetrics[];
  /** The attack class with the highest leak (sent / attempts). */
  readonly worstAttack?: { label: string; leak: number; attempts: number; sent: number };
}

function emptyMetrics(label: string, variant?: string): ClassMetrics {
  return {
    label,
    ...(variant === undefined ? {} : { variant }),
    legit: isLegitLabel(label),
    attempts: 0,
    allowed: 0,
    challenged: 0,
    blocked: 0,
    undecided: 0,
    flows: 0,
    flowsServed: 0,
    reasons: {},
  };
}

export interface EvaluateOptions {
  /**
   * Count only sends at or after this ISO time, e.g. the second simulated day, so that the
   * replay's cold start (every device and network is new to an empty store) is left out.
   */
  readonly since?: string;
}

/** Incremental evaluator: `add` each simulator line (verify lines are ignored), then `result`. */
export class SimEvaluator {
  private readonly byLabel = new Map<string, ClassMetrics>();
  private readonly byVariant = new Map<string, ClassMetrics>();
  /** flow id → served yet. */
  private readonly flows = new Map<string, boolean>();
  /** `label|variant` (and `label|` for the class) → victim E.164 → SMS sent. */
  private readonly victims = new Map<string, Map<string, number>>();

  private readonly since: string | undefined;

  constructor(
    private readonly decisions: ReadonlyMap<string, ReplayDecision>,
    options: EvaluateOptions = {},
  ) {
    this.since = options.since === undefined ? undefined : new Date(options.since).toISOString();
  }

  add(line: SimLine): void {
    if (line.type !== 'send') return;
    if (this.since !== undefined && line.ts < this.since) return;
    const variant = flowVariant(line.flow);
    const rows = [this.row(this.byLabel, line.label, line.label), this.row(this.byVariant, `${line.label}|${variant}`, line.label, variant)];
    const decision = this.decisions.get(line.id);
    const seen = this.flows.get(line.flow);
    const isNewFlow = seen === undefined;
    const servedBefore = seen === true;
    const sent = decision?.decision === 'allow';
    for (const row of rows) {
      row.attempts++;
      if (isNewFlow) row.flows++;
      if (sent && !servedBefore) row.flowsServed++;
      if (!decision) {
        row.undecided++;
        continue;
      }
      if (sent) row.allowed++;
      else if (decision.decision === 'challenge') row.challenged++;
      else row.blocked++;
      if (!sent) for (const reason of decision.reasons) row.reasons[reason] = (row.reasons[reason] ?? 0) + 1;
    }
    this.flows.set(line.flow, servedBefore || sent);
    if (line.label.startsWith('attack:bombing')) this.countVictim(line, variant, sent);
  }

  /** Bombing sends per victim number, however the number was written and wherever it was sent. */
  private countVictim(line: SimSendLine, variant: string, sent: boolean): void {
    const victim = parsePhone(line.phone, line.country)?.e164 ?? line.phone;
    for (const key of [`${line.label}|`, `${line.label}|${variant}`]) {
      let counts = this.victims.get(key);
      if (!counts) {
        counts = new Map();
        this.victims.set(key, counts);
      }
      counts.set(victim, (counts.get(victim) ?? 0) + (sent ? 1 : 0));
    }
  }

  private victimMetrics(rank: (label: string) => number): VictimMetrics[] {
    const rows: VictimMetrics[] = [];
    const variantsOf = new Map<string, number>();
    for (const key of this.victims.keys()) {
      const [label = '', variant = ''] = key.split('|');
      if (variant !== '') variantsOf.set(label, (variantsOf.get(label) ?? 0) + 1);
    }
    for (const [key, counts] of this.victims) {
      const [label = '', variant = ''] = key.split('|');
      if (variant !== '' && (variantsOf.get(label) ?? 0) < 2) continue;
      let max = 0;
      let total = 0;
      let overTarget = 0;
      for (const n of counts.values()) {
        max = Math.max(max, n);
        total += n;
        if (n > SMS_PER_VICTIM_TARGET) overTarget++;
      }
      rows.push({
        label,
        ...(variant === '' ? {} : { variant }),
        victims: counts.size,
        maxSms: max,
        meanSms: counts.size === 0 ? 0 : total / counts.size,
        overTarget,
      });
    }
    return rows.sort((a, b) => rank(a.label) - rank(b.label) || a.label.localeCompare(b.label) || (a.variant ?? '').localeCompare(b.variant ?? ''));
  }

  result(): Evaluation {
    const order = [...LEGIT_LABELS, ...ATTACK_LABELS] as string[];
    const rank = (label: string): number => {
      const i = order.indexOf(label);
      return i < 0 ? order.length : i;
    };
    const classes = [...this.byLabel.values()].sort((a, b) => rank(a.label) - rank(b.label) || a.label.localeCompare(b.label));
    const variantCount = new Map<string, number>();
    for (const row of this.byVariant.values()) variantCount.set(row.label, (variantCount.get(row.label) ?? 0) + 1);
    const variants = [...this.byVariant.values()]
      .filter((row) => (variantCount.get(row.label) ?? 0) > 1)
      .sort((a, b) => rank(a.label) - rank(b.label) || (a.variant ?? '').localeCompare(b.variant ?? ''));
    const legitOverall = { flows: 0, flowsServed: 0, attempts: 0, notSent: 0 };
    let worstAttack: Evaluation['worstAttack'];
    for (const row of classes) {
      if (row.legit) {
        legitOverall.flows += row.flows;
        legitOverall.flowsServed += row.flowsServed;
        legitOverall.attempts += row.attempts;
        legitOverall.notSent += row.attempts - row.allowed;
      } else if (row.attempts > 0) {
        const leak = row.allowed / row.attempts;
        if (!worstAttack || leak > worstAttack.leak) {
          worstAttack = { label: row.label, leak, attempts: row.attempts, sent: row.allowed };
        }
      }
    }
    return { classes, variants, legitOverall, bombingVictims: this.victimMetrics(rank), ...(worstAttack ? { worstAttack } : {}) };
  }

  private row(map: Map<string, ClassMetrics>, key: string, label: string, variant?: string): ClassMetrics {
    let row = map.get(key);
    if (!row) {
      row = emptyMetrics(label, variant);
      map.set(key, row);
    }
    return row;
  }
}

/** Evaluates a whole simulation (sync or async lines) against replay decisions keyed by send id. */
export async function evaluate(
  simLines: Iterable<SimLine> | AsyncIterable<SimLine>,
  decisions: ReadonlyMap<string, ReplayDecision>,
  options?: EvaluateOptions,
): Promise<Evaluation> {
  const evaluator = new SimEvaluator(decisions, options);
  for await (const line of simLines) evaluator.add(line);
  return evaluator.result();
}

/** Synchronous `evaluate` for in-memory lines. */
export function evaluateLines(simLines: Iterable<SimLine>, decisions: ReadonlyMap<string, ReplayDecision>, options?: EvaluateOptions): Evaluation {
  const evaluator = new SimEvaluator(decisions, options);
  for (const line of simLines) evaluator.add(line);
  return evaluator.result();
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** The `n` most frequent reasons as `CODE n (share of not-sent)`. */
function topReasons(row: ClassMetrics, n = 3): string {
  const notSent = row.attempts - row.allowed - row.undecided;
  const entries = Object.entries(row.reasons).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (entries.length === 0) return '';
  return entries
    .slice(0, n)
    .map(([reason, count]) => `${reason} ${count} (${percent(count, notSent)})`)
    .join(', ');
}

function name(row: ClassMetrics): string {
  return row.variant === undefined ? row.label : `↳ ${row.variant}`;
}

/** The evaluation as Markdown: attack table, legit table, overall lines. */
export function formatEvaluation(evaluation: Evaluation): string {
  const out: string[] = [];
  const withVariants = (rows: ClassMetrics[]): ClassMetrics[] => rows.flatMap((row) => [row, ...evaluation.variants.filter((v) => v.label === row.label)]);
  const attacks = withVariants(evaluation.classes.filter((row) => !row.legit));
  const legit = withVariants(evaluation.classes.filter((row) => row.legit));
  const undecided = evaluation.classes.reduce((sum, row) => sum + row.undecided, 0);

  if (attacks.length > 0) {
    out.push('### Attacks', '');
    out.push('| class | campaigns | attempts | sent | leak | challenged | blocked | top reasons (not sent) |');
    out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const row of attacks) {
      out.push(
        `| ${name(row)} | ${row.flows} | ${row.attempts} | ${row.allowed} | ${percent(row.allowed, row.attempts)} | ${row.challenged} | ${row.blocked} | ${topReasons(row)} |`,
      );
    }
    out.push('');
  }
  if (evaluation.bombingVictims.length > 0) {
    out.push(`### SMS per bombed victim (all tenants; target ≤ ${SMS_PER_VICTIM_TARGET})`, '');
    out.push(`| class | victims | max SMS | mean SMS | victims over ${SMS_PER_VICTIM_TARGET} |`);
    out.push('| --- | ---: | ---: | ---: | ---: |');
    for (const row of evaluation.bombingVictims) {
      const label = row.variant === undefined ? row.label : `↳ ${row.variant}`;
      out.push(`| ${label} | ${row.victims} | ${row.maxSms} | ${row.meanSms.toFixed(1)} | ${row.overTarget} |`);
    }
    out.push('');
  }
  if (legit.length > 0) {
    out.push('### Legitimate traffic', '');
    out.push('| class | flows | served | attempts | blocked | challenged | top reasons (blocked or challenged) |');
    out.push('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const row of legit) {
      out.push(
        `| ${name(row)} | ${row.flows} | ${percent(row.flowsServed, row.flows)} | ${row.attempts} | ${percent(row.blocked, row.attempts)} | ${percent(row.challenged, row.attempts)} | ${topReasons(row)} |`,
      );
    }
    out.push('');
  }
  const o = evaluation.legitOverall;
  out.push(
    `- Legitimate flows served: ${percent(o.flowsServed, o.flows)} (${o.flowsServed} of ${o.flows}); attempts not sent: ${percent(o.notSent, o.attempts)}`,
  );
  const w = evaluation.worstAttack;
  if (w) out.push(`- Worst attack leak: ${w.label} ${percent(w.sent, w.attempts)} (${w.sent} of ${w.attempts} sent)`);
  if (undecided > 0) out.push(`- Sends without a replay decision: ${undecided} (counted as not sent)`);
  return `${out.join('\n')}\n`;
}
