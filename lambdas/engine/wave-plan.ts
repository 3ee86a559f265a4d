import type { SendAttempt } from '../domain/types';
import type { MembersAdd } from '../ports/counter-store';
import type { GeoInfo } from '../ports/geo';
import type { ListKey } from '../ports/list-store';
import { accountRead } from './account-history';
import { planLiveAdds } from './cross-tenant';
import { planCostGuard } from './cost-guard';
import { DIM } from './dimensions';
import type { Hasher } from './hasher';
import { type AddressHashes, type AttemptIdentities, addressHashes } from './identities';
import type { IpAddress } from './ip';
import type { ParsedPhone } from './phone';
import { countryKey } from './phone';
import type { Policy } from './policy';
import { networkTag, planRecentSends } from './recent-sends';
import { planPrefixCounters } from './prefix-plans';
import { reputationKeys, type ReputationSubjects } from './reputation';
import { hostingSignupBudget } from './rules/hosting-signup-budget';
import { networkSpike } from './rules/network-spike';
import { unfamiliarDeviceAndNetwork } from './rules/unfamiliar-device-and-network';
import { ruleEnabled } from './score';
import type { StatPlan } from './stat-plans';
import { type CounterPlan, type DistinctPlan, planCounter, planCounters, planDistinct } from './velocity';

/** What one verdict is planned from: the attempt, already parsed and hashed. */
export interface WaveInput {
  readonly attempt: SendAttempt;
  readonly policy: Policy;
  readonly nowMs: number;
  readonly hasher: Hasher;
  readonly phone: ParsedPhone | undefined;
  readonly phoneHash: string | undefined;
  readonly ip: IpAddress | undefined;
  readonly geo: GeoInfo;
  readonly ids: AttemptIdentities;
  /** The key of list entries a plain device id meets as block entries only. */
  readonly blockOnlyDevice: string | undefined;
  readonly subjects: ReputationSubjects;
  /** `addressHashes` of the attempt's address, when the caller has them (else computed here). */
  readonly addresses?: AddressHashes;
  /** The tenant- and country-wide statistics of a tenant scope and country subject (planned once an hour). */
  readonly statPlans: (tenantScope: string, countrySubject: string) => readonly StatPlan[];
}

/** Every store call one verdict makes, all issued together as one wave. */
export interface WavePlan {
  readonly tenantScope: string;
  /** List scopes whose rule-kind entries the verdict matches. */
  readonly scopes: readonly string[];
  readonly counters: readonly CounterPlan[];
  readonly distinct: readonly DistinctPlan[];
  readonly listKeys: readonly ListKey[];
  /** The number's live cross-tenant sets (current and previous bucket). */
  readonly live: readonly MembersAdd[];
  /** Tenant- and country-wide statistics, kept in memory and synced in the background of a wave. */
  readonly stats: readonly StatPlan[];
  /** The tag of the attempt's network in the number's recent sends (see `recent-sends.ts`). */
  readonly networkTag: number;
}

const DAY_LIMITLESS = { day: Number.POSITIVE_INFINITY };

/**
 * The pure planning half of a verdict: attempt, policy and time in, the wave of store calls out.
 * Nothing is read or written here, so the plan can be tested and measured on its own.
 */
