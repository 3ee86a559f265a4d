import type { Clock } from '../ports/clock';
import type { CounterIncrement, CounterStore } from '../ports/counter-store';
import type { EventStore, VerdictEvent } from '../ports/event-store';
import type { GeoInfo, GeoLookup } from '../ports/geo';
import type { ListEntry, ListKey, ListStore } from '../ports/list-store';
import type { AttemptClaim, PendingVerification, VerificationStore } from '../ports/verification-store';
import type { Hasher } from './hasher';
import { parseIp, type IpAddress } from './ip';
import { ListIndex } from './list-index';
import { parsePhone, type ParsedPhone } from './phone';
import type { Policy, Window } from './policy';
import { AggregateStats } from './aggregate-stats';
import type { AccountHistory, CounterReading, Rule, RuleContext } from './rule';
import { Reason } from './reasons';
import { RULES } from './rules/index';
import { INVALID_NUMBER_FINDING } from './rules/invalid-number';
import { applySettings, decide, ruleEnabled, type AppliedFinding, type ChallengeLevels } from './score';
import { difficultyLevel } from './challenge-level';
import type { SendAttempt, Verdict } from '../domain/types';
import { classifyAgent, type AgentKind } from './user-agent';
import { REPUTATION_SCOPE, reputationKeys, reputationSubjects, type ReputationSubjects } from './reputation';
import { bucketOf, planCounter, planCounters, planDistinct, type CounterPlan, type DistinctPlan } from './velocity';
import { BoundedCache } from './lru';
import { liveReadings, planLiveAdds } from './cross-tenant';

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

/** A verdict plus what the caller needs to settle it after sending (or not). */
export interface Assessment {
  readonly verdict: Verdict;
  readonly phone: ParsedPhone | undefined;
  /** Hash of the E.164 number, for records that must not hold the number. */
  readonly phoneHash: string | undefined;
  readonly findings: readonly AppliedFinding[];
  /** Quota units taken by this attempt; given back by `settle` if no SMS goes out. */
  readonly reservations: readonly CounterIncrement[];
  /** What to remember when the SMS is sent, so a later verification is credited correctly. */
  readonly pending: Omit<PendingVerification, 'sentAt' | 'expiresAt'> | undefined;
  /** Epoch milliseconds the verdict was made at. */
  readonly at: number;
  readonly tenant: string;
  readonly scenario: string;
  /** The caller only asked for a verdict (`/v1/verdicts`): no SMS goes out through the shield. */
  readonly verdictOnly?: boolean;
  /** Hashed keys of the attempt in shared reputation, recorded with its verdict event. */
  readonly subjects: ReputationSubjects;
}

/** A verification outcome to credit: the code for `phone` was (or was not) entered correctly. */
export interface VerificationOutcome {
  readonly tenant: string;
  readonly phone: string;
  readonly country?: string;
  readonly success: boolean;
}

interface StatPlan {
  readonly plan: CounterPlan;
  readonly by: number;
  readonly reading: CounterReading;
}

/** Account history counters live long: a device verified months ago is still known. */
const ACCOUNT_TTL_SECONDS = 180 * 86_400;
const NO_GEO: GeoInfo = { kind: 'reserved', hosting: false };
/** Levels the challenge route issues by default (`DIFFICULTY_LEVELS` in challenge/proof-of-work.ts). */
const DEFAULT_MAX_CHALLENGE_LEVEL = 4;
const DAY_LIMITLESS = { day: Number.POSITIVE_INFINITY };

/**
 * The risk engine: parses the attempt, reads and updates all state it needs in one
 * parallel wave of store calls, runs every rule on the result and scores the findings.
 */
export class RiskEngine {
  private readonly rules: readonly Rule[];
  private readonly listIndex: ListIndex;
  private readonly verificationWindow: number;
  private readonly stats: AggregateStats;
  private readonly statPlanCache = new BoundedCache<string, readonly StatPlan[]>(5_000);

