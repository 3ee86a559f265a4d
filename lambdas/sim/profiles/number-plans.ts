/**
 * Mobile number plans of the countries the simulator draws numbers (and time zones) for.
 * Pure data; the generators are in `phone-numbers.ts`.
 */

interface CountryPlan {
  /** UTC offset in November (US: central time as the population middle). */
  readonly utcOffset: number;
  readonly callingCode: string;
  /** National significant number prefixes of mobile ranges, and the NSN length. */
  readonly mobilePrefixes: readonly string[];
  readonly nsnLength: number;
  /** +1: libphonenumber cannot tell mobile from fixed line. */
  readonly fixedOrMobile?: boolean;
}

/**
 * Mobile ranges per country, checked with libphonenumber-js/max (every generated number is
 * still validated, rejected draws are redrawn). +44 7 ranges exclude the Crown Dependencies by
 * requiring the parsed region to be GB.
 */
export const COUNTRIES: Readonly<Record<string, CountryPlan>> = {
  GB: { utcOffset: 0, callingCode: '44', mobilePrefixes: ['74', '75', '77', '78', '79'], nsnLength: 10 },
  DE: {
    utcOffset: 1,
    callingCode: '49',
    mobilePrefixes: ['151', '152', '157', '159', '160', '162', '170', '171', '172', '173', '174', '175', '176', '177', '178', '179'],
    nsnLength: 11,
  },
  FR: { utcOffset: 1, callingCode: '33', mobilePrefixes: ['6', '73', '75', '76', '77', '78'], nsnLength: 9 },
  ES: { utcOffset: 1, callingCode: '34', mobilePrefixes: ['6', '71', '72', '73', '74'], nsnLength: 9 },
  IT: { utcOffset: 1, callingCode: '39', mobilePrefixes: ['32', '33', '34', '35', '36', '37', '38', '39'], nsnLength: 10 },
  NL: { utcOffset: 1, callingCode: '31', mobilePrefixes: ['61', '62', '63', '64', '65', '68'], nsnLength: 9 },
  PT: { utcOffset: 0, callingCode: '351', mobilePrefixes: ['91', '92', '93', '96'], nsnLength: 9 },
  US: {
    utcOffset: -6,
    callingCode: '1',
    mobilePrefixes: ['212', '213', '305', '312', '404', '415', '512', '617', '646', '702', '713', '718', '773', '818', '917', '206'],
    nsnLength: 10,
    fixedOrMobile: true,
  },
  IN: {
    utcOffset: 5.5,
    callingCode: '91',
    mobilePrefixes: ['98', '99', '97', '96', '95', '94', '93', '90', '70', '88', '89'],
    nsnLength: 10,
  },
  BR: { utcOffset: -3, callingCode: '55', mobilePrefixes: ['119', '219', '319', '419', '519', '619', '719', '819', '279', '199'], nsnLength: 11 },
  NG: {
    utcOffset: 1,
    callingCode: '234',
    mobilePrefixes: ['803', '806', '703', '813', '816', '903', '802', '808', '812', '901', '902', '906', '907', '708', '810', '814'],
    nsnLength: 10,
  },
  ID: { utcOffset: 7, callingCode: '62', mobilePrefixes: ['811', '812', '813', '821', '852', '857', '878'], nsnLength: 11 },
  VN: { utcOffset: 7, callingCode: '84', mobilePrefixes: ['9', '3'], nsnLength: 9 },
  PH: { utcOffset: 8, callingCode: '63', mobilePrefixes: ['917', '92', '93', '94', '95'], nsnLength: 10 },
  TH: { utcOffset: 7, callingCode: '66', mobilePrefixes: ['8', '9'], nsnLength: 9 },
  AE: { utcOffset: 4, callingCode: '971', mobilePrefixes: ['50', '52', '54', '55', '56', '58'], nsnLength: 9 },
  // High-cost SMS destinations favoured by toll fraud (pumping).
  UZ: { utcOffset: 5, callingCode: '998', mobilePrefixes: ['90', '91', '93', '94', '97', '99', '88', '33'], nsnLength: 9 },
  KG: { utcOffset: 6, callingCode: '996', mobilePrefixes: ['55', '70', '77', '50', '22'], nsnLength: 9 },
  TJ: { utcOffset: 5, callingCode: '992', mobilePrefixes: ['90', '91', '92', '93', '98', '55'], nsnLength: 9 },
  AZ: { utcOffset: 4, callingCode: '994', mobilePrefixes: ['50', '51', '55', '70', '77', '99'], nsnLength: 9 },
  MM: { utcOffset: 6.5, callingCode: '95', mobilePrefixes: ['96', '925', '979'], nsnLength: 10 },
  // Attacker home countries (IP only).
  RU: { utcOffset: 3, callingCode: '7', mobilePrefixes: ['91', '92', '98'], nsnLength: 10 },
  TR: { utcOffset: 3, callingCode: '90', mobilePrefixes: ['53', '54', '55'], nsnLength: 10 },
};
