/** Address blocks per network type and country (pure data); `addresses.ts` draws from them. */

/** One address block and who announces it. */
export interface NetBlock {
  readonly cidr: string;
  readonly asn: number;
  readonly org: string;
}

export type NetworkType = 'residential' | 'mobileCgnat' | 'office' | 'hotel' | 'datacenter' | 'residentialProxy' | 'datacenterInCountry';

/*
 * Sources: every block below was checked against the openly licensed @ip-location-db/asn
 * (RouteViews + DB-IP, CC-BY-4.0) and @ip-location-db/geo-whois-asn-country (CC0) snapshots
 * of June 2026, one address per /24: the country is the pool's country for every /24, the
 * block is announced (≥ 96% of its /24s) by the organisation named, and `asn` is its main
 * ASN (big ISPs announce one block from sister ASNs). Blocks are CIDR-aligned. No
 * documentation (RFC 5737), private (RFC 1918) or shared CGNAT (100.64.0.0/10) space: behind
 * a carrier's CGNAT the shield sees the carrier's public pool, which is what is listed here.
 */

/** Home broadband of the big access ISPs. */
const RESIDENTIAL: Record<string, readonly NetBlock[]> = {
  GB: [
    { cidr: '86.128.0.0/10', asn: 2856, org: 'British Telecommunications (BT)' },
    { cidr: '82.0.0.0/14', asn: 5089, org: 'Virgin Media' },
    { cidr: '90.192.0.0/11', asn: 5607, org: 'Sky UK' },
    { cidr: '92.16.0.0/12', asn: 13285, org: 'TalkTalk' },
  ],
  DE: [
    { cidr: '79.192.0.0/10', asn: 3320, org: 'Deutsche Telekom' },
    { cidr: '91.0.0.0/10', asn: 3320, org: 'Deutsche Telekom' },
    { cidr: '178.24.0.0/14', asn: 3209, org: 'Vodafone GmbH (cable)' },
  ],
  FR: [
    { cidr: '90.0.0.0/13', asn: 3215, org: 'Orange' },
    { cidr: '82.224.0.0/11', asn: 12322, org: 'Free SAS' },
  ],
  ES: [{ cidr: '83.32.0.0/11', asn: 3352, org: 'Telefonica de Espana' }],
  IT: [{ cidr: '79.0.0.0/11', asn: 3269, org: 'Telecom Italia' }],
  NL: [
    { cidr: '77.160.0.0/12', asn: 1136, org: 'KPN' },
    { cidr: '84.24.0.0/13', asn: 33915, org: 'Vodafone Libertel (Ziggo)' },
  ],
  PT: [{ cidr: '85.240.0.0/13', asn: 3243, org: 'MEO' }],
  US: [
    { cidr: '73.0.0.0/8', asn: 7922, org: 'Comcast Cable' },
    { cidr: '70.112.0.0/13', asn: 11427, org: 'Charter Communications (Spectrum)' },
    { cidr: '74.128.0.0/13', asn: 10796, org: 'Charter Communications (Spectrum)' },
    { cidr: '71.104.0.0/13', asn: 701, org: 'Verizon (Fios)' },
    { cidr: '108.48.0.0/13', asn: 701, org: 'Verizon (Fios)' },
  ],
  IN: [
    { cidr: '122.160.0.0/12', asn: 24560, org: 'Bharti Airtel broadband' },
    { cidr: '117.192.0.0/10', asn: 9829, org: 'BSNL' },
  ],
  BR: [
    { cidr: '177.168.0.0/13', asn: 26599, org: 'Telefonica Brasil (Vivo)' },
    { cidr: '179.136.0.0/13', asn: 28573, org: 'Claro NXT' },
  ],
  NG: [{ cidr: '102.88.0.0/14', asn: 29465, org: 'MTN Nigeria' }],
  ID: [{ cidr: '36.64.0.0/11', asn: 7713, org: 'Telkom Indonesia (IndiHome)' }],
  VN: [
    { cidr: '27.64.0.0/12', asn: 7552, org: 'Viettel' },
    { cidr: '113.160.0.0/11', asn: 45899, org: 'VNPT' },
  ],
  TR: [
    { cidr: '78.160.0.0/11', asn: 9121, org: 'Turk Telekom' },
    { cidr: '85.96.0.0/12', asn: 9121, org: 'Turk Telekom' },
  ],
  RU: [{ cidr: '95.24.0.0/14', asn: 8402, org: 'PJSC Vimpelcom (Beeline; also AS3216)' }],
  TH: [{ cidr: '171.96.0.0/13', asn: 17552, org: 'True Internet (AS17552 and AS7470)' }],
  MX: [{ cidr: '189.172.0.0/14', asn: 8151, org: 'Uninet (Telmex)' }],
  EG: [
    { cidr: '41.32.0.0/12', asn: 8452, org: 'TE Data' },
    { cidr: '156.192.0.0/11', asn: 8452, org: 'TE Data' },
  ],
  UA: [{ cidr: '46.118.0.0/15', asn: 15895, org: 'Kyivstar' }],
  PL: [{ cidr: '83.0.0.0/11', asn: 5617, org: 'Orange Polska' }],
  PH: [{ cidr: '112.198.0.0/17', asn: 4775, org: 'Globe Telecom (AS4775 and AS132199)' }],
  AE: [{ cidr: '2.48.0.0/14', asn: 5384, org: 'Etisalat' }],
};