export function planWave(input: WaveInput): WavePlan {
  const { attempt, policy, nowMs: now, hasher, phone, phoneHash, ip, geo, ids } = input;
  const nowSeconds = Math.floor(now / 1000);
  const tenantScope = `t:${attempt.tenant}`;
  const counters: CounterPlan[] = [];
  const distinct: DistinctPlan[] = [];
  const listKeys: ListKey[] = [];
  let stats: readonly StatPlan[] = [];
  const phoneKnown = phone?.valid === true && phoneHash !== undefined;
  const addresses = ip ? (input.addresses ?? addressHashes(hasher, ip, geo)) : undefined;
  const live = phoneKnown
    ? planLiveAdds(hasher, {
        phoneHash,
        tenant: attempt.tenant,
        network: geo.kind === 'public' ? ip?.subnet : undefined,
        networkHash: addresses?.subnet,
        nowMs: now,
      })
    : [];

  const tag = networkTag(addresses?.subnet);
  if (phoneKnown) {
    const subject = `${tenantScope}:${phoneHash}`;
    counters.push(...planCounters(DIM.NUMBER, subject, { ...DAY_LIMITLESS, ...policy.numberLimits }, now, true));
    // The cross-tenant quota counts SMS this deployment sends. A verdict-only call sends nothing
    // here: it neither takes that quota (and starves the number's owner elsewhere) nor reads it
    // (and learns that other tenants text the number).
    if (!attempt.verdictOnly) counters.push(...planCounters(DIM.GLOBAL_NUMBER, phoneHash, policy.globalNumberLimits, now, true));
    counters.push(planCounter({ dimension: DIM.VERIFIED_NUMBER, subject, window: 'day', nowMs: now, by: 0 }));
    // When the last codes went out, and from which networks: fields of the same item, so no request of their own.
    counters.push(...planRecentSends(subject, now, tag));
    const range3 = phone.e164.slice(0, -3);
    const range4 = phone.e164.slice(0, -4);
    const member = phoneHash.slice(0, 12);
    pushDefined(distinct, planDistinct(DIM.RANGE3_NUMBERS, `${tenantScope}:${range3}`, member, policy.distinctLimits.range3Numbers, now));
    pushDefined(distinct, planDistinct(DIM.RANGE4_NUMBERS, `${tenantScope}:${range4}`, member, policy.distinctLimits.range4Numbers, now));
    counters.push(planCounter({ dimension: DIM.SENT_RANGE4, subject: `${tenantScope}:${range4}`, window: 'day', nowMs: now, quota: true }));
    counters.push(planCounter({ dimension: DIM.VERIFIED_RANGE4, subject: `${tenantScope}:${range4}`, window: 'day', nowMs: now, by: 0 }));
    const prefixes = planPrefixCounters(tenantScope, phone, now);
    if (prefixes) counters.push(...prefixes);
    const country = countryKey(phone);
    stats = input.statPlans(tenantScope, `${tenantScope}:${country}`);
    counters.push(...planCostGuard({ policy: policy.costGuard, tenantScope, country, nowMs: now, verdictOnly: attempt.verdictOnly === true }));
    listKeys.push({ scope: tenantScope, kind: 'number', value: phoneHash }, { scope: 'global', kind: 'number', value: phoneHash });
  }

  // Per-address signals. Every non-public address of a tenant (private, reserved: usually its
  // proxy's, or a value chosen to dodge these limits) counts as one shared address: a
  // misconfigured backend is held like one busy address, never exempted.
  if (ip && addresses) {
    const ipSubject = `${tenantScope}:${addresses.ip}`;
    counters.push(...planCounters(DIM.IP, ipSubject, policy.sourceLimits.ip, now, false));
    const subnetHash = addresses.subnet;
    counters.push(...planCounters(DIM.SUBNET, `${tenantScope}:${subnetHash}`, policy.sourceLimits.subnet, now, false));
    if (phoneKnown) {
      pushDefined(distinct, planDistinct(DIM.IP_NUMBERS, ipSubject, phoneHash.slice(0, 12), policy.distinctLimits.ipNumbers, now));
      const country = phone.country ?? phone.callingCode;
      pushDefined(distinct, planDistinct(DIM.IP_COUNTRIES, ipSubject, country, policy.distinctLimits.ipCountries, now));
      const network = subnetHash.slice(0, 12);
      pushDefined(distinct, planDistinct(DIM.NUMBER_NETWORKS, `${tenantScope}:${phoneHash}`, network, policy.distinctLimits.numberNetworks, now));
    }
    listKeys.push({ scope: tenantScope, kind: 'ip', value: ip.address }, { scope: 'global', kind: 'ip', value: ip.address });
  }

  const networkCounters = planNetworkAttempts(tenantScope, attempt, policy, geo, now);
  if (networkCounters) counters.push(...networkCounters);

  const { deviceHash, accountHash, network } = ids;
  if (deviceHash) {
    const deviceSubject = `${tenantScope}:${deviceHash}`;
    counters.push(...planCounters(DIM.DEVICE, deviceSubject, policy.sourceLimits.device, now, false));
    if (phoneKnown) pushDefined(distinct, planDistinct(DIM.DEVICE_NUMBERS, deviceSubject, phoneHash.slice(0, 12), policy.distinctLimits.deviceNumbers, now));
    if (accountHash)
      pushDefined(distinct, planDistinct(DIM.DEVICE_ACCOUNTS, deviceSubject, accountHash.slice(0, 12), policy.distinctLimits.deviceAccounts, now));
    listKeys.push({ scope: tenantScope, kind: 'device', value: deviceHash }, { scope: 'global', kind: 'device', value: deviceHash });
  }
  // A plain id still meets block entries written for the same id as a verified device (never their allow entries).
  const { blockOnlyDevice } = input;
  if (blockOnlyDevice)
    listKeys.push({ scope: tenantScope, kind: 'device', value: blockOnlyDevice }, { scope: 'global', kind: 'device', value: blockOnlyDevice });

  // Shared reputation (victims, abusive sources, pumped ranges): exact keys in the same read.
  listKeys.push(...reputationKeys(input.subjects));

  // The number's verified history, for the account-takeover rule when it runs in this scenario.
  if (phoneKnown && ruleEnabled(unfamiliarDeviceAndNetwork, policy, attempt.scenario)) {
    const numberSubject = `${tenantScope}:${phoneHash}`;
    counters.push(accountRead(DIM.NUMBER_HISTORY, numberSubject, nowSeconds));
    if (deviceHash) counters.push(accountRead(DIM.NUMBER_HISTORY_DEVICE, `${numberSubject}:${deviceHash}`, nowSeconds));
    if (network) counters.push(accountRead(DIM.NUMBER_HISTORY_NETWORK, `${numberSubject}:${network}`, nowSeconds));
    // One address abroad asking for several numbers' sensitive codes: an attacker working a list.
    if (addresses && geo.kind === 'public' && geo.country && phone.country && geo.country !== phone.country) {
      const ipSubject = `${tenantScope}:${addresses.ip}`;
      pushDefined(distinct, planDistinct(DIM.IP_FOREIGN_SENSITIVE, ipSubject, phoneHash.slice(0, 12), DAY_LIMITLESS, now));
    }
  }

  if (accountHash) {
    const accountSubject = `${tenantScope}:${accountHash}`;
    counters.push(accountRead(DIM.ACCOUNT_VERIFIED, accountSubject, nowSeconds));
    if (deviceHash) counters.push(accountRead(DIM.ACCOUNT_DEVICE, `${accountSubject}:${deviceHash}`, nowSeconds));
    if (network) counters.push(accountRead(DIM.ACCOUNT_NETWORK, `${accountSubject}:${network}`, nowSeconds));
  }

  return { tenantScope, scopes: [tenantScope, 'global'], counters, distinct, listKeys, live, stats, networkTag: tag };
}

