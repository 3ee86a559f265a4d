import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_AGENT_LENGTH, classifyAgent, type AgentKind } from '../../lambdas/engine/user-agent';

/**
 * The classifier as it was before the rewrite (quadratic BROWSER pattern), verbatim: the
 * reference the rewrite must agree with. Only ever run on short agents here.
 */
function reference(userAgent: string | undefined): AgentKind {
  const APP =
    /\b(?:okhttp|Dalvik|CFNetwork|Darwin|Alamofire|Dart|ReactNative|Expo|Ktor|Cronet)\b|^[\w.-]+\/[\w.-]+ \((?:iPhone|iPad|Android|Linux; Android|iOS)/i;
  const HEADLESS = /HeadlessChrome|PhantomJS|SlimerJS|Puppeteer|Playwright|Selenium|webdriver|Cypress|Nightmare|jsdom/i;
  const AUTOMATION =
    /^(?:curl|Wget|python-requests|python-urllib|Python\/|aiohttp|httpx|Go-http-client|Java\/|Apache-HttpClient|axios|node-fetch|undici|got\b|node\b|libwww-perl|LWP::|Ruby|Faraday|GuzzleHttp|PHP|PostmanRuntime|insomnia|Scrapy|HTTPie|WindowsPowerShell|WinHttp|RestSharp|Deno|Bun|reqwest|hyper|lua-resty|Mechanize)|\b(?:bot|crawler|spider|scraper)\b/i;
  const BROWSER = /^Mozilla\/5\.0 \(.+\) .*(?:Gecko|AppleWebKit)/;
  if (userAgent === undefined) return 'absent';
  const ua = userAgent.trim();
  if (ua === '') return 'automation';
  if (HEADLESS.test(ua)) return 'headless';
  if (BROWSER.test(ua)) return /\b(?:bot|crawler|spider)\b/i.test(ua) ? 'automation' : 'browser';
  if (APP.test(ua)) return 'app';
  if (AUTOMATION.test(ua)) return 'automation';
  return 'unknown';
}

const NORMAL: readonly [string | undefined, AgentKind][] = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36', 'browser'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0', 'browser'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0', 'browser'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15', 'browser'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Mobile/15E148 Safari/604.1', 'browser'],
  [
    'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36',
    'browser',
  ],
  [
    'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/127.0.6533.103 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/477.0.0.49.74;IABMV/1;]',
    'browser',
  ],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36', 'headless'],
  [
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'automation',
  ],
  ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'automation'],
  ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'unknown'], // no word "bot" in it
  ['okhttp/4.12.0', 'app'],
  ['MyApp/5.2.1 (iPhone; iOS 17.5) CFNetwork/1496.0.7 Darwin/23.5.0', 'app'],
  ['Shop/3.1 (Android 14; Pixel 8)', 'app'],
  ['Dart/3.2 (dart:io)', 'app'],
  ['Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP2A.240805.005)', 'app'],
  ['python-requests/2.31.0', 'automation'],
  ['curl/8.4.0', 'automation'],
  ['Go-http-client/1.1', 'automation'],
  ['node', 'automation'],
  ['Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1)', 'unknown'],
  ['Mozilla/5.0', 'unknown'],
  ['Mozilla/5.0 () Gecko', 'unknown'],
  ['Mozilla/5.0 (x) Gecko', 'browser'],
  ['Mozilla/5.0 (x)\nGecko', 'unknown'],
  ['Mozilla/5.0 (x\n) Gecko', 'unknown'],
  ['Mozilla/5.0 (x) (y) AppleWebKit', 'browser'],
  ['something else', 'unknown'],
  ['   ', 'automation'],
  ['', 'automation'],
  [undefined, 'absent'],
];

