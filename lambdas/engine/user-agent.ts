/** How a user agent presents itself. Only `automation` and `headless` raise risk. */
export type AgentKind = 'browser' | 'app' | 'automation' | 'headless' | 'unknown' | 'absent';

// Native mobile stacks are normal traffic: OkHttp and Dalvik (Android), CFNetwork/Darwin and
// Alamofire (iOS), Dart (Flutter), React Native and Expo.
const APP = /\b(?:okhttp|Dalvik|CFNetwork|Darwin|Alamofire|Dart|ReactNative|Expo|Ktor|Cronet)\b|^[\w.-]+\/[\w.-]+ \((?:iPhone|iPad|Android|Linux; Android|iOS)/i;
const HEADLESS = /HeadlessChrome|PhantomJS|SlimerJS|Puppeteer|Playwright|Selenium|webdriver|Cypress|Nightmare|jsdom/i;
// HTTP libraries and tools: nobody types an OTP into these.
const AUTOMATION =
  /^(?:curl|Wget|python-requests|python-urllib|Python\/|aiohttp|httpx|Go-http-client|Java\/|Apache-HttpClient|axios|node-fetch|undici|got\b|node\b|libwww-perl|LWP::|Ruby|Faraday|GuzzleHttp|PHP|PostmanRuntime|insomnia|Scrapy|HTTPie|WindowsPowerShell|WinHttp|RestSharp|Deno|Bun|reqwest|hyper|lua-resty|Mechanize)|\b(?:bot|crawler|spider|scraper)\b/i;
const BROWSER = /^Mozilla\/5\.0 \(.+\) .*(?:Gecko|AppleWebKit)/;

/** Classify a user agent string; cheap enough for the verdict path (a few regex tests). */
export function classifyAgent(userAgent: string | undefined): AgentKind {
  if (userAgent === undefined) return 'absent';
  const ua = userAgent.trim();
  if (ua === '') return 'automation';
  if (HEADLESS.test(ua)) return 'headless';
  if (BROWSER.test(ua)) return /\b(?:bot|crawler|spider)\b/i.test(ua) ? 'automation' : 'browser';
  if (APP.test(ua)) return 'app';
  if (AUTOMATION.test(ua)) return 'automation';
  return 'unknown';
}
