/**
 * Which autonomous systems count as hosting networks (`GeoInfo.hosting`).
 *
 * Bots, SMS-pumping scripts and the proxies they rent sit in cloud, VPS and dedicated-server
 * networks; people sit in access networks (consumer ISPs, mobile carriers). The curated list below
 * holds well-known cloud / hosting / VPS / CDN-egress ASNs. Every entry was checked against the
 * organisation name in the ASN data we ship (`@ip-location-db/asn` 2.3.2026061719, RouteViews +
 * DB-IP); `org` is that name, verbatim. Access networks (ISPs, mobile carriers) are deliberately
 * absent, including ones owned by cloud companies (Google Fiber AS16591) or sharing a brand
 * (1&1 Versatel AS8881).
 *
 * CDN entries (`category: 'cdn'`) also carry privacy-relay egress (iCloud Private Relay via
 * Akamai, Cloudflare and Fastly; Cloudflare WARP): real people can appear there, so the engine
 * should treat `hosting` as a risk signal, not a verdict.
 */

/** Why an AS is on the list. */
export type HostingCategory = 'cloud' | 'hosting' | 'cdn';

/** One curated hosting AS. */
export interface HostingAsn {
  readonly asn: number;
  /** Organisation name as it appears in the ASN data. */
  readonly org: string;
  readonly category: HostingCategory;
}

