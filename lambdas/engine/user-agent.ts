/** How a user agent presents itself. Only `automation` and `headless` raise risk. */
export type AgentKind = 'browser' | 'app' | 'automation' | 'headless' | 'unknown' | 'absent';

/**
 * Only the first this many characters of an agent (after trimming) are classified: the most the
 * verdict API accepts (`userAgent` in service/schemas.ts). The patterns below are linear, but
 * the challenge routes classify the raw `User-Agent` header (up to the gateway's header limit,
 * 10–16 KB) and replay reads logs of any length; the cap keeps every call at a few microseconds
 * whatever the input. Nothing is lost: an agent is self-declared, and a client that wants to
 * hide a marker beyond 1 KB could as well leave it out.
 */
export const MAX_AGENT_LENGTH = 1024;

// Every pattern here runs in time linear in the agent's length: literal alternatives, and
// character-class runs that cannot contain what follows them (`[\w.-]+` before `/` or ` `), so a
// failed attempt gives up after one step back per character.

// Native mobile stacks are normal traffic: OkHttp and Dalvik (Android), CFNetwork/Darwin and
// Alamofire (iOS), Dart (Flutter), React Native and Expo.
const APP =
  /\b(?:okhttp|Dalvik|CFNetwork|Darwin|Alamofire|Dart|ReactNative|Expo|Ktor|Cronet)\b|^[\w.-]+\/[\w.-]+ \((?:iPhone|iPad|Android|Linux; Android|iOS)/i;
const HEADLESS = /HeadlessChrome|PhantomJS|SlimerJS|Puppeteer|Playwright|Selenium|webdriver|Cypress|Nightmare|jsdom/i;
// HTTP libraries and tools: nobody types an OTP into these.
const AUTOMATION =
  /^(?:curl|Wget|python-requests|python-urllib|Python\/|aiohttp|httpx|Go-http-client|Java\/|Apache-HttpClient|axios|node-fetch|undici|got\b|node\b|libwww-perl|LWP::|Ruby|Faraday|GuzzleHttp|PHP|PostmanRuntime|insomnia|Scrapy|HTTPie|WindowsPowerShell|WinHttp|RestSharp|Deno|Bun|reqwest|hyper|lua-resty|Mechanize)|\b(?:bot|crawler|spider|scraper)\b/i;
// `Mozilla/5.0 (…) …Gecko` or `…AppleWebKit`. This used to be `^Mozilla\/5\.0 \(.+\) .*(?:Gecko|AppleWebKit)`,
// which backtracks quadratically: when no engine token follows, `.+` retries every ") " of the
// agent and `.*` rescans the rest each time (0.3 ms at 1 KB, 0.9 s at 64 KB). The first ") " is
// the only one worth trying (it leaves the most room for the token), so the lookahead captures
// the shortest `.+?\) ` and the backreference consumes it: a lookahead is atomic, nothing inside
// it is retried. Same matches as before, including `.` stopping at line terminators.
const BROWSER = /^Mozilla\/5\.0 \((?=(.+?\) ))\1.*(?:Gecko|AppleWebKit)/;
const BOT_WORD = /\b(?:bot|crawler|spider)\b/i;

/** The patterns, for bench/user-agent-bench.ts. */
export const AGENT_PATTERNS: Readonly<Record<'app' | 'headless' | 'automation' | 'browser' | 'botWord', RegExp>> = {
  app: APP,
  headless: HEADLESS,
  automation: AUTOMATION,
  browser: BROWSER,
  botWord: BOT_WORD,
};

/** Classify a user agent string; cheap enough for the verdict path (a few linear regex tests on at most 1 KB). */
export function classifyAgent(userAgent: string | undefined): AgentKind {
  if (userAgent === undefined) return 'absent';
  const trimmed = userAgent.trim();
  if (trimmed === '') return 'automation';
  const ua = trimmed.length > MAX_AGENT_LENGTH ? trimmed.slice(0, MAX_AGENT_LENGTH) : trimmed;
  if (HEADLESS.test(ua)) return 'headless';
  if (BROWSER.test(ua)) return BOT_WORD.test(ua) ? 'automation' : 'browser';
  if (APP.test(ua)) return 'app';
  if (AUTOMATION.test(ua)) return 'automation';
  return 'unknown';
}
