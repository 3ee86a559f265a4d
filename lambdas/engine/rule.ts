import type { GeoInfo } from '../ports/geo';
import type { Dimension } from './dimensions';
import type { ListEntry } from '../ports/list-store';
import type { IpAddress } from './ip';
import type { ParsedPhone } from './phone';
import type { Policy, RuleSetting, Window } from './policy';
import type { Finding, SendAttempt } from '../domain/types';
import type { AgentKind } from './user-agent';

/** A counter or set read in the verdict's store wave, with the limit it is judged against. */
export interface CounterReading {
  readonly dimension: Dimension;
  readonly window: Window;
  /** `Infinity` for counters that are only read, never limited. */
  readonly limit: number;
  /** Value after this attempt was counted (or the plain value for reads). */
  readonly value: number;
  /** Seconds until the bucket rolls over. */
  readonly resetsInSeconds: number;
}

/** What the account's history says, for sensitive scenarios. */
export interface AccountHistory {
  /** Verified SMS for this account so far (0: nothing to compare with). */
  readonly verified: number;
  /** Verified SMS from this device for this account. */
  readonly deviceVerified: number;
  /** Verified SMS from this network for this account. */
  readonly networkVerified: number;
}

/** Everything a rule may look at. Built once per verdict; rules never call the store. */
export interface RuleContext {
  readonly attempt: SendAttempt;
  /** Undefined when the input could not be read as a phone number at all. */
  readonly phone: ParsedPhone | undefined;
  readonly ip: IpAddress | undefined;
  readonly geo: GeoInfo;
  readonly agent: AgentKind;
  readonly policy: Policy;
  /** Epoch milliseconds. */
  readonly now: number;
  readonly counters: readonly CounterReading[];
  /** List entries (tenant and global) that match this attempt. */
  readonly lists: readonly ListEntry[];
  /** Shared reputation entries (scope `rep`) that match this attempt's number, range, country, IP, subnet or device. */
  readonly reputation: readonly ListEntry[];
  /** Present when the attempt names an account. */
  readonly account: AccountHistory | undefined;
  /**
   * The number's verified history at this tenant (device, network), read when a rule that uses
   * it runs for the scenario: what is known when no account is named or the account has none.
   */
  readonly numberHistory?: AccountHistory;
  /** Tag of the attempt's network among the number's recent sends (see `recent-sends.ts`); absent without state. */
  readonly networkTag?: number;
}

/** The reading of one dimension and window, if it was planned. */
export function reading(ctx: Pick<RuleContext, 'counters'>, dimension: Dimension, window?: Window): CounterReading | undefined {
  for (const c of ctx.counters) if (c.dimension === dimension && (window === undefined || c.window === window)) return c;
  return undefined;
}

/** Value of a dimension's reading, 0 when it was not planned. */
export function counterValue(ctx: Pick<RuleContext, 'counters'>, dimension: Dimension, window?: Window): number {
  return reading(ctx, dimension, window)?.value ?? 0;
}

/**
 * A risk rule: a pure function from signals to findings. One rule per file,
 * registered in `rules/index.ts`; its id is the key tenants use to tune it.
 */
export interface Rule {
  readonly id: string;
  /** Applied when the policy says nothing about this rule. */
  readonly defaults?: RuleSetting;
  evaluate(ctx: RuleContext): Finding | readonly Finding[] | undefined;
}