/** Mobile operators' public (CGNAT) address pools; one entry per carrier. */
const MOBILE_CGNAT: Record<string, readonly NetBlock[]> = {
  GB: [
    { cidr: '31.94.0.0/16', asn: 2856, org: 'EE (announced by BT)' },
    { cidr: '188.28.0.0/14', asn: 206067, org: 'Hutchison 3G UK (Three)' },
    { cidr: '82.132.224.0/20', asn: 35228, org: 'Telefonica UK (O2)' },
    { cidr: '148.252.128.0/18', asn: 25135, org: 'Vodafone UK' },
  ],
  DE: [
    { cidr: '176.0.0.0/13', asn: 6805, org: 'Telefonica Germany (O2)' },
    { cidr: '109.40.0.0/13', asn: 3209, org: 'Vodafone GmbH (mobile)' },
  ],
  FR: [
    { cidr: '37.168.0.0/13', asn: 51207, org: 'Free Mobile' },
    { cidr: '176.128.0.0/10', asn: 5410, org: 'Bouygues Telecom' },
  ],
  ES: [
    { cidr: '77.208.0.0/14', asn: 12430, org: 'Vodafone Espana' },
    { cidr: '85.48.0.0/12', asn: 12479, org: 'Orange Espagne' },
  ],
  IT: [
    { cidr: '37.176.0.0/13', asn: 30722, org: 'Vodafone Italia' },
    { cidr: '151.16.0.0/12', asn: 1267, org: 'Wind Tre' },
  ],
  NL: [{ cidr: '188.88.0.0/14', asn: 50266, org: 'Odido (T-Mobile NL)' }],
  PT: [{ cidr: '89.152.0.0/14', asn: 2860, org: 'NOS Comunicacoes' }],
  US: [
    { cidr: '172.56.0.0/13', asn: 21928, org: 'T-Mobile USA' },
    { cidr: '174.192.0.0/10', asn: 6167, org: 'Verizon Wireless' },
    { cidr: '166.170.0.0/15', asn: 20057, org: 'AT&T Mobility' },
    { cidr: '166.172.0.0/15', asn: 20057, org: 'AT&T Mobility' },
  ],
  IN: [
    { cidr: '49.32.0.0/12', asn: 55836, org: 'Reliance Jio' },
    { cidr: '106.196.0.0/15', asn: 45609, org: 'Bharti Airtel (mobile)' },
    { cidr: '27.59.0.0/16', asn: 45609, org: 'Bharti Airtel (mobile)' },
  ],
  BR: [
    { cidr: '191.176.0.0/13', asn: 28573, org: 'Claro NXT' },
    { cidr: '179.84.0.0/14', asn: 26599, org: 'Telefonica Brasil (Vivo)' },
  ],
  NG: [
    { cidr: '102.88.0.0/14', asn: 29465, org: 'MTN Nigeria' },
    { cidr: '105.112.0.0/13', asn: 36873, org: 'Airtel Nigeria' },
  ],
  ID: [{ cidr: '114.120.0.0/13', asn: 23693, org: 'Telkomsel' }],
  TH: [{ cidr: '1.46.0.0/15', asn: 24378, org: 'Total Access Communication (dtac)' }],
  AE: [{ cidr: '2.48.0.0/14', asn: 5384, org: 'Etisalat' }],
  PH: [{ cidr: '180.190.0.0/15', asn: 132199, org: 'Globe Telecom (AS132199 and AS4775)' }],
};

