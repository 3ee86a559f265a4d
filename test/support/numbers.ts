/**
 * The `n`-th of a series of valid UK mobile numbers (`+44 7…`), each in a 10,000-number range of
 * its own, so a test that sends to many of them never adds up range signals (`RANGE_VELOCITY`,
 * `RANGE_LOW_CONVERSION`) by accident. Distinct for n < 40,000.
 */
export function ukMobile(n: number): string {
  const prefix = ['74', '75', '78', '79'][n % 4];
  const pad2 = (v: number) => String(v % 100).padStart(2, '0');
  return `+44 ${prefix}${pad2(Math.floor(n / 4))} ${pad2(Math.floor(n / 400))}1234`;
}
