/**
 * The simulated tenants and every traffic class's volumes and behaviour. The simulator only
 * schedules flows: tune here.
 */
import type { SimScenario } from '../types';

export type Weights<K extends string> = Readonly<Partial<Record<K, number>>>;
export type Range = readonly [min: number, max: number];
export type TenantId = 'shop' | 'bank' | 'social' | 'saas';

/**
 * Parameters of every traffic class, at scale 1. Volumes are per simulated day and multiply
 * by `--scale`. Ranges are `[min, max]`, drawn uniformly unless said otherwise.
 */
export const SIM_CONFIG = {
  /** Monday 2 November 2026, 00:00 UTC. */
  start: '2026-11-02T00:00:00.000Z',
  days: 2,

  tenants: {
    /** GB/EU e-commerce: web shop with a country picker, plus an app. */
    shop: {
      countries: { GB: 55, DE: 12, FR: 10, ES: 8, IT: 7, NL: 8 },
      appName: 'ShopApp',
      appVersion: '7.14.0',
      /** Share of web requests that carry a proof-of-work solution, per scenario. */
      webChallengeShown: { register: 0.9, login: 0.2, reset_password: 0.6, transfer: 1, other: 0 },
      /** Share of phone numbers the web form submits as E.164 rather than national + country. */
      webInternationalFormat: 0.35,
    },
    /** A UK retail bank: logins, password resets and transfers confirmed by OTP. */
    bank: {
      countries: { GB: 92, ES: 4, FR: 4 },
      appName: 'BankApp',
      appVersion: '12.3.1',
      webChallengeShown: { register: 1, login: 1, reset_password: 1, transfer: 1, other: 1 },
      webInternationalFormat: 0.2,
    },
    /** A global social app, mostly used from its mobile apps. */
    social: {
      countries: { US: 25, IN: 20, BR: 15, ID: 12, NG: 8, GB: 8, DE: 4, FR: 4, ES: 4 },
      appName: 'MyApp',
      appVersion: '5.2.1',
      webChallengeShown: { register: 0.8, login: 0.1, reset_password: 0.5, transfer: 1, other: 0 },
      webInternationalFormat: 0.6,
    },
    /** B2B software; most logins come from company offices (2FA by SMS). */
    saas: {
      countries: { GB: 35, DE: 25, NL: 15, US: 25 },
      appName: 'SaaSApp',
      appVersion: '3.8.0',
      webChallengeShown: { register: 1, login: 0, reset_password: 0.5, transfer: 1, other: 0 },
      webInternationalFormat: 0.5,
    },
  },

  legit: {
    /** What a legitimate user does once the code is delivered. */
    verify: {
      /** Never enter the code (changed their mind, got distracted): 5–12% of OTPs in practice. */
      neverRate: 0.08,
      /** Enter a wrong code first, then the right one. */
      typoRate: 0.04,
      /** Delay from send to verify, seconds: log-normal. */
      delayMedianSeconds: 28,
      delaySigma: 0.55,
      /** Slow verifiers (switch apps, read the code later). */
      slowRate: 0.06,
      slowDelaySeconds: [120, 900] as Range,
    },
    /** Returning users per (tenant, country): population = daily flows × this factor × scale. */
    populationFactor: 2.5,
    web: {
      flowsPerDay: { shop: 6000, social: 3000, saas: 600 } as Weights<TenantId>,
      scenarios: {
        shop: { register: 35, login: 55, reset_password: 10 },
        social: { register: 40, login: 55, reset_password: 5 },
        saas: { register: 10, login: 85, reset_password: 5 },
      } as Record<string, Weights<SimScenario>>,
      /** Browser SDK blocked or not loaded: no device token. */
      deviceMissingRate: 0.03,
      /** Users on a phone browser who are on mobile data (carrier CGNAT) rather than home Wi-Fi. */
      mobileBrowserOnCarrierRate: 0.45,
      /** Share of shown challenges that the browser SDK solves (old browsers, script blockers fail). */
      challengePassRate: 0.98,
    },
    app: {
      flowsPerDay: { social: 7000, shop: 1500 } as Weights<TenantId>,
      scenarios: {
        social: { register: 35, login: 60, reset_password: 5 },
        shop: { register: 25, login: 65, reset_password: 10 },
      } as Record<string, Weights<SimScenario>>,
      /** On mobile data (carrier CGNAT) rather than Wi-Fi. */
      onCarrierRate: 0.7,
      /** Share of app users on iOS (the rest on Android with okhttp). */
      iosShare: 0.45,
      /** Apps send the country picked in the app with the E.164 number this often. */
      countryHintRate: 0.5,
    },
    /**
     * Mobile carriers put many subscribers behind each public address (CGNAT). The pool of
     * public addresses per carrier is sized so that one address serves about this many of the
     * simulated tenants' users per day, at any scale.
     */
    cgnatUsersPerIpPerDay: 40,
    office: {
      /** B2B customers of `saas`, each behind one office IP. Scales with `--scale`. */
      companies: 30,
      countries: { GB: 35, DE: 25, NL: 15, US: 25 },
      employees: [25, 160] as Range,
      /** Share of employees who log in (2FA by SMS) on a weekday / a weekend day. */
      weekdayLoginRate: 0.75,
      weekendLoginRate: 0.04,
      /** Share of the day's logins in the 08:00–10:00 local rush (normal around 08:50). */
      morningShare: 0.7,
    },
    traveler: {
      flowsPerDay: { shop: 200, social: 300, bank: 120, saas: 80 } as Weights<TenantId>,
      scenarios: { login: 75, reset_password: 15, register: 10 } as Weights<SimScenario>,
      destinations: { ES: 18, IT: 12, FR: 12, PT: 8, US: 14, TH: 8, AE: 8, GB: 8, DE: 6, NL: 6 },
      /** On hotel Wi-Fi; the rest on a local SIM / travel eSIM (a foreign carrier's CGNAT). */
      hotelRate: 0.7,
      /** Logging in from a hotel PC or a new phone. */
      newDeviceRate: 0.25,
    },
    retry: {
      flowsPerDay: { shop: 400, social: 600, bank: 100, saas: 100 } as Weights<TenantId>,
      scenarios: { login: 55, register: 35, reset_password: 10 } as Weights<SimScenario>,
      retries: [1, 3] as Range,
      retryDelaySeconds: [30, 180] as Range,
      /** A retry writes the number differently (national with region, spaces, E.164). */
      reformatRate: 0.4,
      /** The user gives up without verifying even after retrying. */
      giveUpRate: 0.1,
    },
    sensitive: {
      flowsPerDay: { bank: 2400 } as Weights<TenantId>,
      scenarios: { login: 35, transfer: 45, reset_password: 20 } as Weights<SimScenario>,
      /** Bank customers come back often: population = daily flows × this × scale. */
      populationFactor: 1.2,
      /** Customers who bank in the app (the rest in the browser). */
      appRate: 0.65,
      /** App users on mobile data rather than home Wi-Fi. */
      onCarrierRate: 0.4,
      /** New phone / new browser at home: unknown device, known network, solves the challenge. */
      newDeviceAtHomeRate: 0.08,
    },
  },

  attacks: {
    bombing: {
      campaignsPerDay: 4,
      victims: [1, 3] as Range,
      victimCountries: { GB: 30, DE: 15, IN: 20, US: 15, FR: 10, BR: 10 },
      durationMinutes: [15, 75] as Range,
      /** One tenant is hammered repeatedly… */
      mainTenantPerMinute: [2, 10] as Range,
      /** …while a few others are hit at once at a lower rate (bomber tools cycle through sites). */
      otherTenants: [2, 3] as Range,
      otherTenantPerMinute: [0.5, 2] as Range,
      tenants: { social: 35, shop: 35, saas: 20, bank: 10 } as Weights<TenantId>,
      scenarios: { register: 50, login: 40, reset_password: 10 } as Weights<SimScenario>,
      /** Each request from a fresh datacenter address, else a fresh residential proxy anywhere. */
      datacenterRate: 0.6,
      /** Library / bot user agent, else a spoofed (often stale) browser user agent. */
      botUserAgentRate: 0.5,
      /** A random device token (from a scraped SDK), else none. */
      deviceRate: 0.4,
      /** A bogus challenge solution (fails), else none. */
      failedChallengeRate: 0.3,
      /** The owner asks for a code again this long after the bombing ends. */
      ownerAfterMinutes: [20, 40] as Range,
    },
    bombingSlow: {
      campaignsPerDay: 3,
      victimCountries: { GB: 40, DE: 20, US: 20, FR: 20 },
      tenants: [1, 2] as Range,
      durationHours: [3, 12] as Range,
      intervalMinutes: [3, 8] as Range,
      /** A random device token per request, else none. */
      deviceRate: 0.3,
    },
    pumping: {
      /** High-cost destinations with real mobile ranges (libphonenumber says valid MOBILE). */
      destinations: { UZ: 25, KG: 20, TJ: 20, AZ: 20, MM: 15 },
      tenants: { social: 65, shop: 35 } as Weights<TenantId>,
      burst: {
        campaignsPerDay: 2,
        durationMinutes: [20, 120] as Range,
        perMinute: [8, 30] as Range,
        /** Attacker ranges: the number minus its last `rangeDigits` digits. */
        ranges: [1, 3] as Range,
        rangeDigits: [3, 4] as Range,
        /** Walk the range upwards, else draw numbers densely at random inside it. */
        sequentialRate: 0.5,
      },
      /** Paced campaigns run the whole simulated period, one request every few minutes. */
      paced: {
        campaigns: 2,
        intervalSeconds: [45, 240] as Range,
        ranges: [3, 6] as Range,
        rangeDigits: [3, 4] as Range,
      },
      /** Device token per request (rotating), else a small reused set. */
      freshDeviceRate: 0.7,
      /** Challenge outcome when shown: headless browsers solve proof of work. */
      challenge: { absent: 60, passed: 30, failed: 10 },
    },
    bots: {
      campaignsPerDay: 4,
      tenants: { social: 70, shop: 30 } as Weights<TenantId>,
      durationHours: [1, 4] as Range,
      intervalSeconds: [10, 90] as Range,
      /** Countries of numbers bought from SMS-activation services; `GB-VOIP` is +44 56. */
      numberCountries: { ID: 25, IN: 20, VN: 15, PH: 10, GB: 10, 'GB-VOIP': 10, US: 10 },
      /** Campaign on datacenter addresses (a few reused VPS IPs), else rotating proxies. */
      datacenterRate: 0.6,
      /** VPS addresses a datacenter campaign cycles through. */
      datacenterIps: [1, 6] as Range,
      /** Automation user agent for the whole campaign, else a spoofed browser one. */
      automationUserAgentRate: 0.5,
      devicesPerCampaign: [1, 3] as Range,
      /** Campaigns whose bots solve the proof of work (they always submit it). */
      powSolverRate: 0.4,
      /** Bots need the account: they verify, fast. */
      verifyRate: 0.93,
      verifyDelaySeconds: [12, 90] as Range,
    },
    junk: {
      actorsPerDay: 40,
      requestsPerActor: [1, 60] as Range,
      intervalSeconds: [2, 120] as Range,
      kinds: { invalid: 3, premium: 2, tollfree: 1, fixedline: 2, drama: 1, length: 2 },
      tenants: { shop: 35, social: 35, saas: 15, bank: 15 } as Weights<TenantId>,
      network: { datacenter: 50, residential: 30, proxy: 20 },
    },
    ato: {
      campaignsPerDay: 12,
      accountsPerCampaign: [1, 15] as Range,
      attemptsPerAccount: [1, 3] as Range,
      attemptGapSeconds: [40, 600] as Range,
      accountGapSeconds: [20, 900] as Range,
      scenarios: { reset_password: 60, transfer: 40 } as Weights<SimScenario>,
      /** Where the attacker connects from (one choice per campaign). */
      network: { datacenter: 40, foreign: 30, proxyInVictimCountry: 30 },
      foreignCountries: { NG: 25, VN: 15, RU: 15, BR: 15, IN: 15, TR: 15 },
      /** Campaigns whose tooling solves the proof of work. */
      powSolveRate: 0.4,
    },
    /**
     * Attackers who adapt to the signals the classes above trip: they solve the proof of work,
     * present real browsers and a fresh device each time, come from many addresses, use
     * numbers of the users' own countries and verify their codes. Each style is its own
     * variant (sub-row) of an existing class.
     */
    adaptive: {
      /** Registration farms with numbers bought in bulk (`bots-farm-dc`, `bots-farm-resi`). */
      botFarm: {
        campaignsPerDay: 2,
        tenants: { social: 50, shop: 35, saas: 15 } as Weights<TenantId>,
        /** Countries of the bought numbers; the residential farm's proxies are in the same one. */
        numberCountries: { GB: 30, US: 25, DE: 15, FR: 10, IN: 10, BR: 10 },
        /** A few operator prefixes: ranges of the number minus its last `rangeDigits` digits. */
        ranges: [2, 4] as Range,
        rangeDigits: [4, 5] as Range,
        durationHours: [2, 6] as Range,
        intervalSeconds: [20, 120] as Range,
        /** Hosting providers (ASNs) a datacenter farm rents from. */
        hostingAsns: [3, 5] as Range,
        /** Access ISPs (blocks of the residential pool) a residential proxy farm exits from. */
        residentialBlocks: [2, 3] as Range,
        /** Share of codes the farm verifies (per campaign): conversion looks healthy. */
        verifyRate: [0.8, 0.9] as Range,
        verifyDelaySeconds: [15, 120] as Range,
      },
      /** Account takeover of real customers (`ato-resi-abroad`, `ato-dc-in-country`). */
      ato: {
        campaignsPerDay: 5,
        accountsPerCampaign: [3, 8] as Range,
        attemptsPerAccount: [1, 2] as Range,
        attemptGapSeconds: [60, 600] as Range,
        accountGapSeconds: [300, 2400] as Range,
        scenarios: { reset_password: 55, transfer: 45 } as Weights<SimScenario>,
        /** Victims whose owner used the bank from their own device and network before the attack. */
        historyRate: 0.75,
        /** The owner's own sessions before the attack: 1–2, hours ahead of it. */
        historyFlows: [1, 2] as Range,
        /** The first attack comes this long after the campaign starts (the owners' history first). */
        leadHours: [3, 8] as Range,
        /** The owner logs in again after the attack, this much later (they must still be served). */
        ownerAfterRate: 0.5,
        ownerAfterHours: [1, 6] as Range,
        /** Attempts that carry a solved proof of work. */
        powSolveRate: 0.85,
        /** Residential proxy exits abroad: traveller destinations and the usual attacker countries. */
        abroadCountries: { ES: 15, FR: 10, US: 15, NL: 5, PL: 10, UA: 5, RU: 5, TR: 10, NG: 10, VN: 5, BR: 5, DE: 5 },
      },
      /** One victim through many tenants' forms within minutes (`bombing-interfaces`). */
      bombingInterfaces: {
        campaignsPerDay: 3,
        victims: [1, 2] as Range,
        victimCountries: { GB: 35, DE: 15, US: 20, FR: 15, IN: 15 },
        /** Tenants hit at once: the four simulated ones plus small sites with no other traffic. */
        tenants: { social: 20, shop: 20, saas: 15, bank: 10, delivery: 10, dating: 10, tickets: 10, gaming: 10, rides: 10 },
        tenantsPerVictim: [6, 9] as Range,
        durationMinutes: [5, 20] as Range,
        /** Each tenant's form is hit this often (per minute) while the bombing lasts. */
        perTenantPerMinute: [0.5, 2.5] as Range,
        scenarios: { register: 50, login: 35, reset_password: 15 } as Weights<SimScenario>,
        /** A residential proxy in the victim's country, else a datacenter address. */
        residentialRate: 0.7,
        /** Requests that carry a solved proof of work (headless browsers). */
        powSolveRate: 0.6,
        ownerAfterMinutes: [20, 40] as Range,
      },
    },
  },
} as const;
