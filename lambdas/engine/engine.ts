import type { SendAttempt } from '../domain/types';
import type { Clock } from '../ports/clock';
import { type CounterStore, throwIfFailed } from '../ports/counter-store';
import type { EventStore } from '../ports/event-store';
import type { GeoLookup } from '../ports/geo';
import type { ListEntry, ListStore } from '../ports/list-store';
import type { VerificationStore } from '../ports/verification-store';
import { accountHistory, numberHistory } from './account-history';
import { AggregateStats } from './aggregate-stats';
import type { Assessment, VerificationOutcome } from './assessment';
import { liveReadings } from './cross-tenant';
import { DIM } from './dimensions';
import { EventRecorder, verdictEvent } from './events';
import type { Hasher } from './hasher';
import { NO_GEO, addressHashes, deviceIdentity, identities, plainDeviceBlockKey } from './identities';
import { parseIp } from './ip';
import { challengeLevels, judge } from './judge';
import { pendingCredit } from './rules/number-unverified';
import { ListIndex } from './list-index';
import { BoundedCache } from './lru';
import { parsePhone } from './phone';
import type { Policy } from './policy';
import { Reason } from '../domain/reasons';
import { REPUTATION_SCOPE, reputationSubjects } from './reputation';
import type { CounterReading, Rule, RuleContext } from './rule';
import { RULES } from './rules/index';
import { decide } from './score';
import { type StatPlan, planStats } from './stat-plans';
import { classifyAgent } from './user-agent';
import { bucketOf, planCounter } from './velocity';
import { VerificationLedger, pendingRecord } from './verification-ledger';
import { planWave } from './wave-plan';

export type { Assessment, VerificationOutcome } from './assessment';

/** The ports the engine needs. It imports nothing from AWS: adapters come in here. */
export interface EngineDeps {
  readonly counters: CounterStore;
  readonly lists: ListStore;
  readonly verifications: VerificationStore;
  readonly geo: GeoLookup;
  readonly hasher: Hasher;
  readonly clock: Clock;
  /** @default RULES */
  readonly rules?: readonly Rule[];
  /** How long rule-kind list entries are cached. @default 30_000 ms */
  readonly listCacheTtlMs?: number;
  /** How long a sent code can be verified (credited to conversion). @default 1800 s */
  readonly verificationWindowSeconds?: number;
  /** How often tenant- and country-wide statistics are synced with the store. @default 10_000 ms */
  readonly statsSyncMs?: number;
  /** Where verdict and verification events go for the joint-defense job; absent: none are recorded. */
  readonly events?: EventStore;
  /**
   * Hashes the keys of shared reputation (and of the events the job builds it from). An
   * alliance's indicator key makes them comparable across deployments. @default hasher
   */
  readonly reputationHasher?: Hasher;
  /** The highest proof-of-work level the challenge route issues. @default DIFFICULTY_LEVELS.length (4) */
  readonly maxChallengeLevel?: number;
  /**
   * Told when an event, or the counters' credit of a verified code, could not be recorded:
   * neither ever fails a verdict or a verification.
   */
  readonly onEventError?: (error: unknown) => void;
}

/** Levels the challenge route issues by default (`DIFFICULTY_LEVELS` in challenge/proof-of-work.ts). */
const DEFAULT_MAX_CHALLENGE_LEVEL = 4;

/**
 * The risk engine: parses the attempt, plans the state it needs (`planWave`), reads and updates
 * it in one parallel wave of store calls, runs every rule on the result and scores the findings.
 * What happens after a send — pending codes, code checks, verification credit — is the ledger's.
 */
export class RiskEngine {
  /** Pending codes and verification credit; `OtpService` depends on this alone. */
  readonly ledger: VerificationLedger;
  private readonly rules: readonly Rule[];
  private readonly listIndex: ListIndex;
  private readonly stats: AggregateStats;
  private readonly events: EventRecorder;
  private readonly maxChallengeLevel: number;
  private readonly statPlanCache = new BoundedCache<string, readonly StatPlan[]>(5_000);

  constructor(private readonly deps: EngineDeps) {
    this.rules = deps.rules ?? RULES;
    this.listIndex = new ListIndex(deps.lists, deps.listCacheTtlMs);
    this.stats = new AggregateStats(deps.counters, deps.statsSyncMs);
    this.events = new EventRecorder(deps.events, deps.onEventError);
    this.maxChallengeLevel = deps.maxChallengeLevel ?? DEFAULT_MAX_CHALLENGE_LEVEL;
    this.ledger = new VerificationLedger({
      verifications: deps.verifications,
      counters: deps.counters,
      hasher: deps.hasher,
      clock: deps.clock,
      stats: this.stats,
      events: this.events,
      verificationWindowSeconds: deps.verificationWindowSeconds,
      onCreditError: deps.onEventError,
    });
  }

  /** The statistics of a tenant and country, planned once per hour: the same for every verdict in between. */
  private statPlans(tenantScope: string, countrySubject: string, nowMs: number): readonly StatPlan[] {
    const cacheKey = `${countrySubject}|${bucketOf('hour', nowMs).index}`;
    return this.statPlanCache.get(cacheKey) ?? this.statPlanCache.set(cacheKey, planStats(tenantScope, countrySubject, nowMs));
  }

