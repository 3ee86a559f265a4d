import type { Window } from '../domain/policy';
import { DIM, type Dimension } from './dimensions';
import type { CounterReading } from './rule';
import { type CounterPlan, planCounter } from './velocity';

/** One tenant- or country-wide statistic a verdict reads (and, with `by` 1, adds to). */
export interface StatPlan {
  readonly plan: CounterPlan;
  readonly by: number;
  readonly reading: CounterReading;
}

/**
 * The aggregate statistics one attempt reads (and adds to): the tenant's and the destination
 * country's attempts, sends and verifications. The same for every verdict of one tenant, country
 * and hour, so the engine plans them once per hour and reuses them.
 */
export function planStats(tenantScope: string, countrySubject: string, nowMs: number): readonly StatPlan[] {
  const plan = (dimension: Dimension, subject: string, window: Window, by: number, offset = 0, stored = dimension): StatPlan => {
    const p = planCounter({ dimension, subject, window, nowMs, by, offset, stored });
    return {
      plan: { ...p, increment: { key: p.increment.key, field: p.increment.field, by, expiresAt: p.increment.expiresAt } },
      by,
      reading: { dimension, window, limit: Number.POSITIVE_INFINITY, value: 0, resetsInSeconds: 0 },
    };
  };
  return [
    plan(DIM.ATTEMPTS_TENANT, tenantScope, 'day', 1),
    plan(DIM.ATTEMPTS_TENANT_YESTERDAY, tenantScope, 'day', 0, -1, DIM.ATTEMPTS_TENANT),
    plan(DIM.ATTEMPTS_COUNTRY, countrySubject, 'hour', 1),
    plan(DIM.ATTEMPTS_COUNTRY, countrySubject, 'day', 1),
    plan(DIM.ATTEMPTS_COUNTRY_YESTERDAY, countrySubject, 'day', 0, -1, DIM.ATTEMPTS_COUNTRY),
    plan(DIM.SENT_COUNTRY, countrySubject, 'day', 0),
    plan(DIM.SENT_TENANT, tenantScope, 'day', 0),
    plan(DIM.VERIFIED_COUNTRY, countrySubject, 'day', 0),
    plan(DIM.VERIFIED_COUNTRY_YESTERDAY, countrySubject, 'day', 0, -1, DIM.VERIFIED_COUNTRY),
    plan(DIM.VERIFIED_TENANT, tenantScope, 'day', 0),
  ];
}
