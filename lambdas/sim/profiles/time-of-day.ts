/** When people ask for codes: the diurnal curve and each country's UTC offset. */
import { COUNTRIES } from './number-plans';

/** Relative request rate per local hour (0–23) for consumer traffic: quiet nights, evening peak. */
export const CONSUMER_DIURNAL = [
  0.35, 0.2, 0.12, 0.08, 0.08, 0.12, 0.3, 0.65, 0.95, 1.15, 1.25, 1.3, 1.35, 1.3, 1.25, 1.2, 1.2, 1.3, 1.45, 1.55, 1.6, 1.45, 1.1, 0.7,
] as const;

/** UTC offset in hours in November (no daylight saving), used for diurnal patterns. */
export function utcOffsetHours(country: string): number {
  return COUNTRIES[country]?.utcOffset ?? 0;
}
