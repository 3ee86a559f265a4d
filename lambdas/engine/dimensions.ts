/**
 * Every counter and set the engine keeps, by name. Rules read readings by these names, so a
 * misspelt name fails to compile instead of reading 0 and silently switching a rule off. The
 * names are part of the stored keys (`v#<dimension>#…`): renaming one starts it from zero.
 */
export const DIM = {
  /** SMS per number and tenant (a quota). */
  NUMBER: 'number',
  /** SMS per number across all tenants (a quota). */
  GLOBAL_NUMBER: 'global-number',
  IP: 'ip',
  SUBNET: 'subnet',
  DEVICE: 'device',
  VERIFIED_NUMBER: 'verified:number',
  /** Minutes of the current half hour in which the number was sent an SMS: one bit per minute (a quota). */
  RECENT_SENDS: 'recent-sends',
  /** The same bits for the previous half hour (read only). */
  RECENT_SENDS_BEFORE: 'recent-sends:before',
  /** Sum of the network tags of those SMS, current half hour (a quota). */
  RECENT_NETWORKS: 'recent-networks',
  /** The same for the previous half hour (read only). */
  RECENT_NETWORKS_BEFORE: 'recent-networks:before',
  SENT_RANGE4: 'sent:range4',
  VERIFIED_RANGE4: 'verified:range4',
  RANGE3_NUMBERS: 'range3-numbers',
  RANGE4_NUMBERS: 'range4-numbers',
  IP_NUMBERS: 'ip-numbers',
  IP_COUNTRIES: 'ip-countries',
  NUMBER_NETWORKS: 'number-networks',
  DEVICE_NUMBERS: 'device-numbers',
  DEVICE_ACCOUNTS: 'device-accounts',
  ACCOUNT_VERIFIED: 'account:verified',
  ACCOUNT_DEVICE: 'account:device',
  ACCOUNT_NETWORK: 'account:network',
  /** Codes to the number verified at this tenant (long-lived, like the account's): its history when no account is named or the account has none. */
  NUMBER_HISTORY: 'number:verified-ever',
  /** …verified from this device. */
  NUMBER_HISTORY_DEVICE: 'number:device',
  /** …verified from this network. */
  NUMBER_HISTORY_NETWORK: 'number:network',
  /** Numbers of another country than the address's asking for sensitive codes (reset, transfer) from one IP today. */
  IP_FOREIGN_SENSITIVE: 'ip-foreign-sensitive-numbers',
  /** Attempts of one scenario per tenant and network (an AS; every hosting network pooled as one). */
  NETWORK_ATTEMPTS: 'attempts:network',
  /** The same network's attempts yesterday (a field of the same item). */
  NETWORK_ATTEMPTS_YESTERDAY: 'attempts:network-yesterday',
  ATTEMPTS_TENANT: 'attempts:tenant',
  ATTEMPTS_TENANT_YESTERDAY: 'attempts:tenant-yesterday',
  ATTEMPTS_COUNTRY: 'attempts:country',
  ATTEMPTS_COUNTRY_YESTERDAY: 'attempts:country-yesterday',
  SENT_TENANT: 'sent:tenant',
  SENT_COUNTRY: 'sent:country',
  VERIFIED_TENANT: 'verified:tenant',
  VERIFIED_COUNTRY: 'verified:country',
  /** SMS per tenant and destination country in one fixed 10-minute slot (the cost guard's burst cap). */
  COUNTRY_BURST: 'burst:country',
  /** Estimated spend per tenant and destination country today, in micro-USD (the cost guard's budget). */
  COUNTRY_SPEND: 'spend:country',
  VERIFIED_COUNTRY_YESTERDAY: 'verified:country-yesterday',
  /** SMS per tenant and number prefix today, the number minus its last 3, 4 or 5 digits (one item per 100,000-number prefix and day). */
  PREFIX_SENT: 'prefix-sent',
  PREFIX3_SENT: 'prefix3-sent',
  PREFIX4_SENT: 'prefix4-sent',
  PREFIX5_SENT: 'prefix5-sent',
  /** Proof-of-work challenges fetched per address and hour (the challenge route's difficulty). */
  CHALLENGES: 'challenges',
  /** Device tokens minted per address or network and hour. */
  DEVICE_MINTS: 'device-mints',
  /** Verdict requests per tenant and minute (the usage limit). */
  REQUESTS_TENANT: 'requests:tenant',
  /** Tenants that asked for the number in the last 5–10 minutes (the live bombing signal). */
  LIVE_TENANTS: 'live-tenants',
  /** Networks that asked for the number in the last 5–10 minutes. */
  LIVE_NETWORKS: 'live-networks',
} as const;

export type Dimension = (typeof DIM)[keyof typeof DIM];
