import type { Assessment } from '../engine/engine';
import { countryKey } from '../engine/phone';
import type { Decision } from '../domain/types';
import { smsPriceUsd } from '../shared/sms-prices';

/** Sends per decision. */
export interface DecisionTally {
  allow: number;
  challenge: number;
  block: number;
}

/** One bar of the timeline: the sends whose verdict fell in `[start, start + bucketMs)`. */
export interface TimeBucket extends DecisionTally {
  /** Epoch milliseconds. */
  readonly start: number;
}

export interface CountryRow extends DecisionTally {
  /** ISO region of the number; `+<calling code>` when it has none; `invalid` when it did not parse. */
  readonly country: string;
  /** Estimated USD price of one SMS to the country (`lambdas/shared/sms-prices`). */
  readonly priceUsd: number;
  /** Estimated USD not spent: sends to this country that were not sent. */
  costAvoidedUsd: number;
}

export interface RangeRow extends DecisionTally {
  /** The 10,000-number range, masked: `+44 7400 12xxxx`. Never a whole number. */
  readonly range: string;
  readonly country: string;
}

export interface ReasonRow {
  readonly reason: string;
  /** Challenged sends that carried the reason. */
  challenge: number;
  /** Blocked sends that carried the reason. */
  block: number;
}

export interface TenantRow extends DecisionTally {
  readonly tenant: string;
}

/** The first rows of a bounded table, heaviest first, and what did not make it. */
export interface RankedRows<R> {
  readonly rows: readonly R[];
  /** Everything outside `rows` (smaller keys, and keys evicted while the table was full). */
  readonly other: DecisionTally;
  /** Keys seen, or at least this many when `evicted`. */
  readonly keys: number;
  /** Keys were evicted to keep memory bounded: counts of a returning key restarted at 0. */
  readonly evicted: boolean;
}

/** What the HTML report is drawn from. Plain data: safe to serialise. */
export interface ReportData {
  /** Epoch ms of the first and last verdict; undefined without sends. */
  readonly firstAt: number | undefined;
  readonly lastAt: number | undefined;
  /** Width of one timeline bucket. */
  readonly bucketMs: number;
  /** Every bucket from the first to the last verdict, empty ones included. */
  readonly timeline: readonly TimeBucket[];
  readonly reasons: RankedRows<ReasonRow>;
  readonly countries: RankedRows<CountryRow>;
  readonly ranges: RankedRows<RangeRow>;
  readonly tenants: RankedRows<TenantRow>;
  /** Estimated USD not spent on SMS that were not sent, per decision. */
  readonly costAvoidedUsd: { readonly challenge: number; readonly block: number };
  /** Challenged or blocked verdicts of shadow tenants: sent anyway, so no cost avoided. */
  readonly shadowSent: number;
}

/** The part of an assessment the statistics read. */
export type AssessedSend = Pick<Assessment, 'verdict' | 'phone' | 'pending' | 'at' | 'tenant'>;

export interface ReportStatsOptions {
  /** Most timeline buckets: buckets widen (1 min, 5 min, 10 min, 30 min, 1 h, …) to stay under it. @default 200 */
  readonly maxBuckets?: number;
  /** Rows kept per table (countries, ranges, tenants, reasons) before the lightest are folded into "other". @default 2000 */
  readonly maxKeys?: number;
  /** Rows per table in the result. @default 15 */
  readonly top?: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Each width is a multiple of the one before, so merged buckets never straddle a boundary. */
const WIDTHS = [MINUTE, 5 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY, 28 * DAY];

/**
 * Statistics for the replay report, collected one verdict at a time in bounded memory: a
 * timeline that widens its buckets as the span grows, and per-country, per-range, per-tenant
 * and per-reason tables that fold their lightest rows into "other" when full. Numbers are only
 * kept as their country and masked 10,000-number range.
 */
export class ReportStats {
  private readonly maxBuckets: number;
  private readonly top: number;
  private bucketMs = WIDTHS[0]!;
  private readonly buckets = new Map<number, DecisionTally>();
  private minKey = Number.POSITIVE_INFINITY;
  private maxKey = Number.NEGATIVE_INFINITY;
  /** The bucket of the previous verdict: input is sorted, so nearly every verdict lands in it. */
  private currentKey = Number.NaN;
  private current: DecisionTally = zero();
  private firstAt: number | undefined;
  private lastAt: number | undefined;
  private readonly countries: BoundedTable<CountryRow>;
  private readonly ranges: BoundedTable<RangeRow>;
  private readonly tenants: BoundedTable<TenantRow>;
  private readonly reasons: BoundedTable<ReasonRow>;
  private readonly cost = { challenge: 0, block: 0 };
  private shadowSent = 0;