/** The curated list; see the module comment for how it was checked. */
export const HOSTING_ASNS: readonly HostingAsn[] = [
  // Hyperscale clouds.
  { asn: 16509, org: 'Amazon.com, Inc.', category: 'cloud' }, // AWS (EC2 and most services)
  { asn: 14618, org: 'Amazon.com, Inc.', category: 'cloud' }, // AWS us-east-1 (legacy AMAZON-AES)
  { asn: 8987, org: 'Amazon Data Services Ireland Ltd', category: 'cloud' },
  { asn: 38895, org: 'Amazon.com Tech Telecom', category: 'cloud' },
  { asn: 7224, org: 'Amazon.com, Inc.', category: 'cloud' },
  { asn: 396982, org: 'Google LLC', category: 'cloud' }, // Google Cloud Platform
  { asn: 15169, org: 'Google LLC', category: 'cloud' }, // Google infrastructure (crawlers, Apps Script, older GCP)
  { asn: 19527, org: 'Google LLC', category: 'cloud' },
  { asn: 36384, org: 'Google LLC', category: 'cloud' },
  { asn: 394089, org: 'Google LLC', category: 'cloud' },
  { asn: 8075, org: 'Microsoft Corporation', category: 'cloud' }, // Azure and Microsoft services
  { asn: 31898, org: 'Oracle Corporation', category: 'cloud' }, // Oracle Cloud Infrastructure
  { asn: 45102, org: 'Alibaba (US) Technology Co., Ltd.', category: 'cloud' }, // Alibaba Cloud international
  { asn: 37963, org: 'Hangzhou Alibaba Advertising Co.,Ltd.', category: 'cloud' }, // Alibaba Cloud China
  { asn: 134963, org: 'Alibaba Cloud (Singapore) Private Limited', category: 'cloud' },
  { asn: 132203, org: 'Shenzhen Tencent Computer Systems Company Limited', category: 'cloud' }, // Tencent Cloud
  { asn: 45090, org: 'Shenzhen Tencent Computer Systems Company Limited', category: 'cloud' },
  { asn: 133478, org: 'Tencent Cloud Computing (Beijing) Co., Ltd', category: 'cloud' },
  { asn: 55990, org: 'Huawei Cloud Service data center', category: 'cloud' },
  { asn: 136907, org: 'HUAWEI INTERNATIONAL PTE. LTD.', category: 'cloud' }, // Huawei Cloud international
  { asn: 36351, org: 'IBM Cloud', category: 'cloud' }, // formerly SoftLayer
  { asn: 200350, org: 'Yandex.Cloud LLC', category: 'cloud' },

  // VPS, dedicated-server and general hosting providers.
  { asn: 14061, org: 'DigitalOcean, LLC', category: 'hosting' },
  { asn: 393406, org: 'DigitalOcean, LLC', category: 'hosting' },
  { asn: 46652, org: 'DigitalOcean, LLC', category: 'hosting' },
  { asn: 63949, org: 'Akamai Technologies, Inc.', category: 'hosting' }, // Linode (Akamai Connected Cloud)
  { asn: 20473, org: 'The Constant Company, LLC', category: 'hosting' }, // Vultr / Choopa
  { asn: 16276, org: 'OVH SAS', category: 'hosting' },
  { asn: 35540, org: 'OVH SAS', category: 'hosting' },
  { asn: 24940, org: 'Hetzner Online GmbH', category: 'hosting' },
  { asn: 213230, org: 'Hetzner Online GmbH', category: 'hosting' }, // Hetzner Cloud
  { asn: 212317, org: 'Hetzner Online GmbH', category: 'hosting' },
  { asn: 215859, org: 'Hetzner Online GmbH', category: 'hosting' },
  { asn: 12876, org: 'Scaleway SAS', category: 'hosting' },
  { asn: 29447, org: 'SCALEWAY S.A.S.', category: 'hosting' },
  { asn: 51167, org: 'Contabo GmbH', category: 'hosting' },
  { asn: 141995, org: 'Contabo Asia Private Limited', category: 'hosting' },
  { asn: 40021, org: 'Contabo Inc.', category: 'hosting' },
  { asn: 60781, org: 'LeaseWeb Netherlands B.V.', category: 'hosting' },
  { asn: 28753, org: 'Leaseweb Deutschland GmbH', category: 'hosting' },
  { asn: 16265, org: 'LeaseWeb Network B.V.', category: 'hosting' },
  { asn: 30633, org: 'Leaseweb USA, Inc.', category: 'hosting' },
  { asn: 395954, org: 'Leaseweb USA, Inc.', category: 'hosting' },
  { asn: 7203, org: 'Leaseweb USA, Inc.', category: 'hosting' },
  { asn: 32613, org: 'Leaseweb Canada Inc.', category: 'hosting' },
  { asn: 59253, org: 'LEASEWEB SINGAPORE PTE. LTD.', category: 'hosting' },
  { asn: 205544, org: 'LEASEWEB UK LIMITED', category: 'hosting' },
  { asn: 9009, org: 'M247 Europe SRL', category: 'hosting' }, // also a large share of commercial VPN exits
  { asn: 42973, org: 'M247 UK Ltd', category: 'hosting' },
  { asn: 16247, org: 'M247 UK Ltd', category: 'hosting' },
  { asn: 8560, org: 'IONOS SE', category: 'hosting' },
  { asn: 47583, org: 'Hostinger International Limited', category: 'hosting' },
  { asn: 197540, org: 'netcup GmbH', category: 'hosting' },
  { asn: 6724, org: 'Strato AG', category: 'hosting' },
  { asn: 26496, org: 'GoDaddy.com, LLC', category: 'hosting' },
  { asn: 398101, org: 'GoDaddy.com, LLC', category: 'hosting' },
  { asn: 22612, org: 'Namecheap, Inc.', category: 'hosting' },
  { asn: 46606, org: 'Unified Layer', category: 'hosting' }, // Bluehost / HostGator
  { asn: 36352, org: 'HostPapa', category: 'hosting' }, // formerly ColoCrossing
  { asn: 54290, org: 'HostPapa', category: 'hosting' }, // formerly Hostwinds
  { asn: 53667, org: 'FranTech Solutions', category: 'hosting' }, // BuyVM
  { asn: 21859, org: 'Zenlayer Inc', category: 'hosting' },
  { asn: 19318, org: 'Interserver, Inc', category: 'hosting' },
  { asn: 32244, org: 'Liquid Web, L.L.C', category: 'hosting' },
  { asn: 27357, org: 'Rackspace Hosting', category: 'hosting' },
  { asn: 33070, org: 'Rackspace Hosting', category: 'hosting' },
  { asn: 19994, org: 'Rackspace Hosting', category: 'hosting' },
  { asn: 36007, org: 'Kamatera, Inc.', category: 'hosting' },
  { asn: 49505, org: 'JSC Selectel', category: 'hosting' },
  { asn: 9123, org: 'JSC "TIMEWEB"', category: 'hosting' },
  { asn: 210644, org: 'AEZA INTERNATIONAL LTD', category: 'hosting' },
  { asn: 40676, org: 'Psychz Networks', category: 'hosting' },
  { asn: 7979, org: 'Servers.com, Inc.', category: 'hosting' },
  { asn: 203020, org: 'HostRoyale Technologies Pvt Ltd', category: 'hosting' },
  { asn: 60068, org: 'Datacamp Limited', category: 'hosting' }, // CDN77; many VPN exits
  { asn: 212238, org: 'Datacamp Limited', category: 'hosting' },
  { asn: 199524, org: 'G-Core Labs S.A.', category: 'hosting' },
  { asn: 40509, org: 'Fly.io, Inc.', category: 'hosting' },
  { asn: 54825, org: 'Packet Host, Inc.', category: 'hosting' }, // Equinix Metal
  { asn: 396356, org: 'Latitude.sh', category: 'hosting' },
  { asn: 62240, org: 'Clouvider Limited', category: 'hosting' },
  { asn: 9370, org: 'SAKURA Internet Inc.', category: 'hosting' },
  { asn: 63023, org: 'GTHost', category: 'hosting' },
  { asn: 202053, org: 'UpCloud Ltd', category: 'hosting' },
  { asn: 42831, org: 'UK Dedicated Servers Limited', category: 'hosting' },
  { asn: 50673, org: 'Serverius Holding B.V.', category: 'hosting' },
  { asn: 11878, org: 'tzulo, inc.', category: 'hosting' },

  // CDN / edge networks whose addresses appear as request sources (relays, workers, proxies).
  { asn: 13335, org: 'Cloudflare, Inc.', category: 'cdn' }, // also WARP and iCloud Private Relay egress
  { asn: 209242, org: 'Cloudflare London, LLC', category: 'cdn' },
  { asn: 54113, org: 'Fastly, Inc.', category: 'cdn' },
  { asn: 20940, org: 'Akamai International B.V.', category: 'cdn' },
  { asn: 16625, org: 'Akamai Technologies, Inc.', category: 'cdn' },
];

