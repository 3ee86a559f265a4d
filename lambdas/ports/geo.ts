/** What is known about an IP address. Lookups are local (bundled databases), synchronous and cheap. */
export interface GeoInfo {
  /**
   * `public`: routable internet address; `private`: RFC 1918 / ULA / loopback / link-local / CGNAT
   * shared space; `reserved`: documentation, multicast, unspecified and other non-routable ranges.
   */
  readonly kind: 'public' | 'private' | 'reserved';
  /** ISO 3166-1 alpha-2 country of the address, when known. */
  readonly country?: string;
  /** Autonomous system number announcing the address, when known. */
  readonly asn?: number;
  /** Organisation name of the AS, when known. */
  readonly asOrg?: string;
  /** True when the AS is a hosting / cloud / datacenter network rather than an access (ISP, mobile) network. */
  readonly hosting: boolean;
}

/** GeoIP port: the engine asks it about the caller's IP. Invalid input never throws. */
export interface GeoLookup {
  /** `ip` must already be a syntactically valid IPv4 or IPv6 address; anything else yields `{ kind: 'reserved', hosting: false }`. */
  lookup(ip: string): GeoInfo;
}