  constructor(options: ReportStatsOptions = {}) {
    this.maxBuckets = Math.max(2, options.maxBuckets ?? 200);
    this.top = options.top ?? 15;
    const maxKeys = Math.max(2 * this.top, options.maxKeys ?? 2_000);
    const sends = (r: DecisionTally) => r.allow + r.challenge + r.block;
    this.countries = new BoundedTable<CountryRow>(maxKeys, sends);
    // Ranges rank by what was stopped: the pumped ones are what the table is for.
    this.ranges = new BoundedTable(maxKeys, (r) => (r.challenge + r.block) * 1e9 + r.allow);
    this.tenants = new BoundedTable<TenantRow>(maxKeys, sends);
    this.reasons = new BoundedTable(maxKeys, (r) => r.challenge + r.block);
  }

  /** Count one settled verdict; `sent` says whether the SMS went out (shadow tenants send anyway). */
  record(a: AssessedSend, sent: boolean): void {
    const decision: Decision = a.verdict.decision;
    const at = a.at;
    this.firstAt ??= at;
    this.lastAt = at;
    if (Math.floor(at / this.bucketMs) !== this.currentKey) this.enterBucket(at);
    this.current[decision]++;

    const phone = a.phone;
    const country = phone ? countryKey(phone) : 'invalid';
    const countryRow = this.countries.get(country) ?? this.countries.add(country, { country, priceUsd: priceOf(country), costAvoidedUsd: 0, ...zero() });
    countryRow[decision]++;
    (this.tenants.get(a.tenant) ?? this.tenants.add(a.tenant, { tenant: a.tenant, ...zero() }))[decision]++;
    // `pending.range4` is the range key the engine already keeps (valid numbers only).
    const range4 = a.pending?.range4;
    if (range4 !== undefined && phone) {
      (this.ranges.get(range4) ?? this.ranges.add(range4, { range: maskRange(range4, phone.callingCode), country, ...zero() }))[decision]++;
    }
    if (decision === 'allow') return;
    for (const reason of a.verdict.reasons) (this.reasons.get(reason) ?? this.reasons.add(reason, { reason, challenge: 0, block: 0 }))[decision]++;
    if (sent) {
      this.shadowSent++;
      return;
    }
    this.cost[decision] += countryRow.priceUsd;
    countryRow.costAvoidedUsd += countryRow.priceUsd;
  }

  /** The collected statistics, the top rows of each table. */
  result(): ReportData {
    const timeline: TimeBucket[] = [];
    for (let k = this.minKey; k <= this.maxKey; k++) timeline.push({ start: k * this.bucketMs, ...(this.buckets.get(k) ?? zero()) });
    return {
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      bucketMs: this.bucketMs,
      timeline,
      reasons: this.reasons.ranked(this.top),
      countries: this.countries.ranked(this.top),
      ranges: this.ranges.ranked(this.top),
      tenants: this.tenants.ranked(this.top),
      costAvoidedUsd: { ...this.cost },
      shadowSent: this.shadowSent,
    };
  }

