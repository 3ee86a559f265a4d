/**
 * CloudWatch metric names and dimensions, shared by the API function that emits them and the
 * monitoring construct that graphs and alarms on them (one source, no drift).
 *
 * Cardinality: the aggregate metrics carry only the `service` dimension (what the dashboard
 * and alarms read); breakdowns are separate metrics with one small dimension each — reason
 * codes (~50, bounded by the code), scenarios (5) × decisions (3), destination countries
 * (only those actually seen), tenants × decisions (tenants are created by admins, so their
 * number is the deployment's own choice). No number, IP or device dimension: those are
 * unbounded and chosen by callers.
 */
export const METRICS_NAMESPACE = 'SmsShield';
export const METRICS_SERVICE = 'sms-shield';

export const METRIC = {
  /** Every verdict (send and verdict-only routes). Dimensions: service. */
  verdicts: 'Verdicts',
  /** Verdicts with decision block. Dimensions: service. */
  blocked: 'VerdictsBlocked',
  /** Verdicts with decision challenge. Dimensions: service. */
  challenged: 'VerdictsChallenged',
  /** SMS handed to SNS. Dimensions: service. */
  smsSent: 'SmsSent',
  /** Sends whose SNS answer was lost (504): the SMS may be out; also counted in SmsSent. Dimensions: service. */
  smsOutcomeUnknown: 'SmsOutcomeUnknown',
  /** Verdicts that met a cost guardrail (country burst cap or daily budget), in `monitor` or `enforce`. */
  costGuardrailHits: 'CostGuardrailHits',
  /** Estimated USD of the SMS sent (bundled price table, 1 segment each). Dimensions: service. */
  estimatedSpend: 'EstimatedSmsSpendUsd',
  /** Estimated USD of the SMS not sent because of a block or challenge. Dimensions: service. */
  estimatedCostAvoided: 'EstimatedCostAvoidedUsd',
  /** Milliseconds from the request reaching the handler to its verdict being recorded. Dimensions: service. */
  verdictLatency: 'VerdictLatency',
  /** Verdicts by decision and scenario. Dimensions: service, decision, scenario. */
  verdictsByScenario: 'VerdictsByScenario',
  /** Verdicts by tenant and decision. Dimensions: service, tenant, decision. */
  verdictsByTenant: 'VerdictsByTenant',
  /** One count per reason code of a blocked or challenged verdict. Dimensions: service, reason. */
  refusalReasons: 'RefusalReasons',
  /** Blocked or challenged verdicts by destination country. Dimensions: service, country. */
  refusedByCountry: 'RefusedByCountry',
  /** SMS sent by destination country. Dimensions: service, country. */
  sentByCountry: 'SentByCountry',
  /** Verdict events one joint-defense run read. Dimensions: service. */
  jointDefenseEvents: 'JointDefenseEvents',
  /** Reputation entries the events support (promoted) in one run. Dimensions: service. */
  jointDefensePromoted: 'JointDefensePromoted',
  /** Reputation entries a run wrote (new, stronger or refreshed). Dimensions: service. */
  jointDefenseWritten: 'JointDefenseWritten',
  /**
   * 1 when a run read a minute with more events than it folds per minute: evidence was dropped
   * (an alarm watches it). Dimensions: service.
   */
  jointDefenseTruncated: 'JointDefenseTruncated',
  /** Subject details the window's per-minute partials dropped at their caps. Dimensions: service. */
  jointDefenseSaturated: 'JointDefenseSaturated',
  /** Promoted entries by reason code (e.g. JOINT_DEFENSE_VICTIM). Dimensions: service, reason. */
  jointDefenseByReason: 'JointDefensePromotedByReason',
} as const;
