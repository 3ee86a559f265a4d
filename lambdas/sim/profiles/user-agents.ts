/** User agents of browsers, mobile apps, attackers' scripts and HTTP libraries. */
import type { Rng } from '../rng';
import { SIM_CONFIG, type TenantId } from './sim-config';

export interface BrowserAgent {
  readonly ua: string;
  readonly mobile: boolean;
}

/** Current browsers (autumn 2026 versions are extrapolated; the shapes are the real ones). */
export const BROWSER_USER_AGENTS: readonly (BrowserAgent & { weight: number })[] = [
  { weight: 18, mobile: false, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36' },
  { weight: 6, mobile: false, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36' },
  { weight: 7, mobile: false, ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36' },
  {
    weight: 6,
    mobile: false,
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0',
  },
  { weight: 4, mobile: false, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0' },
  { weight: 5, mobile: false, ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15' },
  { weight: 1, mobile: false, ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0' },
  {
    weight: 16,
    mobile: true,
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Mobile/15E148 Safari/604.1',
  },
  {
    weight: 6,
    mobile: true,
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1',
  },
  {
    weight: 3,
    mobile: true,
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/142.0.7444.77 Mobile/15E148 Safari/604.1',
  },
  { weight: 16, mobile: true, ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36' },
  {
    weight: 5,
    mobile: true,
    ua: 'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36',
  },
  { weight: 2, mobile: false, ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7; rv:145.0) Gecko/20100101 Firefox/145.0' },
];

/** Corporate desktops. */
export const OFFICE_USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15',
];

/**
 * Browser user agents attackers paste into their scripts: well-formed, but often months or
 * years stale (a signal the engine may use), and the same few strings across campaigns.
 */
export const SPOOFED_BROWSER_USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.84 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0',
];

/** HTTP libraries and headless browsers. */
export const BOT_USER_AGENTS: readonly string[] = [
  'python-requests/2.31.0',
  'python-requests/2.32.3',
  'Go-http-client/1.1',
  'Go-http-client/2.0',
  'curl/8.5.0',
  'axios/1.7.7',
  'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
  'python-httpx/0.27.0',
  'PostmanRuntime/7.39.0',
  'Java/17.0.10',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
];

/** iOS versions with the CFNetwork and Darwin versions they ship. */
const IOS_VERSIONS: readonly (readonly [ios: string, cfNetwork: string, darwin: string])[] = [
  ['17.5', '1496.0.7', '23.5.0'],
  ['17.6', '1498.700.2', '23.6.0'],
  ['18.5', '3826.500.131', '24.5.0'],
  ['18.6', '3826.600.41', '24.6.0'],
  ['26.0', '3860.100.1', '25.0.0'],
];

const ANDROID_APP_AGENTS: readonly string[] = ['okhttp/4.12.0', 'okhttp/4.12.0', 'okhttp/4.11.0', 'okhttp/4.9.3', 'okhttp/5.1.0'];

/** The user agent of a tenant's mobile app on a user's phone. */
export function appUserAgent(rng: Rng, tenant: TenantId, ios: boolean): string {
  if (!ios) return rng.pick(ANDROID_APP_AGENTS);
  const app = SIM_CONFIG.tenants[tenant];
  const [version, cfNetwork, darwin] = rng.pick(IOS_VERSIONS);
  return `${app.appName}/${app.appVersion} (iPhone; iOS ${version}) CFNetwork/${cfNetwork} Darwin/${darwin}`;
}

export function browserAgent(rng: Rng): BrowserAgent {
  let total = 0;
  for (const agent of BROWSER_USER_AGENTS) total += agent.weight;
  let x = rng.next() * total;
  for (const agent of BROWSER_USER_AGENTS) {
    x -= agent.weight;
    if (x < 0) return agent;
  }
  return BROWSER_USER_AGENTS[0] as BrowserAgent;
}