  constructor(private readonly deps: EngineDeps) {
    this.rules = deps.rules ?? RULES;
    this.listIndex = new ListIndex(deps.lists, deps.listCacheTtlMs);
    this.verificationWindow = deps.verificationWindowSeconds ?? 1_800;
    this.stats = new AggregateStats(deps.counters, deps.statsSyncMs);
  }

  /**
   * The aggregate statistics one attempt reads (and, with `by` 1, adds to): the tenant's and the
   * destination country's attempts, sends and verifications. Planned once per tenant, country
   * and hour — they are the same for every verdict in between.
   */
  private statPlans(tenantScope: string, countrySubject: string, nowMs: number): readonly StatPlan[] {
    const cacheKey = `${countrySubject}|${bucketOf('hour', nowMs).index}`;
    let plans = this.statPlanCache.get(cacheKey);
    if (plans) return plans;
    const plan = (dimension: string, subject: string, window: Window, by: number, offset = 0, stored = dimension): StatPlan => {
      const p = planCounter(dimension, subject, window, Infinity, nowMs, false, by, offset, stored);
      return { plan: { ...p, increment: { key: p.increment.key, field: p.increment.field, by, expiresAt: p.increment.expiresAt } }, by, reading: { dimension, window, limit: Infinity, value: 0, resetsInSeconds: 0 } };
    };
    plans = [
      plan('attempts:tenant', tenantScope, 'day', 1),
      plan('attempts:tenant-yesterday', tenantScope, 'day', 0, -1, 'attempts:tenant'),
      plan('attempts:country', countrySubject, 'hour', 1),
      plan('attempts:country', countrySubject, 'day', 1),
      plan('attempts:country-yesterday', countrySubject, 'day', 0, -1, 'attempts:country'),
      plan('sent:country', countrySubject, 'day', 0),
      plan('sent:tenant', tenantScope, 'day', 0),
      plan('verified:country', countrySubject, 'day', 0),
      plan('verified:tenant', tenantScope, 'day', 0),
    ];
    this.statPlanCache.set(cacheKey, plans);
    return plans;
  }