/** Business lines of ISPs that companies put their office behind (one address per company). */
const OFFICE: Record<string, readonly NetBlock[]> = {
  GB: [
    { cidr: '212.23.0.0/19', asn: 13037, org: 'Zen Internet' },
    { cidr: '81.149.0.0/16', asn: 2856, org: 'BT (business)' },
  ],
  DE: [{ cidr: '80.144.0.0/13', asn: 3320, org: 'Deutsche Telekom (business)' }],
  NL: [{ cidr: '213.93.0.0/16', asn: 33915, org: 'Vodafone Libertel (business)' }],
  US: [
    { cidr: '4.0.0.0/9', asn: 3356, org: 'Level 3 / Lumen' },
    { cidr: '65.192.0.0/11', asn: 701, org: 'Verizon Business' },
  ],
};

/** Hotel Wi-Fi: business broadband of the national incumbents (GeoIP cannot tell a hotel). */
const HOTEL: Record<string, readonly NetBlock[]> = {
  ES: [{ cidr: '80.24.0.0/13', asn: 3352, org: 'Telefonica de Espana' }],
  IT: [{ cidr: '79.0.0.0/11', asn: 3269, org: 'Telecom Italia' }],
  FR: [{ cidr: '90.0.0.0/13', asn: 3215, org: 'Orange' }],
  PT: [{ cidr: '85.240.0.0/13', asn: 3243, org: 'MEO' }],
  US: [{ cidr: '4.0.0.0/9', asn: 3356, org: 'Level 3 / Lumen' }],
  TH: [{ cidr: '171.96.0.0/13', asn: 17552, org: 'True Internet (AS17552 and AS7470)' }],
  AE: [{ cidr: '2.48.0.0/14', asn: 5384, org: 'Etisalat' }],
  GB: [{ cidr: '81.149.0.0/16', asn: 2856, org: 'BT (business)' }],
  DE: [{ cidr: '80.144.0.0/13', asn: 3320, org: 'Deutsche Telekom (business)' }],
  NL: [{ cidr: '213.93.0.0/16', asn: 33915, org: 'Vodafone Libertel (business)' }],
};

/** Cloud and VPS providers (AS16509/14618 AWS, 15169/396982 Google, 8075 Azure, …). */
const DATACENTER: readonly NetBlock[] = [
  { cidr: '3.120.0.0/14', asn: 16509, org: 'Amazon AWS (eu-central)' },
  { cidr: '3.208.0.0/12', asn: 14618, org: 'Amazon AWS (us-east)' },
  { cidr: '52.0.0.0/11', asn: 16509, org: 'Amazon AWS' },
  { cidr: '18.128.0.0/9', asn: 16509, org: 'Amazon AWS' },
  { cidr: '35.184.0.0/13', asn: 396982, org: 'Google Cloud' },
  { cidr: '34.64.0.0/10', asn: 396982, org: 'Google Cloud' },
  { cidr: '20.64.0.0/10', asn: 8075, org: 'Microsoft Azure' },
  { cidr: '159.89.0.0/16', asn: 14061, org: 'DigitalOcean' },
  { cidr: '167.99.0.0/16', asn: 14061, org: 'DigitalOcean' },
  { cidr: '138.68.0.0/16', asn: 14061, org: 'DigitalOcean' },
  { cidr: '206.189.0.0/16', asn: 14061, org: 'DigitalOcean' },
  { cidr: '51.68.0.0/16', asn: 16276, org: 'OVH' },
  { cidr: '54.36.0.0/16', asn: 16276, org: 'OVH' },
  { cidr: '137.74.0.0/16', asn: 16276, org: 'OVH' },
  { cidr: '5.9.0.0/16', asn: 24940, org: 'Hetzner' },
  { cidr: '88.198.0.0/16', asn: 24940, org: 'Hetzner' },
  { cidr: '78.46.0.0/15', asn: 24940, org: 'Hetzner' },
  { cidr: '116.202.0.0/15', asn: 24940, org: 'Hetzner' },
  { cidr: '95.216.0.0/16', asn: 24940, org: 'Hetzner (Finland)' },
  { cidr: '172.104.0.0/15', asn: 63949, org: 'Akamai (Linode)' },
  { cidr: '45.32.0.0/16', asn: 20473, org: 'Vultr (The Constant Company)' },
  { cidr: '45.76.0.0/16', asn: 20473, org: 'Vultr (The Constant Company)' },
  { cidr: '161.97.64.0/18', asn: 51167, org: 'Contabo' },
  { cidr: '47.80.0.0/14', asn: 45102, org: 'Alibaba Cloud' },
  { cidr: '146.70.0.0/16', asn: 9009, org: 'M247 (VPN and proxy hosting)' },
];