describe('classifyAgent', () => {
  it.each(NORMAL)('classifies %j as %s, as before', (ua, kind) => {
    expect(classifyAgent(ua)).toBe(kind);
    expect(reference(ua)).toBe(kind);
  });

  it('property: agrees with the previous classifier on agents built from user-agent fragments', () => {
    const fragment = fc.constantFrom(
      'Mozilla/5.0 ',
      'Mozilla/5.0 (',
      '(',
      ')',
      ') ',
      ' ',
      ';',
      '/',
      '.',
      '\n',
      '\u2028',
      'x',
      'Windows NT 10.0',
      'Gecko',
      'AppleWebKit/537.36',
      'KHTML, like Gecko',
      'Chrome/142.0.0.0',
      'HeadlessChrome',
      'bot',
      ' bot ',
      'crawler',
      'okhttp/4.12',
      'CFNetwork',
      'App/1.0 (',
      'iPhone',
      'Android',
      'curl/',
      'node',
      'python-requests/2',
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 24 }), (parts) => {
        const ua = parts.join('');
        expect(classifyAgent(ua), JSON.stringify(ua)).toBe(reference(ua));
      }),
      { numRuns: 20_000 },
    );
  });

  it('property: agrees with the previous classifier on arbitrary short strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (ua) => {
        expect(classifyAgent(ua)).toBe(reference(ua));
        expect(classifyAgent(`Mozilla/5.0 (${ua}`)).toBe(reference(`Mozilla/5.0 (${ua}`));
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('classifyAgent on adversarial agents', () => {
  // Shapes that made the old BROWSER pattern backtrack quadratically (each ") " is a place
  // where `.+` could end, and for each one `.*` scanned the rest), or that stress the others.
  // [name, agent of `size` characters, kind at 1 KB, kind when longer (only the first 1 KB counts)]
  const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
  const shapes: readonly [string, (size: number) => string, AgentKind, AgentKind][] = [
    ['"Mozilla/5.0 (" then ") " repeated', (n) => fill('Mozilla/5.0 (', ') ', '', n), 'unknown', 'unknown'],
    ['") " repeated, then "Gecko" at the very end', (n) => fill('Mozilla/5.0 (', ') ', ' Gecko', n), 'browser', 'unknown'],
    ['a browser engine early, then ") " repeated', (n) => fill('Mozilla/5.0 (x) Gecko', ') ', '', n), 'browser', 'browser'],
    ['a real browser prefix, then ") (" repeated', (n) => fill('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome ', ') (', '', n), 'unknown', 'unknown'],
    ['") x" repeated', (n) => fill('Mozilla/5.0 (', ') x', '', n), 'unknown', 'unknown'],
    ['a browser, padding, then "HeadlessChrome" at the very end', (n) => fill(`${browser} `, ') ', ' HeadlessChrome', n), 'headless', 'browser'],
    ['an app-like name', (n) => fill('a/', 'a.', ' (', n), 'unknown', 'unknown'],
    ['word characters only', (n) => fill('', 'a', '', n), 'unknown', 'unknown'],
    ['"bo " repeated', (n) => fill('', 'bo ', '', n), 'unknown', 'unknown'],
    ['curl with a long version', (n) => fill('curl/', '8', '', n), 'automation', 'automation'],
    ['spaces', (n) => fill('x', ' ', '', n), 'unknown', 'unknown'],
  ];

  for (const size of [1024, 8 * 1024, 64 * 1024]) {
    it.each(shapes)(`${size / 1024} KB: %s`, (_name, make, short, long) => {
      const ua = make(size);
      expect(ua.length).toBe(size);
      expect(classifyAgent(ua)).toBe(size <= 1024 ? short : long);
      // The previous classifier's answer for the part that counts (fast enough at 1 KB).
      expect(classifyAgent(ua)).toBe(reference(ua.slice(0, 1024)));
    });
  }

  it('looks at the first MAX_AGENT_LENGTH (1024) characters only, the most the verdict API accepts', () => {
    expect(MAX_AGENT_LENGTH).toBe(1024);
    const padded = (marker: string) => `${browser} ${'x'.repeat(MAX_AGENT_LENGTH - browser.length - 1 - marker.length)}${marker}`;
    expect(padded(' HeadlessChrome')).toHaveLength(MAX_AGENT_LENGTH);
    expect(classifyAgent(padded(' HeadlessChrome'))).toBe('headless');
    expect(classifyAgent(`${padded('')} HeadlessChrome`)).toBe('browser'); // past the limit: not seen
    expect(classifyAgent(`${padded(' bot')}`)).toBe('automation');
    expect(classifyAgent(`${padded('')} bot`)).toBe('browser');
    // Leading and trailing spaces do not count towards the limit.
    expect(classifyAgent(`${' '.repeat(5000)}${padded(' HeadlessChrome')}${' '.repeat(5000)}`)).toBe('headless');
  });
});

/** `head`, then `unit` repeated, then `tail`, exactly `size` characters long. */
function fill(head: string, unit: string, tail: string, size: number): string {
  const body = unit.repeat(Math.ceil((size - head.length - tail.length) / unit.length)).slice(0, size - head.length - tail.length);
  return head + body + tail;
}