  private enterBucket(at: number): void {
    let key = Math.floor(at / this.bucketMs);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (key < this.minKey) this.minKey = key;
      if (key > this.maxKey) this.maxKey = key;
      if (this.maxKey - this.minKey >= this.maxBuckets) {
        this.widen();
        key = Math.floor(at / this.bucketMs);
        bucket = this.buckets.get(key);
      }
      if (bucket === undefined) {
        bucket = zero();
        this.buckets.set(key, bucket);
      }
    }
    this.currentKey = key;
    this.current = bucket;
  }

  /** Widen the buckets until the span fits, merging the existing ones. */
  private widen(): void {
    while (this.maxKey - this.minKey >= this.maxBuckets) {
      const next = WIDTHS.find((w) => w > this.bucketMs) ?? this.bucketMs * 2;
      const factor = next / this.bucketMs;
      const merged = new Map<number, DecisionTally>();
      for (const [k, b] of this.buckets) {
        const nk = Math.floor(k / factor);
        const into = merged.get(nk);
        if (into) addTally(into, b);
        else merged.set(nk, b);
      }
      this.buckets.clear();
      for (const [k, b] of merged) this.buckets.set(k, b);
      this.bucketMs = next;
      this.minKey = Math.floor(this.minKey / factor);
      this.maxKey = Math.floor(this.maxKey / factor);
    }
  }
}

/** Decision counts of a row, whatever else it holds. */
type Tallied = Partial<DecisionTally>;

/**
 * A counting map that holds at most `limit` keys: when full, it keeps the heavier half and
 * folds the rest into `other` (the sum of all rows and `other` stays exact). Heavy keys — the
 * ones a report shows — stay exact unless they were once among the lightest half.
 */
class BoundedTable<R extends Tallied> {
  private readonly rows = new Map<string, R>();
  private readonly other = zero();
  private evicted = false;
  private seen = 0;

  constructor(
    private readonly limit: number,
    private readonly weight: (row: R) => number,
  ) {}

  get(key: string): R | undefined {
    return this.rows.get(key);
  }

  add(key: string, row: R): R {
    if (this.rows.size >= this.limit) this.prune();
    this.rows.set(key, row);
    this.seen++;
    return row;
  }

  ranked(top: number): RankedRows<R> {
    const sorted = [...this.rows.values()].sort((a, b) => this.weight(b) - this.weight(a));
    const other = { ...this.other };
    for (const row of sorted.slice(top)) addTally(other, row);
    return { rows: sorted.slice(0, top).map((r) => ({ ...r })), other, keys: this.seen, evicted: this.evicted };
  }

  private prune(): void {
    const sorted = [...this.rows.entries()].sort((a, b) => this.weight(b[1]) - this.weight(a[1]));
    for (const [key, row] of sorted.slice(Math.floor(this.limit / 2))) {
      addTally(this.other, row);
      this.rows.delete(key);
    }
    this.evicted = true;
  }
}

function zero(): DecisionTally {
  return { allow: 0, challenge: 0, block: 0 };
}

function addTally(into: DecisionTally, from: Tallied): void {
  into.allow += from.allow ?? 0;
  into.challenge += from.challenge ?? 0;
  into.block += from.block ?? 0;
}

function priceOf(country: string): number {
  // Only ISO regions have a price; `+<code>` and `invalid` get the table's default.
  return smsPriceUsd(/^[A-Z]{2}$/.test(country) ? country : undefined);
}

/**
 * `+447400120000`-style range key (E.164 minus its last four digits) as `+44 7400 12xxxx`:
 * the calling code, the national digits known, and the four unknown ones as `x`.
 */
export function maskRange(range4: string, callingCode: string): string {
  const national = `${range4.slice(1 + callingCode.length)}xxxx`;
  const grouped = national.length > 6 ? `${national.slice(0, 4)} ${national.slice(4)}` : national;
  return `+${callingCode} ${grouped}`;
}
