import { DIM, type Dimension } from './dimensions';
import type { AccountHistory, CounterReading } from './rule';
import type { CounterPlan } from './velocity';

/** Account history counters live long: a device verified months ago is still known. */
export const ACCOUNT_TTL_SECONDS = 180 * 86_400;

/** The item key of an account-history counter (one item per account, device and network). */
export function accountKey(dimension: Dimension, subject: string): string {
  return `a#${dimension}#${subject}`;
}

/** A read of one account-history counter in the verdict's wave. */
export function accountRead(dimension: Dimension, subject: string, nowSeconds: number): CounterPlan {
  return {
    dimension,
    window: 'day',
    limit: Number.POSITIVE_INFINITY,
    quota: false,
    resetsInSeconds: ACCOUNT_TTL_SECONDS,
    increment: { key: accountKey(dimension, subject), by: 0, expiresAt: nowSeconds + ACCOUNT_TTL_SECONDS },
  };
}

/** What the readings say about the account's verified history. */
export function accountHistory(readings: readonly CounterReading[]): AccountHistory {
  return {
    verified: valueAt(readings, DIM.ACCOUNT_VERIFIED),
    deviceVerified: valueAt(readings, DIM.ACCOUNT_DEVICE),
    networkVerified: valueAt(readings, DIM.ACCOUNT_NETWORK),
  };
}

/** What the readings say about the number's verified history at this tenant (same shape as an account's). */
export function numberHistory(readings: readonly CounterReading[]): AccountHistory {
  return {
    verified: valueAt(readings, DIM.NUMBER_HISTORY),
    deviceVerified: valueAt(readings, DIM.NUMBER_HISTORY_DEVICE),
    networkVerified: valueAt(readings, DIM.NUMBER_HISTORY_NETWORK),
  };
}

function valueAt(readings: readonly CounterReading[], dimension: Dimension): number {
  return readings.find((r) => r.dimension === dimension)?.value ?? 0;
}