  async assess(attempt: SendAttempt, policy: Policy): Promise<Assessment> {
    const now = this.deps.clock.now();
    const nowSeconds = Math.floor(now / 1000);
    const { hasher } = this.deps;
    const phone = parsePhone(attempt.phone, attempt.country);
    const ip = parseIp(attempt.ip);
    const geo = ip ? this.deps.geo.lookup(ip.address) : NO_GEO;
    const agent = classifyAgent(attempt.userAgent);
    const phoneHash = phone ? hasher(phone.e164) : undefined;
    const ids = identities(hasher, attempt, ip, geo);
    const addresses = ip ? addressHashes(hasher, ip, geo) : undefined;
    // Each identifier is hashed once per verdict: reputation keys on the same inputs as the
    // counters, so with the deployment key (no alliance key) it takes their hashes.
    const { reputationHasher } = this.deps;
    const subjects = reputationSubjects(
      reputationHasher ?? hasher,
      { phone, ip, publicIp: geo.kind === 'public', device: deviceIdentity(attempt) },
      reputationHasher ? undefined : { number: phoneHash, ip: addresses?.ip, subnet: addresses?.subnet, device: ids.deviceHash },
    );
    const blockOnlyDevice = plainDeviceBlockKey(hasher, attempt);
    const plan = planWave({
      attempt,
      policy,
      nowMs: now,
      hasher,
      phone,
      phoneHash,
      ip,
      geo,
      ids,
      blockOnlyDevice,
      subjects,
      addresses,
      statPlans: (tenantScope, countrySubject) => this.statPlans(tenantScope, countrySubject, now),
    });

    // Tenant- and country-wide statistics live in memory and sync in the background of a
    // wave: they would be hot keys if every verdict wrote them.
    const readings: CounterReading[] = [];
    const hourReset = bucketOf('hour', now).resetsInSeconds;
    const dayReset = bucketOf('day', now).resetsInSeconds;
    for (const s of plan.stats) {
      const counter = s.plan.increment;
      if (s.by !== 0) this.stats.add(counter, s.by);
      else this.stats.track(counter);
      const { dimension, window, limit } = s.reading;
      const resetsInSeconds = window === 'hour' ? hourReset : window === 'day' ? dayReset : bucketOf(window, now).resetsInSeconds;
      readings.push({ dimension, window, limit, value: this.stats.value(counter), resetsInSeconds });
    }

    // The single wave: counter updates, set adds, exact list lookups and (when stale) the
    // rule-list cache reload all go out at once.
    // Settled, not raced: a throttled key is told from a throttled store by what else the wave
    // got through (`throwIfFailed`), so one failure must not hide the others' outcome.
    const { counters, distinct, listKeys, live, scopes } = plan;
    const wave = await Promise.allSettled([
      counters.length > 0 ? this.deps.counters.increment(counters.map((p) => p.increment)) : [],
      distinct.length > 0 ? this.deps.counters.addDistinct(distinct.map((p) => p.add)) : [],
      listKeys.length > 0 ? this.deps.lists.getMany(listKeys, nowSeconds) : [],
      live.length > 0 ? this.deps.counters.addMembers(live) : undefined,
      this.listIndex.refresh(scopes, now),
      this.stats.due(now) ? this.stats.sync(now) : undefined,
    ]);
    throwIfFailed(wave, (i) => (i === 0 && counters.some((p) => p.increment.by !== 0)) || (i === 1 && distinct.length > 0) || (i === 3 && live.length > 0));
    const values = fulfilled(wave[0]);
    const sizes = fulfilled(wave[1]);
    const exact = fulfilled(wave[2]);
    const liveSets = fulfilled(wave[3]);

    // Index loops: this runs on every verdict, and entries() allocates a pair per step.
    for (let i = 0; i < counters.length; i++) {
      const p = counters[i]!;
      readings.push({ dimension: p.dimension, window: p.window, limit: p.limit, value: values[i] ?? 0, resetsInSeconds: p.resetsInSeconds });
    }
    for (let i = 0; i < distinct.length; i++) {
      const p = distinct[i]!;
      readings.push({ dimension: p.dimension, window: p.window, limit: p.limit, value: sizes[i] ?? 0, resetsInSeconds: p.resetsInSeconds });
    }
    if (liveSets) {
      const { bombingTenants, bombingNetworks } = policy.jointDefense;
      readings.push(...liveReadings(liveSets, { tenants: bombingTenants, networks: bombingNetworks }, now));
    }

    const matched: ListEntry[] = [];
    const reputation: ListEntry[] = [];
    for (const entry of exact) {
      if (entry.scope === REPUTATION_SCOPE) reputation.push(entry);
      else if (!(entry.action === 'allow' && entry.kind === 'device' && entry.value === blockOnlyDevice)) matched.push(entry);
    }
    if (phone || ip) matched.push(...this.listIndex.match(scopes, { e164: phone?.e164, country: phone?.country, ip, asn: geo.asn }, nowSeconds));

    const account = ids.accountHash ? accountHistory(readings) : undefined;
    const ctx: RuleContext = {
      attempt,
      phone,
      ip,
      geo,
      agent,
      policy,
      now,
      counters: readings,
      lists: matched,
      reputation,
      account,
      numberHistory: phoneHash ? numberHistory(readings) : undefined,
      networkTag: plan.networkTag,
    };
    const findings = judge(this.rules, ctx);
    const verdict = decide(findings, policy, attempt.scenario, attempt.challenge, challengeLevels(attempt, geo, agent, this.maxChallengeLevel));
    const pending = pendingRecord(attempt.tenant, phone, phoneHash, ids);
    const supersedes = pending ? pendingCredit(ctx) : 0;
    return {
      verdict,
      phone,
      phoneHash,
      findings,
      reservations: counters.filter((p) => p.quota).map((p) => ({ ...p.increment, by: -p.increment.by })),
      pending: supersedes > 0 && pending ? { ...pending, supersedes } : pending,
      at: now,
      tenant: attempt.tenant,
      scenario: attempt.scenario,
      ...(attempt.verdictOnly && { verdictOnly: true }),
      subjects,
    };
  }