/**
 * This scenario's attempts from the caller's network (its AS; every hosting network pooled as
 * one, so a farm renting from five providers meets one budget) this hour and today, and the
 * same network's attempts yesterday: three fields of one item, so one request. Only for the
 * scenarios `networks.scenarios` lists, and only while a rule that reads them runs.
 */
function planNetworkAttempts(tenantScope: string, attempt: SendAttempt, policy: Policy, geo: GeoInfo, now: number): CounterPlan[] | undefined {
  if (geo.kind !== 'public' || (!geo.hosting && geo.asn === undefined)) return undefined;
  const { scenario } = attempt;
  if (!policy.networks.scenarios.includes(scenario)) return undefined;
  if (!ruleEnabled(networkSpike, policy, scenario) && !ruleEnabled(hostingSignupBudget, policy, scenario)) return undefined;
  const subject = `${tenantScope}:${scenario}:${geo.hosting ? 'hosting' : `as${geo.asn}`}`;
  return [
    planCounter({ dimension: DIM.NETWORK_ATTEMPTS, subject, window: 'hour', nowMs: now }),
    planCounter({ dimension: DIM.NETWORK_ATTEMPTS, subject, window: 'day', nowMs: now }),
    planCounter({ dimension: DIM.NETWORK_ATTEMPTS_YESTERDAY, subject, window: 'day', nowMs: now, by: 0, offset: -1, stored: DIM.NETWORK_ATTEMPTS }),
  ];
}

function pushDefined<T>(list: T[], item: T | undefined): void {
  if (item !== undefined) list.push(item);
}