/** ASNs of {@link HOSTING_ASNS}, for O(1) checks. */
export const HOSTING_ASN_SET: ReadonlySet<number> = new Set(HOSTING_ASNS.map((entry) => entry.asn));

/**
 * Organisation-name heuristic for the long tail of small hosting companies the list cannot name.
 * Measured on the shipped data (91 065 ASNs): it flags 1 991 ASNs holding 26.9 M IPv4 addresses;
 * the largest it flags is IBM Cloud (#142 by IPv4 space) and none of the 500 largest ASNs it flags
 * is an access network. Names that also say broadband / wireless / cable / fibre / telecom / mobile
 * / ISP are excluded ({@link ACCESS_NETWORK_ORG_PATTERN}): that drops 59 small ASNs such as
 * "Cloudlasers Broadband" or "Cloud 9 Wireless LLC", which are access networks.
 */
export const HOSTING_ORG_PATTERN = /hosting|cloud|data ?cent(?:er|re)|server|\bvps\b/i;

/** Words that mark an access network even when {@link HOSTING_ORG_PATTERN} matches. */
export const ACCESS_NETWORK_ORG_PATTERN = /broadband|wireless|cable|fib(?:er|re)|tele(?:com|kom|fon)|mobile|cellular|\bisp\b|internet service|communications/i;

/** Whether an organisation name looks like a hosting provider (applied once per ASN at build time). */
export function looksLikeHostingOrg(org: string): boolean {
  return HOSTING_ORG_PATTERN.test(org) && !ACCESS_NETWORK_ORG_PATTERN.test(org);
}