/**
 * Cloud regions and VPS providers whose addresses GeoIP places in a country: what an attacker
 * rents to look local (every /24 of each block checked against the same snapshots).
 */
const DATACENTER_IN_COUNTRY: Record<string, readonly NetBlock[]> = {
  GB: [
    { cidr: '3.8.0.0/14', asn: 16509, org: 'Amazon AWS (eu-west-2, London)' },
    { cidr: '35.176.0.0/15', asn: 16509, org: 'Amazon AWS (eu-west-2, London)' },
    { cidr: '34.89.0.0/17', asn: 396982, org: 'Google Cloud (europe-west2, London)' },
    { cidr: '35.242.128.0/18', asn: 396982, org: 'Google Cloud (europe-west2, London)' },
    { cidr: '46.101.0.0/18', asn: 14061, org: 'DigitalOcean (LON1)' },
    { cidr: '178.62.0.0/17', asn: 14061, org: 'DigitalOcean (LON1)' },
    { cidr: '178.79.128.0/18', asn: 63949, org: 'Akamai (Linode London)' },
  ],
  FR: [
    { cidr: '15.236.0.0/15', asn: 16509, org: 'Amazon AWS (eu-west-3, Paris)' },
    { cidr: '13.36.0.0/14', asn: 16509, org: 'Amazon AWS (eu-west-3, Paris)' },
    { cidr: '51.15.0.0/16', asn: 12876, org: 'Scaleway' },
    { cidr: '163.172.0.0/16', asn: 12876, org: 'Scaleway' },
  ],
  ES: [
    { cidr: '18.100.0.0/15', asn: 16509, org: 'Amazon AWS (eu-south-2, Spain)' },
    { cidr: '51.92.0.0/16', asn: 16509, org: 'Amazon AWS (eu-south-2, Spain)' },
  ],
  DE: [{ cidr: '3.120.0.0/14', asn: 16509, org: 'Amazon AWS (eu-central)' }],
  US: [{ cidr: '3.208.0.0/12', asn: 14618, org: 'Amazon AWS (us-east)' }],
};

/**
 * Residential proxy exits are real home connections rented from infected or "bandwidth
 * sharing" devices: the same ISP blocks as residential users, so GeoIP reports an ordinary
 * access ISP in the exit's country. Countries weighted as proxy networks advertise them.
 */
export const PROXY_COUNTRIES = {
  US: 20,
  BR: 10,
  IN: 8,
  VN: 8,
  ID: 6,
  TR: 6,
  RU: 6,
  GB: 5,
  DE: 5,
  FR: 4,
  TH: 4,
  MX: 4,
  EG: 4,
  UA: 3,
  PL: 3,
  PH: 4,
} as const;

/** All pools by network type; keys of the per-country ones are ISO countries. */
export const ipPools = {
  residential: RESIDENTIAL,
  mobileCgnat: MOBILE_CGNAT,
  office: OFFICE,
  hotel: HOTEL,
  datacenter: DATACENTER,
  residentialProxy: RESIDENTIAL,
  datacenterInCountry: DATACENTER_IN_COUNTRY,
} as const;
