import type { ReasonCode } from '../domain/reasons';

/**
 * One line per reason code, as the README's reason-code table says it (a test keeps them equal):
 * for reports and tools that show a code to people.
 */
export const REASON_DESCRIPTIONS: Readonly<Record<ReasonCode, string>> = {
  INVALID_NUMBER:
    'not a phone number, or one that cannot exist (wrong length, unassigned range such as the UK drama range +44 7700 900xxx); never sent in any mode, whatever a list or the policy says',
  PREMIUM_RATE_NUMBER: 'premium-rate number: SMS to it bills the sender (toll fraud)',
  SHARED_COST_NUMBER: 'shared-cost number',
  TOLL_FREE_NUMBER: 'toll-free number: cannot receive SMS',
  FIXED_LINE_NUMBER: 'fixed line (US/CA numbers are "fixed line or mobile" and pass)',
  UAN_NUMBER: 'universal access number',
  PAGER_NUMBER: 'pager number',
  VOICEMAIL_NUMBER: 'voicemail access number',
  PERSONAL_NUMBER: 'personal (follow-me) number, e.g. UK 070',
  VOIP_NUMBER: 'VoIP number: cheap to rent in bulk',
  VIRTUAL_OPERATOR_RANGE: 'number in a virtual-operator (MVNO) segment widely abused by SIM farms (China 162, 165, 167, 170, 171)',
  COUNTRY_NOT_ALLOWED: "the number's country is denied, or not in the tenant's allow list",
  BLOCKLISTED_NUMBER: 'a block entry matches (IP covers exact IPs and CIDR ranges)',
  BLOCKLISTED_PREFIX: 'a block entry matches (IP covers exact IPs and CIDR ranges)',
  BLOCKLISTED_IP: 'a block entry matches (IP covers exact IPs and CIDR ranges)',
  BLOCKLISTED_DEVICE: 'a block entry matches (IP covers exact IPs and CIDR ranges)',
  BLOCKLISTED_ASN: 'a block entry matches (IP covers exact IPs and CIDR ranges)',
  BLOCKLISTED_COUNTRY: 'a block entry matches (IP covers exact IPs and CIDR ranges)',
  ALLOWLISTED_NUMBER:
    'an allow entry matches: it beats every rule but the final ones — an invalid or non-mobile number, the cross-tenant caps (test numbers, QA devices)',
  ALLOWLISTED_PREFIX:
    'an allow entry matches: it beats every rule but the final ones — an invalid or non-mobile number, the cross-tenant caps (test numbers, QA devices)',
  ALLOWLISTED_IP:
    'an allow entry matches: it beats every rule but the final ones — an invalid or non-mobile number, the cross-tenant caps (test numbers, QA devices)',
  ALLOWLISTED_DEVICE:
    'an allow entry matches: it beats every rule but the final ones — an invalid or non-mobile number, the cross-tenant caps (test numbers, QA devices)',
  ALLOWLISTED_ASN:
    'an allow entry matches: it beats every rule but the final ones — an invalid or non-mobile number, the cross-tenant caps (test numbers, QA devices)',
  ALLOWLISTED_COUNTRY:
    'an allow entry matches: it beats every rule but the final ones — an invalid or non-mobile number, the cross-tenant caps (test numbers, QA devices)',
  NUMBER_VELOCITY: 'too many SMS to this number from this tenant (1/min, 5/h, 10/day)',
  NUMBER_BACKOFF: 'asked again for a number whose codes are still pending: from the second retry, wait 1 min, 2 min, 4 min… (±20%) after the last code',
  GLOBAL_NUMBER_VELOCITY:
    'too many SMS to this number across all tenants (3/min, 10/h, 20/day): a victim bombed through many interfaces; verdict-only calls neither take nor see this quota',
  IP_VELOCITY: 'attempts from one IP over 60/h or 400/day',
  SUBNET_VELOCITY: 'attempts from one /24 (IPv6: /64) over 200/h or 1,500/day',
  DEVICE_VELOCITY: 'attempts from one device over 10/h or 20/day',
  IP_MANY_NUMBERS: 'more than 50 different numbers from one IP today (carrier NAT and offices stay under it; never blocks alone)',
  DEVICE_MANY_NUMBERS: 'more than 3 different numbers from one device today',
  DEVICE_MANY_ACCOUNTS: 'one device asking for codes for more than 2 accounts today: account takeover working through a list',
  IP_MANY_COUNTRIES: 'numbers in more than 3 countries from one IP today (hotel Wi-Fi does this too, hence weak)',
  NUMBER_MANY_NETWORKS: 'codes for one number asked from more than 3 networks (/24 or /64) today: a bomber rotating proxies',
  NUMBER_MANY_TENANTS:
    'bombing as it happens: codes for this number asked through ≥ 3 tenants from ≥ 3 networks within the last 5–10 minutes (this attempt included, so one tenant or one network alone never trips it). Defused, not locked: every tenant together sends the number at most 1/min, 3/h, 5/day, anyone without ownership history first solves a level-3 proof of work, and the owner (the number verified a code here today, or the account verified on this device) is served within the cap',
  RANGE_VELOCITY: 'more than 3 different numbers in one 1,000-number range (or 8 in a 10,000-number range) this hour: sequential or dense numbers',
  NUMBER_UNVERIFIED: '2 or more codes sent to this number today that nobody verified and that are no longer pending',
  RANGE_LOW_CONVERSION: 'a 10,000-number range with ≥ 5 codes today and < 20% verified',
  COUNTRY_LOW_CONVERSION: "a destination country with ≥ 10 codes today verified at < 40% of the tenant's own rate",
  COUNTRY_SPIKE: 'attempts to one country this hour ≥ 30 and > 5× its hourly average yesterday (only for tenants with ≥ 500 attempts yesterday)',
  COUNTRY_BURST_CAP: "SMS to one country in this 10-minute slot over the tenant's cap for it (cost guard; default 300)",
  COUNTRY_BUDGET: "estimated spend on one country today over the tenant's daily budget for it (cost guard; default 250 USD)",
  COUNTRY_UNVERIFIED_BUDGET:
    "unverified codes to one country today reached its budget, the most of 25, 0.3× the codes it verified yesterday and 1× those it verified so far today: its attempts need a challenge, except for the number's owner (only for tenants that report verifications)",
  PREFIX_ANOMALY_1K:
    "a 1,000-number prefix took more of this tenant's SMS today than 6 and than 4× what its slice of the country's number space would get of the tenant's SMS there: numbers bought in bulk, even when they verify; blocks past 1.5× that; not for the number's owner",
  PREFIX_ANOMALY_10K:
    "a 10,000-number prefix took more of this tenant's SMS today than 6 and than 4× what its slice of the country's number space would get of the tenant's SMS there: numbers bought in bulk, even when they verify; blocks past 1.5× that; not for the number's owner",
  PREFIX_ANOMALY_100K:
    "a 100,000-number prefix took more of this tenant's SMS today than 12 and than 4× what its slice of the country's number space would get of the tenant's SMS there: numbers bought in bulk, even when they verify; blocks past 1.5× that; not for the number's owner",
  JOINT_DEFENSE_VICTIM:
    'shared reputation: the number was bombed through ≥ 2 tenants from ≥ 2 networks (≥ 6 attempts in 15 min or ≥ 8 in an hour, at most 3 counted per tenant, ≤ 25% verified; verdict-only calls and attempts refused by velocity or reputation rules are no evidence); defused like NUMBER_MANY_TENANTS at every tenant until 15 min after the last evidence',
  JOINT_DEFENSE_IP:
    'shared reputation: the address (+30) or its /24, /64 (+15) had ≥ 10 attempts blocked by other rules at ≥ 2 tenants in an hour (≥ 80% of its attempts, ≤ 20% verified)',
  JOINT_DEFENSE_DEVICE: 'shared reputation: the device had ≥ 10 attempts blocked by other rules at ≥ 2 tenants in an hour',
  JOINT_DEFENSE_RANGE:
    'shared reputation: ≥ 6 different numbers of this 10,000-number range (at most 4 counted per tenant) asked for codes in an hour through ≥ 2 tenants that report verifications and ≥ 2 networks, ≤ 10% verified: SMS pumping; 2 h. Defused, not locked: without ownership history a level-3 proof of work and at most 2 SMS a day per tenant into the range; the owner of a number in it is served',
  JOINT_DEFENSE_COUNTRY: 'shared reputation: ≥ 40 different numbers of this country via ≥ 2 tenants in an hour, ≤ 10% verified',
  COUNTRY_MISMATCH: "the IP's country differs from the number's (GG/JE/IM count as GB)",
  DATACENTER_IP: 'the IP belongs to a cloud or hosting network',
  NETWORK_SPIKE:
    "sign-ups from the caller's network (its AS; all hosting networks as one) this hour ≥ 10 and > 4× that network's hourly average at this tenant yesterday (only for tenants with ≥ 500 attempts yesterday)",
  HOSTING_SIGNUP_BUDGET:
    "sign-ups from hosting networks (all pooled) at this tenant over 20 this hour or over the most of 60 and 1% of its attempts yesterday or today: blocked; the budget is shared, so a farm that uses it up also refuses VPN users signing up until the hour or day turns over; not for the number's owner",
  FOREIGN_DATACENTER: "sensitive scenarios only: a hosting network in another country than the number's",
  IP_NOT_PUBLIC:
    "the ip field is private or reserved — usually your backend sent its proxy's address; every non-public address of a tenant counts as one shared address for the per-IP limits",
  AUTOMATION_USER_AGENT: 'an HTTP library or tool (python-requests, curl, Go-http-client, empty); mobile stacks (okhttp, CFNetwork/Darwin, Dart) are normal',
  HEADLESS_BROWSER: 'a headless or automated browser (HeadlessChrome, Selenium, Puppeteer…)',
  MISSING_DEVICE: 'no device token (switch off for backend-only integrations)',
  DEVICE_TOKEN_INVALID: 'a device value shaped like a device token (sdt2.…) that does not verify: forged, tampered with, cut short or from another deployment',
  DEVICE_MINT_VELOCITY:
    'the device token was minted while its address (over 60 new devices an hour) or network (/24 or /64, over 200) was minting new devices in a burst',
  DEVICE_TOKEN_NEW: 'the device of a valid token was first seen less than 60 minutes ago (informational: a new device is normal for a sign-up)',
  DEVICE_UNSIGNED: 'a plain device id instead of a signed device token (off by default; switch on when every client uses the SDK or POST /v1/device)',
  AUTOMATION_MARKERS:
    'the SDK saw automation in the browser: navigator.webdriver, a headless user agent, framework globals (+40); only hints such as no languages, a spoofed platform or a zero-sized screen (+20)',
  NEW_DEVICE: 'sensitive scenarios: the account has verified history but never on this device (reset_password: score only; transfer: challenge)',
  NEW_NETWORK: 'sensitive scenarios: the account never verified on this network (AS)',
  ACCOUNT_TAKEOVER_RISK:
    "sensitive scenarios: a device the account (else the number) never verified on that asked for another account's codes today, or that comes from a datacenter or from an address abroad asking for other numbers' sensitive codes today (a network the account verified on clears these two). A solved proof of work does not clear it",
  NEW_DEVICE_AND_NETWORK:
    'sensitive scenarios: a device and a network the account (else the number) never verified on: at home a challenge a solution clears (a new phone on mobile data), abroad a step-up a solution does not clear (a proxy abroad, a hotel PC); set it to block or step up for high-value flows',
  STORE_UNAVAILABLE:
    'the store could not be reached and the scenario fails open: the verdict was made on stateless signals only (number type, country policy, GeoIP, user agent, device markers)',
  CHALLENGE_REQUIRED: 'the verdict is challenge and no proof-of-work solution came with the request',
  CHALLENGE_INVALID: 'a proof-of-work solution came with the request but did not verify (wrong, expired, tampered with, or for another tenant)',
  CHALLENGE_REPLAYED: 'a valid proof-of-work solution that was already redeemed once',
  CHALLENGE_TOO_EASY:
    "a valid proof-of-work solution of a lower level than this attempt asks for (a datacenter address or an automation user agent, as the challenge route would have judged its caller, or a bombed number or pumped range): solve one at the verdict's challengeLevel",
  CHALLENGE_NOT_ENOUGH:
    'a valid proof-of-work solution came with the request, but a finding asks for more than proof of work (a rule or reason set to challenge with stepUp, such as ACCOUNT_TAKEOVER_RISK): verify the user another way',
};