  async assess(attempt: SendAttempt, policy: Policy): Promise<Assessment> {
    const now = this.deps.clock.now();
    const nowSeconds = Math.floor(now / 1000);
    const { hasher } = this.deps;
    const phone = parsePhone(attempt.phone, attempt.country);
    const ip = parseIp(attempt.ip);
    const geo = ip ? this.deps.geo.lookup(ip.address) : NO_GEO;
    const agent = classifyAgent(attempt.userAgent);
    const tenantScope = `t:${attempt.tenant}`;
    const phoneHash = phone ? hasher(phone.e164) : undefined;
    const { deviceHash, accountHash, network } = identities(hasher, attempt, ip, geo);
    const subjects = reputationSubjects(this.deps.reputationHasher ?? hasher, {
      phone,
      ip,
      publicIp: geo.kind === 'public',
      device: deviceIdentity(attempt),
    });

    const counters: CounterPlan[] = [];
    const aggregates: CounterReading[] = [];
    const distinct: DistinctPlan[] = [];
    const listKeys: ListKey[] = [];
    const phoneKnown = phone?.valid === true && phoneHash !== undefined;
    const live = phoneKnown ? planLiveAdds(hasher, { phoneHash, tenant: attempt.tenant, network: geo.kind === 'public' ? ip?.subnet : undefined, nowMs: now }) : [];

    if (phoneKnown) {
      const subject = `${tenantScope}:${phoneHash}`;
      counters.push(...planCounters('number', subject, { ...DAY_LIMITLESS, ...policy.numberLimits }, now, true));
      // The cross-tenant quota counts SMS this deployment sends. A verdict-only call sends nothing
      // here: it neither takes that quota (and starves the number's owner elsewhere) nor reads it
      // (and learns that other tenants text the number).
      if (!attempt.verdictOnly) counters.push(...planCounters('global-number', phoneHash, policy.globalNumberLimits, now, true));
      counters.push(planCounter('verified:number', subject, 'day', Infinity, now, false, 0));
      const range3 = phone.e164.slice(0, -3);
      const range4 = phone.e164.slice(0, -4);
      const member = phoneHash.slice(0, 12);
      pushDefined(distinct, planDistinct('range3-numbers', `${tenantScope}:${range3}`, member, policy.distinctLimits.range3Numbers, now));
      pushDefined(distinct, planDistinct('range4-numbers', `${tenantScope}:${range4}`, member, policy.distinctLimits.range4Numbers, now));
      counters.push(planCounter('sent:range4', `${tenantScope}:${range4}`, 'day', Infinity, now, true, 1));
      counters.push(planCounter('verified:range4', `${tenantScope}:${range4}`, 'day', Infinity, now, false, 0));
      const country = phone.country ?? `+${phone.callingCode}`;
      const countrySubject = `${tenantScope}:${country}`;
      // Tenant- and country-wide statistics live in memory and sync in the background of a
      // wave: they would be hot keys if every verdict wrote them.
      const hourReset = bucketOf('hour', now).resetsInSeconds;
      const dayReset = bucketOf('day', now).resetsInSeconds;
      for (const s of this.statPlans(tenantScope, countrySubject, now)) {
        const counter = s.plan.increment;
        if (s.by !== 0) this.stats.add(counter, s.by);
        else this.stats.track(counter);
        const { dimension, window, limit } = s.reading;
        const resetsInSeconds = window === 'hour' ? hourReset : window === 'day' ? dayReset : bucketOf(window, now).resetsInSeconds;
        aggregates.push({ dimension, window, limit, value: this.stats.value(counter), resetsInSeconds });
      }
      listKeys.push({ scope: tenantScope, kind: 'number', value: phoneHash }, { scope: 'global', kind: 'number', value: phoneHash });
    }

    // Per-address signals. Every non-public address of a tenant (private, reserved: usually its
    // proxy's, or a value chosen to dodge these limits) counts as one shared address: a
    // misconfigured backend is held like one busy address, never exempted.
    if (ip) {
      const shared = geo.kind !== 'public';
      const ipSubject = `${tenantScope}:${hasher(shared ? 'ip:non-public' : `ip:${ip.address}`)}`;
      counters.push(...planCounters('ip', ipSubject, policy.sourceLimits.ip, now, false));
      const subnetHash = shared ? hasher('net:non-public') : hasher(`net:${ip.subnet}`);
      counters.push(...planCounters('subnet', `${tenantScope}:${subnetHash}`, policy.sourceLimits.subnet, now, false));
      if (phoneKnown) {
        pushDefined(distinct, planDistinct('ip-numbers', ipSubject, phoneHash.slice(0, 12), policy.distinctLimits.ipNumbers, now));
        const country = phone.country ?? phone.callingCode;
        pushDefined(distinct, planDistinct('ip-countries', ipSubject, country, policy.distinctLimits.ipCountries, now));
        const network = subnetHash.slice(0, 12);
        pushDefined(distinct, planDistinct('number-networks', `${tenantScope}:${phoneHash}`, network, policy.distinctLimits.numberNetworks, now));
      }
    }
    if (ip) listKeys.push({ scope: tenantScope, kind: 'ip', value: ip.address }, { scope: 'global', kind: 'ip', value: ip.address });

    if (deviceHash) {
      const deviceSubject = `${tenantScope}:${deviceHash}`;
      counters.push(...planCounters('device', deviceSubject, policy.sourceLimits.device, now, false));
      if (phoneKnown) pushDefined(distinct, planDistinct('device-numbers', deviceSubject, phoneHash.slice(0, 12), policy.distinctLimits.deviceNumbers, now));
      if (accountHash) pushDefined(distinct, planDistinct('device-accounts', deviceSubject, accountHash.slice(0, 12), policy.distinctLimits.deviceAccounts, now));
      listKeys.push({ scope: tenantScope, kind: 'device', value: deviceHash }, { scope: 'global', kind: 'device', value: deviceHash });
    }
    // A plain id still meets block entries written for the same id as a verified device (never their allow entries).
    const blockOnlyDevice = plainDeviceBlockKey(hasher, attempt);
    if (blockOnlyDevice) listKeys.push({ scope: tenantScope, kind: 'device', value: blockOnlyDevice }, { scope: 'global', kind: 'device', value: blockOnlyDevice });

    // Shared reputation (victims, abusive sources, pumped ranges): exact keys in the same read.
    listKeys.push(...reputationKeys(subjects));

    if (accountHash) {
      const accountSubject = `${tenantScope}:${accountHash}`;
      counters.push(accountRead('account:verified', accountSubject, nowSeconds));
      if (deviceHash) counters.push(accountRead('account:device', `${accountSubject}:${deviceHash}`, nowSeconds));
      if (network) counters.push(accountRead('account:network', `${accountSubject}:${network}`, nowSeconds));
    }

    // The single wave: counter updates, set adds, exact list lookups and (when stale) the
    // rule-list cache reload all go out at once.
    const scopes = [tenantScope, 'global'];
    const [values, sizes, exact, liveSets] = await Promise.all([
      counters.length > 0 ? this.deps.counters.increment(counters.map((p) => p.increment)) : [],
      distinct.length > 0 ? this.deps.counters.addDistinct(distinct.map((p) => p.add)) : [],
      listKeys.length > 0 ? this.deps.lists.getMany(listKeys, nowSeconds) : [],
      live.length > 0 ? this.deps.counters.addMembers(live) : undefined,
      this.listIndex.refresh(scopes, now),
      this.stats.due(now) ? this.stats.sync(now) : undefined,
    ]);

    const readings: CounterReading[] = aggregates;
    for (let i = 0; i < counters.length; i++) {
      const p = counters[i] as CounterPlan;
      readings.push({ dimension: p.dimension, window: p.window, limit: p.limit, value: values[i] ?? 0, resetsInSeconds: p.resetsInSeconds });
    }
    for (let i = 0; i < distinct.length; i++) {
      const p = distinct[i] as DistinctPlan;
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
    if (phone || ip) {
      matched.push(
        ...this.listIndex.match(scopes, { e164: phone?.e164, country: phone?.country, ip, asn: geo.asn }, nowSeconds),
      );
    }

    const account: AccountHistory | undefined = accountHash
      ? {
          verified: valueAt(readings, 'account:verified'),
          deviceVerified: valueAt(readings, 'account:device'),
          networkVerified: valueAt(readings, 'account:network'),
        }
      : undefined;

    const ctx: RuleContext = { attempt, phone, ip, geo, agent, policy, now, counters: readings, lists: matched, reputation, account };
    const findings = this.judge(ctx);
    unsendableFloor(phone, findings);
    const verdict = decide(findings, policy, attempt.scenario, attempt.challenge, this.challengeLevels(attempt, geo, agent));
    const reservations = counters.filter((p) => p.quota).map((p) => ({ ...p.increment, by: -p.increment.by }));
    const pending = pendingRecord(attempt.tenant, phone, phoneHash, { accountHash, deviceHash, network });
    return {
      verdict,
      phone,
      phoneHash,
      findings,
      reservations,
      pending,
      at: now,
      tenant: attempt.tenant,
      scenario: attempt.scenario,
      ...(attempt.verdictOnly && { verdictOnly: true }),
      subjects,
    };
  }

  /**
   * The levels a solution is judged by: what the challenge route gives a caller with this
   * attempt's address and user agent (fetch velocity aside: the fetching address may not be the
   * attempt's), so a solution fetched from a clean address cannot clear a datacenter bot.
   */
  private challengeLevels(attempt: SendAttempt, geo: GeoInfo, agent: AgentKind): ChallengeLevels {
    const max = this.deps.maxChallengeLevel ?? DEFAULT_MAX_CHALLENGE_LEVEL;
    return { base: difficultyLevel({ hosting: geo.hosting, agent, issuedThisHour: 0 }, max), max, solved: attempt.challengeLevel };
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
    const counter = planCounter('requests:tenant', `t:${tenant}`, 'minute', Infinity, now, false, 1).increment;
    if (this.stats.value(counter) >= limit) return bucketOf('minute', now).resetsInSeconds;
    this.stats.add(counter, 1);
    return undefined;
  }

  /** Run every enabled rule on the context and apply the tenant's settings to the findings. */
  private judge(ctx: RuleContext): AppliedFinding[] {
    const { policy, attempt } = ctx;
    const findings: AppliedFinding[] = [];
    for (const rule of this.rules) {
      if (!ruleEnabled(rule, policy, attempt.scenario)) continue;
      const raw = rule.evaluate(ctx);
      if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) continue;
      for (const finding of applySettings(rule, raw, policy, attempt.scenario)) findings.push(finding);
    }
    return findings;
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
    const ctx: RuleContext = {
      attempt,
      phone,
      ip,
      geo,
      agent: classifyAgent(attempt.userAgent),
      policy,
      now,
      counters: [],
      lists: [],
      reputation: [],
      account: undefined,
    };
    const findings = this.judge(ctx);
    unsendableFloor(phone, findings);
    findings.push({ reason: Reason.STORE_UNAVAILABLE, weight: 0, ruleId: 'engine' });
    const verdict = decide(findings, policy, attempt.scenario, attempt.challenge, this.challengeLevels(attempt, geo, ctx.agent));
    const pending = pendingRecord(attempt.tenant, phone, phoneHash, identities(hasher, attempt, ip, geo));
    return {
      verdict,
      phone,
      phoneHash,
      findings,
      reservations: [],
      pending,
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
    const event = this.record(verdictEvent(assessment, sent));
    if (!sent) {
      await Promise.all([event, assessment.reservations.length > 0 ? this.deps.counters.increment(assessment.reservations) : undefined]);
      return;
    }
    if (!assessment.pending) return event;
    const scope = `t:${assessment.pending.tenant}`;
    this.addStat('sent:tenant', scope, assessment.at);
    if (assessment.pending.country) this.addStat('sent:country', `${scope}:${assessment.pending.country}`, assessment.at);
    const sentAt = Math.floor(assessment.at / 1000);
    await Promise.all([event, this.deps.verifications.put({ ...assessment.pending, ...extra, sentAt, expiresAt: sentAt + this.verificationWindow })]);
  }

  /** Record an event when an event store is configured; a failure is reported, never thrown. */
  private record(event: VerdictEvent): Promise<void> | undefined {
    if (!this.deps.events) return undefined;
    return this.deps.events.record(event).catch((error: unknown) => this.deps.onEventError?.(error));
  }

  /** Record a failed code check; undefined when there is no pending code. */
  recordFailedCode(tenant: string, phoneHash: string): Promise<number | undefined> {
    return this.deps.verifications.recordFailedAttempt(tenant, phoneHash, Math.floor(this.deps.clock.now() / 1000));
  }

  /** Claim one of `maxAttempts` checks of a pending code, atomically, before the code is compared. */
  claimCodeCheck(tenant: string, phoneHash: string, maxAttempts: number): Promise<AttemptClaim> {
    return this.deps.verifications.claimAttempt(tenant, phoneHash, Math.floor(this.deps.clock.now() / 1000), maxAttempts);
  }

  /**
   * Take the pending record (once; with `codeHash`, only while it still holds that code; with
   * `maxAttempts`, only while no more checks than that were used) and credit it as verified.
   */
  async creditVerified(tenant: string, phoneHash: string, codeHash?: string, maxAttempts?: number): Promise<boolean> {
    const now = this.deps.clock.now();
    const pending = await this.deps.verifications.take(tenant, phoneHash, Math.floor(now / 1000), codeHash, maxAttempts);
    if (!pending) return false;
    const scope = `t:${pending.tenant}`;
    this.addStat('verified:tenant', scope, now);
    if (pending.country) this.addStat('verified:country', `${scope}:${pending.country}`, now);
    const event = this.record(verifyEvent(now, pending.tenant, pending.phoneHash));
    // The record is taken, so the code is used up and verified: failing to credit the
    // conversion counters is reported, never turned into an error (a retry would find no code).
    const credit = this.deps.counters.increment(verificationCredits(pending, now)).catch((error: unknown) => this.deps.onEventError?.(error));
    await Promise.all([event, credit]);
    return true;
  }

  private addStat(dimension: string, subject: string, nowMs: number): void {
    this.stats.add(planCounter(dimension, subject, 'day', Infinity, nowMs, false, 1).increment, 1);
  }

  /**
   * Credit a verification outcome. Only a number the shield recently sent to can be credited
   * (once): a success counts for the number, its range, its country, the tenant and the
   * account's device and network. Returns whether a sent code was found.
   */
  async recordVerification(outcome: VerificationOutcome): Promise<boolean> {
    const phone = parsePhone(outcome.phone, outcome.country);
    if (!phone?.valid) return false;
    const phoneHash = this.deps.hasher(phone.e164);
    if (!outcome.success) return (await this.recordFailedCode(outcome.tenant, phoneHash)) !== undefined;
    return this.creditVerified(outcome.tenant, phoneHash);
  }

  /** The pending record for a number, e.g. to check a code the shield generated. */
  pendingFor(tenant: string, phone: string, country?: string): Promise<PendingVerification | undefined> {
    const parsed = parsePhone(phone, country);
    if (!parsed?.valid) return Promise.resolve(undefined);
    return this.deps.verifications.get(tenant, this.deps.hasher(parsed.e164), Math.floor(this.deps.clock.now() / 1000));
  }

  /** Forget cached list entries (after an admin change in this process). */
  invalidateLists(): void {
    this.listIndex.invalidate();
  }
}

/** Reasons kept per event: the hard one first, then the heaviest; enough to tell what stopped an attempt. */
const EVENT_REASONS = 6;

/** The short number reference that joins a verification event to its send. */
function eventRef(phoneHash: string): string {
  return phoneHash.slice(0, 12);
}

/**
 * The compact, hashed event of one settled verdict. Every event has the same fields (absent
 * ones undefined, dropped when serialised): one object shape keeps the job's loops fast.
 */
function verdictEvent(a: Assessment, sent: boolean): VerdictEvent {
  const { verdict, subjects: s } = a;
  return {
    at: a.at,
    kind: 'send',
    tenant: a.tenant,
    ref: a.phoneHash === undefined ? undefined : eventRef(a.phoneHash),
    via: a.verdictOnly ? 'verdict' : undefined,
    scenario: a.scenario,
    decision: verdict.decision,
    sent,
    reasons: verdict.reasons.length > 0 ? verdict.reasons.slice(0, EVENT_REASONS) : undefined,
    number: s.number,
    range: s.range,
    country: s.country,
    ip: s.ip,
    subnet: s.subnet,
    device: s.device,
  };
}

/** The event of a verified code: which tenant, which number (by reference). */
function verifyEvent(at: number, tenant: string, phoneHash: string): VerdictEvent {
  return {
    at,
    kind: 'verify',
    tenant,
    ref: eventRef(phoneHash),
    via: undefined,
    scenario: undefined,
    decision: undefined,
    sent: undefined,
    reasons: undefined,
    number: undefined,
    range: undefined,
    country: undefined,
    ip: undefined,
    subnet: undefined,
    device: undefined,
  };
}

/** Counter increments that credit one successful verification. */
export function verificationCredits(p: PendingVerification, nowMs: number): CounterIncrement[] {
  const scope = `t:${p.tenant}`;
  const credit = (dimension: string, subject: string) => planCounter(dimension, subject, 'day', Infinity, nowMs, false, 1).increment;
  const out: CounterIncrement[] = [credit('verified:number', `${scope}:${p.phoneHash}`)];
  if (p.range4) out.push(credit('verified:range4', `${scope}:${p.range4}`));
  if (p.accountHash) {
    const expiresAt = Math.floor(nowMs / 1000) + ACCOUNT_TTL_SECONDS;
    const account = `${scope}:${p.accountHash}`;
    out.push({ key: accountKey('account:verified', account), by: 1, expiresAt });
    if (p.deviceHash) out.push({ key: accountKey('account:device', `${account}:${p.deviceHash}`), by: 1, expiresAt });
    if (p.network) out.push({ key: accountKey('account:network', `${account}:${p.network}`), by: 1, expiresAt });
  }
  return out;
}

/**
 * A number that does not parse as a valid number is never sent to, whatever the tenant's policy
 * says about `invalid-number`: the floor finding goes in when the rule was switched off or softened.
 */
function unsendableFloor(phone: ParsedPhone | undefined, findings: AppliedFinding[]): void {
  if (phone?.valid) return;
  if (findings.some((f) => f.reason === Reason.INVALID_NUMBER && f.action === 'block')) return;
  findings.push({ ...INVALID_NUMBER_FINDING, ruleId: 'engine' });
}

/**
 * The device an attempt is counted and listed as: the id inside a verified device token, or a
 * plain (caller-chosen) value in a namespace of its own. Anyone can send any plain value, so a
 * plain id equal to a verified device's id must neither use that device's allow entries nor run
 * up its counters or its shared reputation.
 */
function deviceIdentity(attempt: SendAttempt): string | undefined {
  if (!attempt.device) return undefined;
  return attempt.deviceSignals?.token === 'valid' ? attempt.device : `plain:${attempt.device}`;
}

/** For a plain id: the key of list entries written for the same id as a verified device (block entries still apply). */
function plainDeviceBlockKey(hasher: Hasher, attempt: SendAttempt): string | undefined {
  if (!attempt.device || attempt.deviceSignals?.token === 'valid') return undefined;
  return hasher(`device:${attempt.device}`);
}

/**
 * The hashed device and account of an attempt, and its network (ASN, else subnet, for public
 * IPs): the same in a full verdict and a stateless one, so a pending code means one thing.
 */
function identities(hasher: Hasher, attempt: SendAttempt, ip: IpAddress | undefined, geo: GeoInfo): { deviceHash?: string; accountHash?: string; network?: string } {
  const device = deviceIdentity(attempt);
  return {
    deviceHash: device ? hasher(`device:${device}`) : undefined,
    accountHash: attempt.account ? hasher(`account:${attempt.tenant}:${attempt.account}`) : undefined,
    network: ip && geo.kind === 'public' ? (geo.asn !== undefined ? `as${geo.asn}` : ip.subnet) : undefined,
  };
}

/** What a sent SMS leaves behind for its verification; only for a valid number. */
function pendingRecord(
  tenant: string,
  phone: ParsedPhone | undefined,
  phoneHash: string | undefined,
  keys: { accountHash?: string; deviceHash?: string; network?: string },
): Assessment['pending'] {
  if (!phone?.valid || phoneHash === undefined) return undefined;
  return {
    tenant,
    phoneHash,
    country: phone.country ?? `+${phone.callingCode}`,
    range4: phone.e164.slice(0, -4),
    accountHash: keys.accountHash,
    deviceHash: keys.deviceHash,
    network: keys.network,
  };
}

function accountKey(dimension: string, subject: string): string {
  return `a#${dimension}#${subject}`;
}

function accountRead(dimension: string, subject: string, nowSeconds: number): CounterPlan {
  return {
    dimension,
    window: 'day',
    limit: Infinity,
    quota: false,
    resetsInSeconds: ACCOUNT_TTL_SECONDS,
    increment: { key: accountKey(dimension, subject), by: 0, expiresAt: nowSeconds + ACCOUNT_TTL_SECONDS },
  };
}

function valueAt(readings: readonly CounterReading[], dimension: string): number {
  return readings.find((r) => r.dimension === dimension)?.value ?? 0;
}

function pushDefined<T>(list: T[], item: T | undefined): void {
  if (item !== undefined) list.push(item);
}

export type { IpAddress };
