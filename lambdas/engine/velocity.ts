import type { CounterIncrement } from '../ports/counter-store';
import { WINDOWS, type Limits, type Window } from './policy';

/** A counter the engine reads in its store wave, with what it is judged against. */
export interface CounterPlan {
  readonly dimension: string;
  readonly window: Window;
  readonly limit: number;
  readonly increment: CounterIncrement;
  readonly resetsInSeconds: number;
  /**
   * Quota counters count SMS that were actually sent: if the attempt ends up not sent,
   * the engine gives the unit back. Other counters count attempts.
   */
  readonly quota: boolean;
}

/** Seconds a counter outlives its bucket, so late readers and clock skew never see a reset too early. */
const TTL_SLACK_SECONDS = 300;

/** Plan one counter per window that has a limit: `<dimension>#<subject>#<window>#<bucket>`. */
export function planCounters(
  dimension: string,
  subject: string,
  limits: Limits,
  nowMs: number,
  quota: boolean,
): CounterPlan[] {
  const plans: CounterPlan[] = [];
  const nowSeconds = nowMs / 1000;
  for (const window of Object.keys(WINDOWS) as Window[]) {
    const limit = limits[window];
    if (limit === undefined) continue;
    const size = WINDOWS[window];
    const bucket = Math.floor(nowSeconds / size);
    const end = (bucket + 1) * size;
    plans.push({
      dimension,
      window,
      limit,
      quota,
      resetsInSeconds: Math.max(1, Math.ceil(end - nowSeconds)),
      increment: { key: `v#${dimension}#${subject}#${window[0]}#${bucket}`, by: 1, expiresAt: end + TTL_SLACK_SECONDS },
    });
  }
  return plans;
}