  /**
   * Count one verdict request of `tenant` and say whether it is over `policy.usage.perMinute`:
   * seconds until the minute turns when it is, undefined when it may go on. In memory, shared
   * between instances through the statistics sync (at most one sync interval stale): no store
   * call of its own, and a refused request costs no store work at all.
   */
  admit(tenant: string, policy: Policy): number | undefined {
    const limit = policy.usage.perMinute;
    if (limit === undefined) return undefined;
    const now = this.deps.clock.now();
    const counter = planCounter({ dimension: DIM.REQUESTS_TENANT, subject: `t:${tenant}`, window: 'minute', nowMs: now }).increment;
    if (this.stats.value(counter) >= limit) return bucketOf('minute', now).resetsInSeconds;
    this.stats.add(counter, 1);
    return undefined;
  }

  /**
   * A verdict from what needs no store — number validity and type, country policy, GeoIP,
   * user agent, device markers — for when the store cannot be reached and the scenario fails
   * open. Nothing is counted, so nothing is reserved; the verdict carries `STORE_UNAVAILABLE`
   * so it is never mistaken for a full one. A sent SMS is still remembered when the store takes
   * the write (`settle`), so a code sent while only the counters fail can be verified.
   */
  assessWithoutState(attempt: SendAttempt, policy: Policy): Assessment {
    const now = this.deps.clock.now();
    const { hasher } = this.deps;
    const phone = parsePhone(attempt.phone, attempt.country);
    const ip = parseIp(attempt.ip);
    const geo = ip ? this.deps.geo.lookup(ip.address) : NO_GEO;
    const phoneHash = phone ? hasher(phone.e164) : undefined;
    const agent = classifyAgent(attempt.userAgent);
    const ctx: RuleContext = { attempt, phone, ip, geo, agent, policy, now, counters: [], lists: [], reputation: [], account: undefined };
    const findings = judge(this.rules, ctx);
    findings.push({ reason: Reason.STORE_UNAVAILABLE, weight: 0, ruleId: 'engine' });
    const verdict = decide(findings, policy, attempt.scenario, attempt.challenge, challengeLevels(attempt, geo, agent, this.maxChallengeLevel));
    return {
      verdict,
      phone,
      phoneHash,
      findings,
      reservations: [],
      pending: pendingRecord(attempt.tenant, phone, phoneHash, identities(hasher, attempt, ip, geo)),
      at: now,
      tenant: attempt.tenant,
      scenario: attempt.scenario,
      ...(attempt.verdictOnly && { verdictOnly: true }),
      subjects: {},
    };
  }

  /**
   * Settle an assessment once the caller knows whether the SMS went out: a sent SMS is
   * remembered so its verification can be credited; an unsent one gives its quota back.
   */
  async settle(assessment: Assessment, sent: boolean, extra: { codeHash?: string } = {}): Promise<void> {
    // The verdict event goes out in parallel with the settlement's own write.
    const event = this.events.record(verdictEvent(assessment, sent));
    if (!sent) {
      await Promise.all([event, assessment.reservations.length > 0 ? this.deps.counters.increment(assessment.reservations) : undefined]);
      return;
    }
    await Promise.all([event, this.ledger.remember(assessment, extra)]);
  }

  /** Credit a verification outcome reported by a tenant (see `VerificationLedger.recordVerification`). */
  recordVerification(outcome: VerificationOutcome): Promise<boolean> {
    return this.ledger.recordVerification(outcome);
  }

  /** Forget cached list entries (after an admin change in this process). */
  invalidateLists(): void {
    this.listIndex.invalidate();
  }
}

/** The value of a result `throwIfFailed` has passed. */
function fulfilled<T>(result: PromiseSettledResult<T>): T {
  return (result as PromiseFulfilledResult<T>).value;
}
