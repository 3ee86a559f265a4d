/**
 * A small bundled table of what one outbound SMS segment roughly costs per destination
 * country, in USD. **An estimate**: rounded from public list prices for transactional SMS
 * (they vary by carrier, sender type and month, and add carrier fees in some countries).
 * It exists to put an order of magnitude on the cost avoided by blocks, not to bill anyone.
 * Countries favoured by SMS pumping are listed because that is where blocks save the most.
 */
export const SMS_PRICE_USD: Readonly<Record<string, number>> = {
  US: 0.0085,
  CA: 0.0075,
  GB: 0.04,
  IE: 0.07,
  DE: 0.09,
  FR: 0.075,
  ES: 0.07,
  IT: 0.08,
  NL: 0.1,
  PL: 0.035,
  SE: 0.06,
  CH: 0.05,
  AU: 0.04,
  NZ: 0.1,
  JP: 0.075,
  IN: 0.003,
  ID: 0.35,
  PH: 0.18,
  VN: 0.09,
  TH: 0.02,
  BR: 0.02,
  MX: 0.03,
  NG: 0.15,
  EG: 0.15,
  TR: 0.02,
  RU: 0.25,
  UA: 0.12,
  AZ: 0.25,
  UZ: 0.25,
  KZ: 0.2,
  PK: 0.2,
  BD: 0.3,
  LK: 0.2,
};

/** Price used for countries not in the table, and when the number did not parse. */
export const DEFAULT_SMS_PRICE_USD = 0.05;

/** Estimated USD price of one SMS segment to `country` (ISO 3166-1 alpha-2). */
export function smsPriceUsd(country: string | undefined): number {
  return (country && SMS_PRICE_USD[country.toUpperCase()]) || DEFAULT_SMS_PRICE_USD;
}
