import { Reason } from '../reasons';
import type { CounterReading, Rule } from '../rule';
import type { Finding } from '../types';

function overLimit(counters: readonly CounterReading[], dimension: string): CounterReading | undefined {
  let worst: CounterReading | undefined;
  for (const c of counters) {
    if (c.dimension !== dimension || c.value <= c.limit) continue;
    // The window that frees up last decides when a retry can succeed.
    if (!worst || c.resetsInSeconds > worst.resetsInSeconds) worst = c;
  }
  return worst;
}

function rateFinding(reason: string, reading: CounterReading | undefined): Finding | undefined {
  return reading && { reason, weight: 100, action: 'block', retryAfterSeconds: reading.resetsInSeconds };
}

/** SMS per number and tenant: the per-number quota every SMS platform enforces. */
export const numberVelocity: Rule = {
  id: 'number-velocity',
  evaluate: ({ counters }) => rateFinding(Reason.NUMBER_VELOCITY, overLimit(counters, 'number')),
};

/** SMS per number across all tenants: one victim bombed through many interfaces is capped overall. */
export const globalNumberVelocity: Rule = {
  id: 'global-number-velocity',
  evaluate: ({ counters }) => rateFinding(Reason.GLOBAL_NUMBER_VELOCITY, overLimit(counters, 'global-number')),
};
